import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import {
  EMPTY_FILTERS,
  exportFiles,
  flagEntriesFilter,
  filtersOf,
  flagsForReview,
  healthLine,
  linkFor,
  reasonLine,
  referenceLink,
} from '../../../renderer/audit/auditView';
import type { ChainHealth, ReviewedFlag } from '../../../shared/api/auditReview';

/** The audit review panel's logic (renderer/audit/auditView.ts). */

describe('the filter form', () => {
  it('sends only what was typed, trimmed, with the range as instants', () => {
    expect(filtersOf(EMPTY_FILTERS)).toEqual({});
    const form = {
      ...EMPTY_FILTERS,
      caseNumber: ' 2026-000123 ',
      outcome: 'denied',
      from: '2026-11-20T08:00',
      to: 'not a time',
    };
    expect(filtersOf(form)).toEqual({
      caseNumber: '2026-000123',
      outcome: 'denied',
      from: new Date('2026-11-20T08:00').toISOString(),
    });
  });
});

it("shows a flag's entries: its user and camera, its stretch in whole minutes that keep the end inside", () => {
  const patch = flagEntriesFilter({
    actorId: 'u1',
    cameraId: null,
    from: '2026-11-20T15:00:30.000Z',
    to: '2026-11-20T15:00:30.001Z',
  });
  expect(patch).toMatchObject({ actorId: 'u1', cameraId: '', reasonCode: '' });
  const range = filtersOf({ ...EMPTY_FILTERS, ...patch });
  expect(Date.parse(range.from!)).toBeLessThanOrEqual(Date.parse('2026-11-20T15:00:30.000Z'));
  expect(Date.parse(range.to!)).toBeGreaterThan(Date.parse('2026-11-20T15:00:30.000Z'));
  expect(Date.parse(range.to!) - Date.parse(range.from!)).toBe(60_000);
});

describe("an entry's link", () => {
  const auditor = ROLE_PERMISSIONS.auditor;
  const analyst = ROLE_PERMISSIONS.analyst;

  it('opens a camera on the map for anyone', () => {
    expect(linkFor({ kind: 'camera', id: 'c1' }, auditor)).toEqual({ kind: 'map', cameraId: 'c1' });
  });

  it('opens a case for a reader of cases, and narrows the review to it for an auditor', () => {
    expect(linkFor({ kind: 'case', id: '2026-000123' }, analyst)).toEqual({
      kind: 'case',
      number: '2026-000123',
    });
    expect(referenceLink('2026-000123', auditor)).toEqual({
      kind: 'filter',
      patch: { caseNumber: '2026-000123' },
    });
  });

  it('opens tips, incidents and pulls only for those whose role reads them', () => {
    for (const kind of ['tip', 'incident', 'pull'] as const) {
      expect(linkFor({ kind, id: 'x1' }, analyst)).toEqual({ kind, id: 'x1' });
      expect(linkFor({ kind, id: 'x1' }, auditor)).toBeNull();
    }
    expect(linkFor({ kind: 'user', id: 'u1' }, auditor)).toEqual({
      kind: 'filter',
      patch: { actorId: 'u1' },
    });
    expect(linkFor({ kind: 'other', id: 'x' }, ROLE_PERMISSIONS.admin)).toBeNull();
  });
});

it('reads a reason as its label, number and note', () => {
  expect(
    reasonLine({ code: 'investigation_follow_up', reference: '2026-000123', note: 'Elm St' }),
  ).toBe('Investigation follow-up · 2026-000123 · Elm St');
  expect(reasonLine(null)).toBe('');
});

it('lists the flags waiting for review before the reviewed ones', () => {
  const flag = (key: string, reviewed: boolean) =>
    ({
      key,
      review: reviewed
        ? { key, kind: 'volume', at: '', reviewerId: null, reviewerName: 'a', note: 'n' }
        : null,
    }) as unknown as ReviewedFlag;
  expect(
    flagsForReview([flag('a', true), flag('b', false), flag('c', true), flag('d', false)]).map(
      (f) => f.key,
    ),
  ).toEqual(['b', 'd', 'a', 'c']);
});

describe("the chain's health", () => {
  const check = (ok: boolean, at: string) => ({
    at,
    ok,
    rowsChecked: 10,
    lastId: 42,
    hash: 'h',
    problem: ok ? null : 'audit row 7 was altered',
    trigger: 'schedule' as const,
  });
  const now = Date.parse('2026-11-20T12:00:00Z');

  it('says when it was verified, and raises the alarm on a failure or a stopped schedule', () => {
    expect(healthLine(null, now)).toEqual({
      text: 'The chain has not been verified on this server yet.',
      alarm: false,
    });
    const fresh: ChainHealth = {
      last: check(true, '2026-11-20T06:00:00.000Z'),
      lastFailure: null,
      file: null,
    };
    expect(healthLine(fresh, now)).toEqual({
      text: 'Verified at 2026-11-20T06:00:00.000Z: 10 entries, up to entry 42.',
      alarm: false,
    });
    const stale = { ...fresh, last: check(true, '2026-11-17T12:00:00.000Z') };
    expect(healthLine(stale, now).alarm).toBe(true);
    const failed = { ...fresh, last: check(false, '2026-11-20T06:00:00.000Z') };
    expect(healthLine(failed, now)).toEqual({
      text: 'Verification FAILED at 2026-11-20T06:00:00.000Z: audit row 7 was altered',
      alarm: true,
    });
  });
});

it('saves an export as the CSV and its signature file', () => {
  const files = exportFiles({
    filename: 'a.csv',
    csv: 'id\r\n',
    signatureFilename: 'a.csv.sig.json',
    signature: { rows: 0 },
  });
  expect(files.map((f) => [f.name, f.type])).toEqual([
    ['a.csv', 'text/csv'],
    ['a.csv.sig.json', 'application/json'],
  ]);
  expect(JSON.parse(files[1]!.text)).toEqual({ rows: 0 });
});
