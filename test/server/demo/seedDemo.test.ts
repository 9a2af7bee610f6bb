import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDemoCredentials, loadDemoAgency, seedDemoSite } from '../../../server/demo/seedDemo';
import { getAgency, setAgency } from '../../../server/agency/agencyRepository';
import { DEMO_DRONE_CAMERA_ID } from '../../../server/demo/demoDrone';
import { pointInPolygon } from '../../../shared/geo';
import { DEMO_INTEGRATIONS_FILE } from '../../../server/demo/demoIntegrations';
import { ROLES } from '../../../shared/domain/roles';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';

let t: TestApp | null = null;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(STORE_KINDS)('demo site on %s', (kind) => {
  it('a site seeded before the demo had sensors gets its drone and its plate images origin on the next start', async () => {
    t = await startTestApp(kind);
    dir = mkdtempSync(join(tmpdir(), 'wf-demo-'));
    const simulatorUrl = 'http://127.0.0.1:7431';
    await seedDemoSite(t.app.ctx, {
      dataDir: dir,
      simulatorUrl,
      counts: { registered: 2, integrated: 2, agency: 2 },
    });
    const seeded = await getAgency(t.store.store);
    expect(seeded.alerts.mediaOrigins['demo LPR']).toBe('http://127.0.0.1:7431');
    const drone = await t.store.store.query<{ name: string; kind: string }>(
      'select name, kind from cameras where id = $1',
      [DEMO_DRONE_CAMERA_ID],
    );
    expect(drone.rows).toEqual([{ name: 'Drone 1', kind: 'agency' }]);

    // As an earlier version left it: no drone, no origin for the demo LPR, no recordings.
    expect(
      (await t.store.store.query('select 1 from camera_recording_sources')).rowCount,
    ).toBeGreaterThan(0);
    await t.store.store.query('delete from camera_recording_sources');
    await t.store.store.query('update cameras set has_recordings = false');
    await t.store.store.query('delete from camera_sources where camera_id = $1', [
      DEMO_DRONE_CAMERA_ID,
    ]);
    await t.store.store.query('delete from cameras where id = $1', [DEMO_DRONE_CAMERA_ID]);
    await setAgency(
      t.store.store,
      { ...seeded, alerts: { ...seeded.alerts, mediaOrigins: {} } },
      new Date(t.clock.now()),
    );
    const again = await seedDemoSite(t.app.ctx, { dataDir: dir, simulatorUrl });
    expect(again.seeded).toBe(false);
    expect((await getAgency(t.store.store)).alerts.mediaOrigins['demo LPR']).toBe(
      'http://127.0.0.1:7431',
    );
    const back = await t.store.store.query('select 1 from cameras where id = $1', [
      DEMO_DRONE_CAMERA_ID,
    ]);
    expect(back.rows).toHaveLength(1);
    // Every agency camera and every integrated one whose owner shares recordings gets the
    // simulator's recordings endpoint; the others none.
    const recordings = await t.store.store.query<{
      kind: string;
      shares: boolean;
      has: boolean;
      template: string | null;
    }>(
      `select c.kind, coalesce((c.sharing->>'recordings')::boolean, false) as shares,
         c.has_recordings as has, r.descriptor->>'urlTemplate' as template
       from cameras c left join camera_recording_sources r on r.camera_id = c.id
       where c.kind <> 'registered'`,
    );
    for (const r of recordings.rows) {
      const expected = r.kind === 'agency' || r.shares;
      expect(r.has).toBe(expected);
      if (expected) {
        expect(r.template).toMatch(
          /^http:\/\/127\.0\.0\.1:7431\/recordings\/[a-z0-9-]+\.mp4\?start=\{start\}&end=\{end\}$/,
        );
      } else {
        expect(r.template).toBeNull();
      }
    }
  });

  it('seeds the agency, one user per role and cameras of every kind inside the city, once', async () => {
    t = await startTestApp(kind);
    dir = mkdtempSync(join(tmpdir(), 'wf-demo-'));
    const result = await seedDemoSite(t.app.ctx, {
      dataDir: dir,
      simulatorUrl: 'http://127.0.0.1:7430',
    });
    expect(result.seeded).toBe(true);
    expect(result.cameras).toBeGreaterThanOrEqual(300);

    const agency = await getAgency(t.store.store);
    expect(agency.timeZone).toBe('America/New_York');
    expect(agency.jurisdictionApproximate).toBe(true);
    expect(agency.demo).toBe(true);

    const kinds = await t.store.store.query<{ kind: string; n: number }>(
      'select kind, count(*)::int as n from cameras group by kind order by kind',
    );
    expect(Object.fromEntries(kinds.rows.map((r) => [r.kind, Number(r.n)]))).toEqual({
      // 30 around the city, 6 around the downtown square, and the drone.
      agency: 37,
      integrated: 90,
      registered: 240,
    });
    const points = await t.store.store.query<{ lat: number; lng: number }>(
      'select lat, lng from cameras',
    );
    const city = loadDemoAgency().jurisdiction;
    expect(points.rows.every((p) => pointInPolygon(p, city))).toBe(true);

    const users = await t.store.store.query<{ username: string; role: string }>(
      'select username, role from users order by username',
    );
    expect(users.rows.map((u) => u.role).sort()).toEqual([...ROLES].sort());

    const file = JSON.parse(readFileSync(result.credentialsFile, 'utf8'));
    expect(file.users).toHaveLength(ROLES.length);
    expect(statSync(result.credentialsFile).mode & 0o777).toBe(0o600);
    // The demo CAD connector's key, for posting incidents as the city's CAD would.
    const cadFile = join(dir, DEMO_INTEGRATIONS_FILE);
    expect(statSync(cadFile).mode & 0o777).toBe(0o600);
    const { cad } = JSON.parse(readFileSync(cadFile, 'utf8'));
    expect(cad).toMatchObject({ name: 'demo CAD', key: expect.any(String) });
    const posted = await t.app.api.inject({
      method: 'PUT',
      url: '/v1/ingest/cad/active',
      headers: { authorization: `Bearer ${cad.key}` },
      payload: { open: [] },
    });
    expect(posted.statusCode).toBe(200);
    // Demo users are enrolled: the password asks for the code, and the kept secret gives it.
    const admin = file.users.find((u: { role: string }) => u.role === 'admin');
    expect(admin.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const signIn = (totpCode?: string) =>
      t!.app.api.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: admin.username, password: admin.password, totpCode },
      });
    expect((await signIn()).json().code).toBe('totp_required');
    const code = await generate({
      secret: admin.totpSecret,
      epoch: Math.floor(t!.clock.now() / 1000),
    });
    const login = await signIn(code);
    expect(login.statusCode).toBe(200);
    expect(login.json().stage).toBe('complete');
    // The announcement shows each secret as text and as a scannable otpauth:// QR code.
    const printed = formatDemoCredentials(result);
    for (const u of file.users as { password: string; totpSecret: string }[]) {
      expect(printed).toContain(u.password);
      expect(printed).toContain(u.totpSecret);
    }
    expect(printed).toContain(`otpauth://totp/Watchfloor:admin?secret=${admin.totpSecret}`);
    expect(printed).toMatch(/[▀▄█]{20}/);

    const again = await seedDemoSite(t.app.ctx, { dataDir: dir, simulatorUrl: 'http://x' });
    expect(again.seeded).toBe(false);
    const count = await t.store.store.query<{ n: number }>(
      'select count(*)::int as n from cameras',
    );
    expect(Number(count.rows[0]!.n)).toBe(367);
  });
});
