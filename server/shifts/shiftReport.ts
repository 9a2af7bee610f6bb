import { renderProduct, type ProductBlock, type RenderedProduct } from '../reports/productLayout';
import {
  SHIFT_ENTRY_KIND_LABELS,
  SHIFT_SUMMARY_LABELS,
  type ShiftLog,
  type ShiftSummary,
} from '../../shared/domain/shifts';
import type { AgencyConfig } from '../../shared/domain/agency';
import { zonedDateTime } from '../../shared/time/zonedTime';
import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { readShiftLog, resolveShift } from './shiftLog';

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

/** One shift's part of the report. */
function shiftBlocks(agency: AgencyConfig, log: ShiftLog, titled: boolean): ProductBlock[] {
  const at = (iso: string) => localStamp(iso, agency.timeZone);
  const entries = log.entries.filter((e) => !e.addendum);
  const addenda = log.entries.filter((e) => e.addendum);
  const people = (list: ShiftLog['staff']) => list.map((p) => `${p.displayName} (${p.role})`);
  const blocks: ProductBlock[] = [
    ...(titled ? [{ kind: 'heading' as const, text: `${log.shift} shift, ${log.date}` }] : []),
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
  return blocks;
}

/** The report of one shift, or of every shift of a day (each in turn). */
export function renderShiftReport(
  agency: AgencyConfig,
  logs: readonly ShiftLog[],
): Promise<RenderedProduct> {
  const first = logs[0];
  if (!first) throw new Error('a shift report covers at least one shift');
  const one = logs.length === 1;
  const at = (iso: string) => localStamp(iso, agency.timeZone);
  const signers = [...new Set(logs.flatMap((l) => (l.signedOff ? [l.signedOff.byName] : [])))];
  const allSigned = logs.every((l) => l.signedOff !== null);
  const lastSigned = logs
    .flatMap((l) => (l.signedOff ? [l.signedOff.at] : []))
    .sort()
    .at(-1);
  return renderProduct({
    agency: {
      name: agency.name,
      logo: agency.logo,
      classification: agency.products.classification,
    },
    title: one ? 'Shift Report' : 'Shift Report (all shifts of the day)',
    number: one ? shiftReportNumber(first) : `SR-${first.date.replace(/-/g, '')}`,
    author:
      signers.join(', ') ||
      [...new Set(logs.flatMap((l) => l.supervisors.map((p) => p.displayName)))].join(', ') ||
      'Shift supervisor',
    approver: allSigned ? `${signers.join(', ')} (signed off)` : null,
    date: allSigned && lastSigned ? at(lastSigned) : `${first.date} (draft)`,
    blocks: logs.flatMap((l) => shiftBlocks(agency, l, !one)),
  });
}

/**
 * The report of a date's shift by name, or of all its shifts: what `wf report shift` prints.
 * A read: nothing is recorded.
 */
export async function shiftReportFor(
  db: Queryable,
  now: Date,
  date: string,
  name: string | undefined,
): Promise<{ filename: string; data: string; pages: number }> {
  const agency = await getAgency(db);
  const names = name === undefined ? agency.shifts.map((s) => s.name) : [name];
  const logs: ShiftLog[] = [];
  for (const n of names) logs.push(await readShiftLog(db, await resolveShift(db, date, n), now));
  const { pdf, pages } = await renderShiftReport(agency, logs);
  const filename =
    logs.length === 1 ? shiftReportFilename(logs[0]!) : `shift-report-${logs[0]!.date}.pdf`;
  return { filename, data: pdf.toString('base64'), pages };
}
