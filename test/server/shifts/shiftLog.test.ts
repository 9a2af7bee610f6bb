import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { STORE_KINDS } from '../../support/stores';
import { cadIncident, configureCity, integrationKey, post } from '../incidents/incidentFixtures';
import { recordAt, viewFor } from './recordFixtures';
import type { ShiftLog, ShiftSummary } from '../../../shared/domain/shifts';

/** America/New_York: the Night shift of 2026-11-29 runs 18:00 EST to 06:00 EST the next day. */
const NIGHT = '/v1/shifts/2026-11-29/Night';
const STARTS = '2026-11-29T23:00:00.000Z';
const ENDS = '2026-11-30T11:00:00.000Z';
/** 22:00 local, in the shift. */
const DURING = Date.parse('2026-11-30T03:00:00Z');

const ANALYST = { id: 'u-analyst', name: 'analyst-a' };

describe.each(STORE_KINDS)('the shift log on %s', (kind) => {
  let t: TestApp;
  let supervisor: TestUser;
  let lieutenant: TestUser;
  let analyst: TestUser;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp(kind);
    t.clock.set(DURING);
    await configureCity(t);
    supervisor = await t.user('supervisor', 'sgt-vance');
    lieutenant = await t.user('lieutenant', 'lt-ortiz');
    analyst = await t.user('analyst', 'analyst-kim');
    const cad = await integrationKey(t, 'cad');
    for (const n of ['WS-1001', 'WS-1002', 'WS-1003', 'WS-1004']) {
      const res = await post(t, 'POST', '/v1/ingest/cad/incidents', cad.key, cadIncident(n));
      expect(res.statusCode, res.body).toBe(200);
      ids.set(n, res.json().incidents[0].id);
    }
    // The shift's work, as the modules write it.
    const inShift = (minutes: number) =>
      new Date(Date.parse(STARTS) + minutes * 60_000).toISOString();
    await recordAt(t, inShift(5), ANALYST, viewFor('WS-1001', { docked: true }));
    await recordAt(t, inShift(5), ANALYST, viewFor('WS-1001', { docked: true, camera: 'cam-2' }));
    await recordAt(t, inShift(9), ANALYST, viewFor('ws-1001', { camera: 'cam-3' }));
    await recordAt(t, inShift(10), ANALYST, { ...viewFor('WS-1004'), outcome: 'denied' });
    await recordAt(t, '2026-11-29T22:59:59Z', ANALYST, viewFor('WS-1004', { docked: true }));
    await recordAt(t, ENDS, ANALYST, viewFor('WS-1004', { docked: true }));
    await recordAt(t, inShift(20), ANALYST, {
      action: 'incident.note',
      targetType: 'incident',
      targetId: 'WS-1002',
      details: { noteId: 'n1' },
    });
    const tipState = (tip: string, to: string) => ({
      action: 'tip.state',
      targetType: 'tip',
      targetId: tip,
      details: { from: 'new', to, duplicateOf: null },
    });
    await recordAt(t, inShift(30), ANALYST, tipState('tip-1', 'actionable'));
    await recordAt(t, inShift(31), ANALYST, tipState('tip-1', 'no_action'));
    await recordAt(t, inShift(32), ANALYST, tipState('tip-2', 'reviewing'));
    await recordAt(t, inShift(33), ANALYST, tipState('tip-3', 'duplicate'));
    const pull = (action: string) => ({
      action,
      targetType: 'pull',
      targetId: `pull-${action}`,
      details: {
        caseNumber: '2026-000123',
        incidentId: ids.get('WS-1003'),
        requestedAt: inShift(40),
      },
    });
    await recordAt(t, inShift(40), ANALYST, pull('pull.create'));
    await recordAt(t, inShift(41), ANALYST, { ...pull('pull.create'), targetId: 'pull-2' });
    await recordAt(t, inShift(90), ANALYST, pull('pull.fulfil'));
    await recordAt(t, inShift(95), ANALYST, { action: 'evidence.fetch', details: {} });
    await recordAt(t, inShift(96), ANALYST, {
      action: 'evidence.export',
      targetType: 'pull',
      details: { caseNumber: '2026-000123' },
    });
    await recordAt(t, inShift(97), ANALYST, {
      action: 'alert.acknowledge',
      targetType: 'alert',
      targetId: 'a1',
      details: { kind: 'gunshot', note: null },
    });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const EXPECTED: ShiftSummary = {
    incidentsWorked: 3,
    camerasDocked: 2,
    cameraViews: 3,
    tipsTriaged: 2,
    alertsAcknowledged: 1,
    pullsLogged: 2,
    pullsFulfilled: 1,
    exports: 1,
  };

  it("counts the shift's work from the record, between its start and its end", async () => {
    const res = await t.as(analyst, 'GET', NIGHT);
    expect(res.statusCode, res.body).toBe(200);
    const log = res.json() as ShiftLog;
    expect(log.startsAt).toBe(STARTS);
    expect(log.endsAt).toBe(ENDS);
    expect(log.summary).toEqual(EXPECTED);
    expect(log.signedOff).toBeNull();
    expect(log.staff.map((p) => p.displayName).sort()).toEqual([
      'analyst-kim',
      'lt-ortiz',
      'sgt-vance',
    ]);
    expect(log.supervisors.map((p) => p.displayName)).toEqual(['sgt-vance']);
  });

  it('takes entries from the supervisor and lieutenant, within the shift, audited', async () => {
    const first = await t.as(supervisor, 'POST', `${NIGHT}/entries`, {
      kind: 'staffing',
      text: 'Two analysts on; Kim covering the tip line',
      at: '2026-11-29T23:05:00Z',
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await t.as(lieutenant, 'POST', `${NIGHT}/entries`, {
      kind: 'equipment',
      text: 'Camera 14 offline since 19:40',
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().at).toBe(new Date(DURING).toISOString());
    expect(
      (await t.as(analyst, 'POST', `${NIGHT}/entries`, { kind: 'other', text: 'x' })).statusCode,
    ).toBe(403);

    const outside = await t.as(supervisor, 'POST', `${NIGHT}/entries`, {
      kind: 'briefing',
      text: 'Too early',
      at: '2026-11-29T22:00:00Z',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/at:.*outside the shift/);
    expect(outside.json().issues[0].path).toBe('body.at');
    const future = await t.as(supervisor, 'POST', `${NIGHT}/entries`, {
      kind: 'briefing',
      text: 'Not yet',
      at: '2026-11-30T05:00:00Z',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toMatch(/future/);

    const log = (await t.as(supervisor, 'GET', NIGHT)).json() as ShiftLog;
    expect(log.entries.map((e) => [e.kind, e.authorName, e.addendum])).toEqual([
      ['staffing', 'sgt-vance', false],
      ['equipment', 'lt-ortiz', false],
    ]);
    const audited = await t.store.store.query<{ action: string; target_id: string }>(
      "select action, target_id from audit_log where action like 'shift.%' order by id",
    );
    expect(audited.rows).toEqual([
      { action: 'shift.entry', target_id: '2026-11-29 Night' },
      { action: 'shift.entry', target_id: '2026-11-29 Night' },
    ]);
  });

  it('refuses a shift that has not started, one the agency does not have, and a bad date', async () => {
    const later = await t.as(supervisor, 'POST', '/v1/shifts/2026-11-30/Day/entries', {
      kind: 'other',
      text: 'Early',
    });
    expect(later.statusCode).toBe(409);
    expect(later.json().message).toMatch(/starts at/);
    const none = await t.as(supervisor, 'GET', '/v1/shifts/2026-11-29/Swing');
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toMatch(/Day, Night/);
    const bad = await t.as(supervisor, 'GET', '/v1/shifts/2026-02-30/Day');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/2026-02-30/);
  });

  it('signs off (supervisor only), locks the log and the summary; corrections become addenda', async () => {
    expect((await t.as(lieutenant, 'POST', `${NIGHT}/signoff`, { note: 'no' })).statusCode).toBe(
      403,
    );
    const early = await t.as(supervisor, 'POST', `${NIGHT}/addenda`, { text: 'Too soon' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/not signed off/);

    const signed = await t.as(supervisor, 'POST', `${NIGHT}/signoff`, {
      note: 'Quiet night apart from the shooting on Main',
    });
    expect(signed.statusCode, signed.body).toBe(200);
    const log = signed.json() as ShiftLog;
    expect(log.signedOff).toMatchObject({ byName: 'sgt-vance', byId: supervisor.id });
    expect(log.summary).toEqual(EXPECTED);
    expect(log.supervisors.map((p) => p.displayName)).toEqual(['sgt-vance']);

    // Work recorded later in the shift's window does not change what was signed.
    await recordAt(t, '2026-11-30T04:00:00Z', ANALYST, {
      action: 'pull.create',
      targetType: 'pull',
      targetId: 'pull-late',
      details: { requestedAt: '2026-11-30T04:00:00Z' },
    });
    expect(((await t.as(analyst, 'GET', NIGHT)).json() as ShiftLog).summary).toEqual(EXPECTED);
    const day = (await t.as(analyst, 'GET', '/v1/shifts/2026-11-29/Day')).json() as ShiftLog;
    expect(day.summary.pullsLogged).toBe(0);

    const locked = await t.as(supervisor, 'POST', `${NIGHT}/entries`, {
      kind: 'other',
      text: 'Forgot this',
    });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().message).toMatch(/addendum/);
    const again = await t.as(supervisor, 'POST', `${NIGHT}/signoff`, {});
    expect(again.statusCode).toBe(409);

    t.clock.advance(60_000);
    const addendum = await t.as(lieutenant, 'POST', `${NIGHT}/addenda`, {
      kind: 'notable_event',
      text: 'Correction: camera 14 came back at 23:10',
    });
    expect(addendum.statusCode, addendum.body).toBe(201);
    expect(addendum.json().addendum).toBe(true);
    const after = (await t.as(analyst, 'GET', NIGHT)).json() as ShiftLog;
    expect(after.entries.map((e) => e.addendum)).toEqual([false, false, true]);
    const actions = await t.store.store.query<{ action: string }>(
      "select action from audit_log where action like 'shift.%' order by id",
    );
    expect(actions.rows.map((r) => r.action)).toEqual([
      'shift.entry',
      'shift.entry',
      'shift.signoff',
      'shift.addendum',
    ]);
  });

  it('prints the shift report: the layout on every page, the figures, the log and its addenda', async () => {
    const res = await t.as(analyst, 'GET', `${NIGHT}/report`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const file = res.json() as { filename: string; data: string; pages: number };
    expect(file.filename).toBe('shift-report-2026-11-29-Night.pdf');
    const dir = mkdtempSync(join(tmpdir(), 'wf-shift-report-'));
    try {
      const path = join(dir, file.filename);
      writeFileSync(path, Buffer.from(file.data, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      expect(text).toContain('Test City Police');
      expect(text).toContain('Shift Report');
      expect(text).toContain('SR-20261129-NIGHT');
      expect(text.match(/LAW ENFORCEMENT SENSITIVE/g)).toHaveLength(2 * file.pages);
      expect(text).toContain('Camera pulls logged');
      expect(text).toContain('Two analysts on; Kim covering the tip line');
      expect(text).toContain('Correction: camera 14 came back at 23:10');
      expect(text).toContain('Addenda (written after sign-off)');
      expect(text).toContain('sgt-vance (signed off)');
      expect(text).toContain(`Page 1 of ${file.pages}`);
      execFileSync('pdftoppm', ['-png', '-r', '40', path, join(dir, 'page')]);
      expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toHaveLength(file.pages);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
