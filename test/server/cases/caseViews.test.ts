import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../../shared/api/cases';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { agencyCamera, createCamera } from '../cameras/cameraFixtures';
import { configureCases, openCase } from './caseFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe.each(STORE_KINDS)("a case's camera views on %s", (kind) => {
  it('lists who viewed which camera, when and why, for every grant whose reason names the case', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const admin = await t.user('admin');
    const lt = await t.user('lieutenant');
    const analyst = await t.user('analyst');
    const supervisor = await t.user('supervisor');
    const c = await openCase(t, lt, { analystIds: [analyst.id] });
    const east = await createCamera(t, admin, agencyCamera({ name: 'Pole Camera East' }));
    const west = await createCamera(t, admin, agencyCamera({ name: 'Pole Camera West' }));
    const grant = (cameraId: string, code: string, reference: string) =>
      t!.as(analyst, 'POST', `/v1/cameras/${cameraId}/grants`, {
        reason: { code, reference },
        access: 'live',
      });
    expect((await grant(east.id, 'investigation_follow_up', c.number)).statusCode).toBe(200);
    t.clock.advance(90_000);
    // Typed in lower case by a supervisor: the same case.
    const typed = await t.as(supervisor, 'POST', `/v1/cameras/${west.id}/grants`, {
      reason: { code: 'camera_pull', reference: c.number.toLowerCase() },
      access: 'live',
    });
    expect(typed.statusCode, typed.body).toBe(200);
    expect((await grant(west.id, 'investigation_follow_up', '2026-999999')).statusCode).toBe(200);

    const detail = (await t.as(supervisor, 'GET', `/v1/cases/${c.number}`)).json() as CaseDetail;
    expect(detail.cameraViews.map((v) => [v.cameraName, v.viewer, v.reason, v.access])).toEqual([
      ['Pole Camera East', analyst.username, 'investigation_follow_up', 'live'],
      ['Pole Camera West', supervisor.username, 'camera_pull', 'live'],
    ]);
    expect(Date.parse(detail.cameraViews[1]!.at) - Date.parse(detail.cameraViews[0]!.at)).toBe(
      90_000,
    );
  });

  it('finds the views of a case or incident number through the index, not by reading the trail', async () => {
    t = await startTestApp(kind);
    const plan = await t.store.store.transaction(async (tx) => {
      // A fresh database is small enough that a scan would win: forbid it to see the index fit.
      await tx.query('set local enable_seqscan = off');
      const res = await tx.query<Record<string, string>>(
        `explain select a.id from audit_log a
         where a.action = 'stream.grant' and a.outcome = 'success' and a.target_type = 'camera'
           and upper(a.details->'reason'->>'reference') = upper($1)
         order by a.id desc limit 500`,
        ['2026-000001'],
      );
      return res.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('audit_log_grant_reference');
  });
});
