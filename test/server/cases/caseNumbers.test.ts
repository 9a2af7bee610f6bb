import { afterEach, describe, expect, it } from 'vitest';
import { caseYearOf, formatCaseNumber } from '../../../shared/domain/cases';
import { issueCaseNumber } from '../../../server/cases/caseNumbers';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { configureCases, openCase } from './caseFixtures';

describe('the case number format', () => {
  it('fills the year, the two-digit year and the padded counter, and keeps the rest as written', () => {
    expect(formatCaseNumber('{yyyy}-{seq:6}', 2026, 4512)).toBe('2026-004512');
    expect(formatCaseNumber('RTCC-{yy}-{seq:4}', 2026, 7)).toBe('RTCC-26-0007');
    expect(formatCaseNumber('{yy}{seq:3}', 2009, 12)).toBe('09012');
    expect(formatCaseNumber('C{seq:1}', 2026, 1)).toBe('C1');
  });

  it('keeps every digit of a counter wider than its field, so numbers stay unique', () => {
    expect(formatCaseNumber('{yyyy}-{seq:2}', 2026, 100)).toBe('2026-100');
  });

  it("counts the year in the agency's time zone, not UTC's", () => {
    // 23:30 on New Year's Eve in New York is already 04:30 on 1 January in UTC.
    const eve = Date.parse('2027-01-01T04:30:00Z');
    expect(caseYearOf(eve, 'America/New_York')).toBe(2026);
    expect(caseYearOf(eve, 'UTC')).toBe(2027);
    expect(caseYearOf(Date.parse('2027-01-01T05:00:00Z'), 'America/New_York')).toBe(2027);
  });
});

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.each(STORE_KINDS)('issuing case numbers on %s', (kind) => {
  it('numbers cases in the agency format, and restarts the counter at midnight on New Year in its zone', async () => {
    t = await startTestApp(kind);
    await configureCases(t, 'WS-{yy}-{seq:5}');
    // A fresh sign-in at each time: a jump of hours would end the session.
    const openAt = async (local: string) => {
      t!.clock.set(Date.parse(local));
      return (await openCase(t!, await t!.user('lieutenant'))).number;
    };
    expect(await openAt('2026-12-31T20:00:00-05:00')).toBe('WS-26-00001');
    // 23:59 local: still 2026, though UTC has moved to 2027.
    expect(await openAt('2026-12-31T23:59:00-05:00')).toBe('WS-26-00002');
    expect(await openAt('2027-01-01T00:00:30-05:00')).toBe('WS-27-00001');
    expect(await openAt('2027-01-01T00:01:00-05:00')).toBe('WS-27-00002');
  });

  it('gives 20 cases opened at once 20 distinct, consecutive numbers', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    t.clock.set(Date.parse('2026-06-01T12:00:00-04:00'));
    const lt = await t.user('lieutenant');
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t!.as(lt, 'POST', '/v1/cases', { title: `Case ${i}`, type: 'other' }),
      ),
    );
    expect(made.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const numbers = made.map((r) => r.json().number as string).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, i) => `2026-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('issues numbers to concurrent transactions outside the change recorder without collision', async () => {
    // Other modules (online reports) call issueCaseNumber in their own transactions.
    t = await startTestApp(kind);
    await configureCases(t, '{yyyy}-{seq:3}');
    const at = new Date('2026-03-01T12:00:00Z');
    const issued = await Promise.all(
      Array.from({ length: 20 }, () => t!.store.store.transaction((tx) => issueCaseNumber(tx, at))),
    );
    expect(issued.map((i) => i.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(new Set(issued.map((i) => i.number)).size).toBe(20);
  });

  it('gives back the number of a create that fails', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    t.clock.set(Date.parse('2026-06-01T12:00:00-04:00'));
    const lt = await t.user('lieutenant');
    const officer = await t.user('officer');
    const refused = await t.as(lt, 'POST', '/v1/cases', {
      title: 'Assigned to an officer',
      type: 'theft',
      analystIds: [officer.id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      message: `Invalid body: analystIds: not an analyst or lieutenant a case can be assigned to: ${officer.id}`,
      issues: [{ path: 'body.analystIds' }],
    });
    expect((await openCase(t, lt)).number).toBe('2026-000001');
  });
});
