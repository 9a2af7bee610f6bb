import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp } from '../../support/testApp';
import { DEMO_OWNER_EMAIL, ensureDemoOwner } from '../../../server/demo/demoOwner';
import { createCamera, integratedCamera, registeredCamera } from '../cameras/cameraFixtures';

/** The demo's synthetic owner gets three integrated cameras once, one kept by the agency. */
describe.each(STORE_KINDS)('the demo camera owner on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 240_000);
  afterAll(async () => {
    await t.close();
  });

  it('takes over the demo cameras 1, 5 and 7 once, and leaves the rest alone', async () => {
    const admin = await t.user('admin');
    for (const [i, email] of [
      [1, 'camera1@example.test'],
      [5, 'camera5@example.test'],
      [7, 'camera7@example.test'],
      [2, 'camera2@example.test'],
    ] as const) {
      await createCamera(
        t,
        admin,
        integratedCamera({}, { name: `Demo ${i}`, owner: { name: `Owner ${i}`, email } } as never),
      );
    }
    // A registered camera with the same kind of address is not an integrated camera's owner.
    await createCamera(
      t,
      admin,
      registeredCamera({
        owner: { name: 'R', email: 'camera1@example.test', phone: '336-555-0100' },
      } as never),
    );
    expect(await ensureDemoOwner(t.app.ctx)).toBe(true);
    const rows = await t.store.store.query<{ name: string; email: string; policy_keeper: string }>(
      `select c.name, o.email, c.policy_keeper from cameras c
       join camera_owner_contacts o on o.camera_id = c.id order by c.name`,
    );
    expect(rows.rows).toEqual([
      { name: 'Corner store doorbell', email: 'camera1@example.test', policy_keeper: 'agency' },
      { name: 'Demo 1', email: DEMO_OWNER_EMAIL, policy_keeper: 'owner' },
      { name: 'Demo 2', email: 'camera2@example.test', policy_keeper: 'agency' },
      { name: 'Demo 5', email: DEMO_OWNER_EMAIL, policy_keeper: 'owner' },
      { name: 'Demo 7', email: DEMO_OWNER_EMAIL, policy_keeper: 'agency' },
    ]);
    expect(await ensureDemoOwner(t.app.ctx)).toBe(false);
  });
});
