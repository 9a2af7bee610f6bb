import { renderProduct, type ProductBlock, type RenderedProduct } from '../reports/productLayout';
import {
  SHIFT_ENTRY_KIND_LABELS,
  SHIFT_SUMMARY_LABELS,
  type ShiftLog,
  type ShiftSummary,
} from '../../shared/domain/shifts';
import type { AgencyConfig } from '../../shared/domain/agency';
import { zonedDateTime } from '../../shared/time/zonedTime';

/** The shift report: the shift log in the agency's product layout. */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-29 18:05" in the agency's zone. */
export function localStamp(iso: string, timeZone: string): string {
  const t = zonedDateTime(Date.parse(iso), timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;
}

/** SR-20261129-DAY: the shift report's product number, the same every time it is printed. */
export function shiftReportNumber(log: Pick<ShiftLog, 'date' | 'shift'>): string {
  const name = log.shift.toUpperCase().replace(/[^A-Z0-9]+/g, '');
  return `SR-${log.date.replace(/-/g, '')}-${name}`;
}

export function shiftReportFilename(log: Pick<ShiftLog, 'date' | 'shift'>): string {
  return `shift-report-${log.date}-${log.shift.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
}

export function renderShiftReport(agency: AgencyConfig, log: ShiftLog): Promise<RenderedProduct> {
  const at = (iso: string) => localStamp(iso, agency.timeZone);
  const entries = log.entries.filter((e) => !e.addendum);
  const addenda = log.entries.filter((e) => e.addendum);
  const people = (list: ShiftLog['staff']) => list.map((p) => `${p.displayName} (${p.role})`);
  const blocks: ProductBlock[] = [
    {
      kind: 'fields',
      rows: [
        ['Shift', `${log.shift}, ${log.date}`],
        ['From', `${at(log.startsAt)} to ${at(log.endsAt)} (${agency.timeZone})`],
        ['Supervisor', people(log.supervisors).join(', ') || 'None signed in'],
        [
          'Signed off',
          log.signedOff
            ? `${log.signedOff.byName} at ${at(log.signedOff.at)}`
            : 'Not signed off: a draft',
        ],
      ],
    },
    { kind: 'heading', text: 'The shift in figures (from the record)' },
    {
      kind: 'fields',
      rows: (Object.keys(SHIFT_SUMMARY_LABELS) as (keyof ShiftSummary)[]).map((k) => [
        SHIFT_SUMMARY_LABELS[k],
        String(log.summary[k]),
      ]),
    },
    { kind: 'heading', text: 'Staff on shift' },
    { kind: 'list', items: people(log.staff), empty: 'Nobody signed in during the shift.' },
    { kind: 'heading', text: 'Log' },
    {
      kind: 'list',
      items: entries.map(
        (e) => `${at(e.at)}  ${SHIFT_ENTRY_KIND_LABELS[e.kind]} (${e.authorName}): ${e.text}`,
      ),
      empty: 'No entries.',
    },
  ];
  if (log.signedOff?.note) {
    blocks.push({ kind: 'heading', text: "Supervisor's note at sign-off" });
    blocks.push({ kind: 'paragraph', text: log.signedOff.note });
  }
  if (addenda.length > 0) {
    blocks.push({ kind: 'heading', text: 'Addenda (written after sign-off)' });
    blocks.push({
      kind: 'list',
      items: addenda.map(
        (e) =>
          `Addendum ${at(e.writtenAt)}  ${SHIFT_ENTRY_KIND_LABELS[e.kind]} (${e.authorName}): ${e.text}`,
      ),
    });
  }
  return renderProduct({
    agency: {
      name: agency.name,
      logo: agency.logo,
      classification: agency.products.classification,
    },
    title: 'Shift Report',
    number: shiftReportNumber(log),
    author: log.signedOff?.byName ?? (log.supervisors[0]?.displayName || 'Shift supervisor'),
    approver: log.signedOff ? `${log.signedOff.byName} (signed off)` : null,
    date: log.signedOff ? at(log.signedOff.at) : `${log.date} (draft)`,
    blocks,
  });
}
