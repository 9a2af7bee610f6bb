import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION,
  RETENTION_KIND_INFO,
  RETENTION_KINDS,
} from '../../../shared/domain/retention';
import { retentionPeriodsInForce } from '../../../server/retention/retentionPeriods';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';

/** The periods as a section of the agency's settings, and as the transparency report reads them. */
describe('retention settings', () => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    admin = await t.user('admin');
    analyst = await t.user('analyst');
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('starts from the defaults: unworked LPR hits 30 days, the audit floor a year', () => {
    expect(DEFAULT_RETENTION.lprUnmatched).toBe(30);
    expect(RETENTION_KIND_INFO.cameraViews.floorDays).toBe(365);
    for (const kind of RETENTION_KINDS) {
      expect(DEFAULT_RETENTION[kind]).toBeGreaterThanOrEqual(RETENTION_KIND_INFO[kind].floorDays);
    }
  });

  it.each(RETENTION_KINDS)(
    'refuses %s a day below its floor, naming it, changing nothing',
    async (kind) => {
      const before = (await t.as(admin, 'GET', '/v1/agency')).json().retention;
      const floor = RETENTION_KIND_INFO[kind].floorDays;
      const res = await t.as(admin, 'PUT', '/v1/agency/retention', {
        ...DEFAULT_RETENTION,
        [kind]: floor - 1,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`body\\.${kind}: .*at least ${floor} days`));
      expect((await t.as(admin, 'GET', '/v1/agency')).json().retention).toEqual(before);
      const atFloor = await t.as(admin, 'PUT', '/v1/agency/retention', {
        ...DEFAULT_RETENTION,
        [kind]: floor,
      });
      expect(atFloor.statusCode, atFloor.body).toBe(200);
    },
  );

  it('answers the periods in force, with floors, to any signed-in user and to the report', async () => {
    const saved = await t.as(admin, 'PUT', '/v1/agency/retention', {
      ...DEFAULT_RETENTION,
      lprUnmatched: 7,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const res = await t.as(analyst, 'GET', '/v1/retention');
    expect(res.statusCode).toBe(200);
    const status = res.json();
    expect(status.auditTrail).toMatch(/CJIS 5\.4\.7.*never purged/);
    expect(status.periods).toEqual(await retentionPeriodsInForce(t.store.store));
    expect(status.periods.find((p: { kind: string }) => p.kind === 'lprUnmatched')).toMatchObject({
      days: 7,
      defaultDays: 30,
      floorDays: 1,
      enforced: true,
    });
    expect(status.periods.find((p: { kind: string }) => p.kind === 'onlineReports')).toMatchObject({
      days: 365,
      enforced: true,
    });
  });
});
