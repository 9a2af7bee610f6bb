import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgencySectionName } from '../../../shared/api/agency';
import { AGENCY_SECTION_NAMES } from '../../../shared/api/agency';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { DEFAULT_AUDIT_FLAG_SETTINGS } from '../../../shared/domain/auditFlags';
import { EventClient } from '../../support/eventClient';
import { DEFAULT_RETENTION } from '../../../shared/domain/retention';

/** A 1x1 PNG, as the console's logo upload sends it. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const SQUARE = {
  type: 'Polygon',
  coordinates: [
    [
      [-80.3, 36.0],
      [-80.2, 36.0],
      [-80.2, 36.1],
      [-80.3, 36.1],
      [-80.3, 36.0],
    ],
  ],
};

interface Case {
  /** A valid value for the section, different from the default. */
  readonly valid: unknown;
  /** An invalid value, and the field the 400 must name. */
  readonly invalid: unknown;
  readonly field: RegExp;
}

/** For every section: a change that saves, and one that must be refused naming its field. */
const CASES: Readonly<Record<AgencySectionName, Case>> = {
  identity: {
    valid: {
      name: 'Testville Police Department',
      shortName: 'TPD',
      timeZone: 'America/Chicago',
      logo: PNG,
    },
    invalid: { name: 'Testville Police Department', shortName: 'TPD', timeZone: 'Mars/Olympus' },
    field: /timeZone/,
  },
  jurisdiction: {
    valid: { jurisdiction: SQUARE, jurisdictionApproximate: false },
    invalid: {
      jurisdiction: {
        type: 'Polygon',
        coordinates: [
          [
            [-80.3, 36.0],
            [-80.2, 36.0],
            [-80.3, 36.0],
          ],
        ],
      },
      jurisdictionApproximate: false,
    },
    field: /jurisdiction\.coordinates/,
  },
  map: {
    valid: { center: [36.05, -80.25], zoom: 14 },
    invalid: { center: [36.05, -80.25], zoom: 40 },
    field: /zoom/,
  },
  session: {
    valid: { idleLockMinutes: 15 },
    invalid: { idleLockMinutes: 31 },
    field: /idleLockMinutes.*30/,
  },
  shifts: {
    valid: [
      { name: 'Days', start: '07:00' },
      { name: 'Evenings', start: '15:00' },
      { name: 'Nights', start: '23:00' },
    ],
    invalid: [
      { name: 'Days', start: '07:00' },
      { name: 'Lates', start: '07:00' },
    ],
    field: /two shifts start at the same time/,
  },
  tipLine: {
    valid: {
      staffed: [{ days: ['sat', 'sun'], start: '10:00', end: '14:00' }],
      holidays: ['2026-12-25'],
      texts: {
        closed: 'Not monitored now. In an emergency call 911.',
        acknowledgement: 'Thank you, tipster {alias}.',
        help: 'Police tip line. In an emergency call 911.',
        resumed: 'Replies resume.',
      },
    },
    invalid: {
      staffed: [{ days: ['sat'], start: '25:00', end: '14:00' }],
      holidays: [],
      texts: { closed: 'a', acknowledgement: 'b', help: 'c', resumed: 'd' },
    },
    field: /staffed\.0\.start/,
  },
  incidents: {
    valid: {
      workedPriorities: [1],
      workedCallTypes: ['SHOTS'],
      workedHours: [],
      jurisdictionBufferM: 500,
    },
    invalid: {
      workedPriorities: [0],
      workedCallTypes: [],
      workedHours: [],
      jurisdictionBufferM: 500,
    },
    field: /workedPriorities\.0/,
  },
  alerts: {
    valid: {
      urgentGunshotTypes: ['single', 'multiple'],
      urgentHotLists: ['violent-felony', 'amber'],
      urgentZoneEntries: false,
      urgentCapSeverities: ['extreme', 'severe'],
      announceWithinMinutes: 30,
      maxAgeDays: 14,
      plausibleRangeKm: 80,
      mediaOrigins: { lpr: 'http://10.0.0.5:8080' },
      exclusionZones: [{ id: 'zone-1', name: 'A school', subjects: [], geometry: SQUARE }],
    },
    invalid: {
      urgentGunshotTypes: ['multiple'],
      urgentHotLists: [],
      urgentZoneEntries: true,
      urgentCapSeverities: [],
      announceWithinMinutes: 60,
      maxAgeDays: 30,
      plausibleRangeKm: 100,
      mediaOrigins: { lpr: 'ftp://10.0.0.5' },
      exclusionZones: [],
    },
    field: /mediaOrigins\.lpr/,
  },
  docking: {
    valid: {
      reach: { incident: { count: 6, radiusM: 500 }, alert: { count: 2, radiusM: 200 } },
      rules: [
        { name: 'Priority 1', target: 'incident', priorities: [1] },
        { name: 'Every gunshot', target: 'alert', alertKinds: ['gunshot'] },
      ],
    },
    invalid: { reach: { incident: { count: 17, radiusM: 300 } }, rules: [] },
    field: /reach\.incident\.count/,
  },
  cases: {
    valid: { numberFormat: 'TPD-{yy}-{seq:5}' },
    invalid: { numberFormat: '{yyyy}-{n}' },
    field: /numberFormat/,
  },
  products: {
    valid: { classification: 'FOR OFFICIAL USE ONLY' },
    invalid: { classification: '' },
    field: /classification/,
  },
  retention: {
    valid: { ...DEFAULT_RETENTION, lprUnmatched: 14, tipMedia: 90 },
    // Audit records of camera views are kept a year (CJIS 5.4.7): a day less is refused.
    invalid: { ...DEFAULT_RETENTION, cameraViews: 364 },
    field: /cameraViews.*at least 365 days/,
  },
  auditFlags: {
    valid: { ...DEFAULT_AUDIT_FLAG_SETTINGS, noCaseViewsPerDay: 25 },
    invalid: { ...DEFAULT_AUDIT_FLAG_SETTINGS, usualShiftShare: 2 },
    field: /usualShiftShare/,
  },
  portal: {
    valid: {
      primaryColor: '#004225',
      emergencyNotice: 'Call 911 in an emergency.',
      falseReportNotice: 'A false report is a crime.',
      registrationPromises: ['Only the location is shared.'],
      showViewerNames: true,
    },
    invalid: {
      primaryColor: 'green',
      emergencyNotice: 'Call 911 in an emergency.',
      falseReportNotice: 'A false report is a crime.',
      registrationPromises: ['Only the location is shared.'],
      showViewerNames: true,
    },
    field: /primaryColor/,
  },
  onlineReports: {
    valid: {
      enabled: true,
      categories: [{ key: 'theft', label: 'Theft', asks: ['property'] }],
      reviewHours: 48,
      minimumAge: 18,
      firearmsPhone: '(555) 010-0199',
      officerHelp: 'Call the front desk.',
    },
    invalid: {
      enabled: true,
      categories: [{ key: 'theft', label: 'Theft', asks: ['property'] }],
      reviewHours: 0,
      minimumAge: 18,
      firearmsPhone: '',
      officerHelp: 'Call the front desk.',
    },
    field: /reviewHours/,
  },
};

async function auditRows(t: TestApp, action: string) {
  const res = await t.store.store.query<{
    actor_name: string;
    target_id: string;
    details: unknown;
  }>(`select actor_name, target_id, details from audit_log where action = $1 order by id`, [
    action,
  ]);
  return res.rows.map((r) => ({
    ...r,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as {
      before: unknown;
      after: unknown;
    },
  }));
}

async function eventCount(t: TestApp): Promise<number> {
  const res = await t.store.store.query<{ n: number }>(
    `select count(*)::int as n from events where type = 'agency.changed'`,
  );
  return res.rows[0]!.n;
}

describe.each(STORE_KINDS)('agency settings on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let supervisor: TestUser;

  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    supervisor = await t.user('supervisor');
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  it('has a case for every section', () => {
    expect(Object.keys(CASES).sort()).toEqual([...AGENCY_SECTION_NAMES].sort());
  });

  it.each(AGENCY_SECTION_NAMES)(
    '%s: refuses a non-administrator and an invalid value, changing nothing',
    async (section) => {
      const c = CASES[section];
      const before = (await t.as(analyst, 'GET', '/v1/agency')).json();
      const events = await eventCount(t);
      for (const user of [analyst, supervisor]) {
        const denied = await t.as(user, 'PUT', `/v1/agency/${section}`, c.valid);
        expect(denied.statusCode).toBe(403);
      }
      const bad = await t.as(admin, 'PUT', `/v1/agency/${section}`, c.invalid);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().message).toMatch(c.field);
      expect((await t.as(analyst, 'GET', '/v1/agency')).json()).toEqual(before);
      expect(await auditRows(t, `agency.${section}.update`)).toEqual([]);
      expect(await eventCount(t)).toBe(events);
    },
  );

  it.each(AGENCY_SECTION_NAMES)(
    '%s: saves a valid value, audited with the before and after',
    async (section) => {
      const c = CASES[section];
      const res = await t.as(admin, 'PUT', `/v1/agency/${section}`, c.valid);
      expect(res.statusCode, res.body).toBe(200);
      const agency = (await t.as(analyst, 'GET', '/v1/agency')).json();
      const rows = await auditRows(t, `agency.${section}.update`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_name: admin.username, target_id: section });
      expect(rows[0]!.details.before).not.toEqual(rows[0]!.details.after);
      if (section === 'identity') {
        expect(agency).toMatchObject({ name: 'Testville Police Department', logo: PNG });
        // The logo is kept in the trail by its digest, not its bytes.
        expect(rows[0]!.details.after).toMatchObject({
          name: 'Testville Police Department',
          logo: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), chars: PNG.length },
        });
        expect(rows[0]!.details.before).toMatchObject({ name: expect.any(String) });
      } else if (section === 'jurisdiction') {
        expect(agency.jurisdiction).toEqual(SQUARE);
        expect(rows[0]!.details.after).toEqual(c.valid);
      } else {
        expect(agency[section]).toMatchObject(c.valid as object);
        expect(rows[0]!.details.after).toEqual(agency[section]);
      }
    },
  );

  it('refuses a section with a field left out or one it does not know, changing nothing', async () => {
    const before = (await t.as(analyst, 'GET', '/v1/agency')).json();
    const { urgentHotLists: _left, ...partial } = CASES.alerts.valid as Record<string, unknown>;
    const missing = await t.as(admin, 'PUT', '/v1/agency/alerts', partial);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/urgentHotLists/);
    const unknown = await t.as(admin, 'PUT', '/v1/agency/products', {
      classification: 'SECRET',
      footer: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/footer/);
    expect((await t.as(analyst, 'GET', '/v1/agency')).json()).toEqual(before);
  });

  it('removes the logo when the identity is saved without one', async () => {
    const { logo: _logo, ...rest } = CASES.identity.valid as Record<string, unknown>;
    expect((await t.as(admin, 'PUT', '/v1/agency/identity', rest)).statusCode).toBe(200);
    expect((await t.as(analyst, 'GET', '/v1/agency')).json().logo).toBeUndefined();
  });

  it('refuses a logo that is not a PNG or JPEG data URL', async () => {
    const res = await t.as(admin, 'PUT', '/v1/agency/identity', {
      ...(CASES.identity.valid as object),
      logo: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/logo/);
  });
});

describe.each(STORE_KINDS)('the agency idle lock on %s', (kind) => {
  it('ends a session idle past the agency limit, and the environment can only be stricter', async () => {
    const t = await startTestApp(kind);
    try {
      const admin = await t.user('admin');
      const analyst = await t.user('analyst');
      expect((await t.as(analyst, 'GET', '/v1/auth/me')).json().session.idleMinutes).toBe(30);
      for (const minutes of [0, 31, 60, 7.5]) {
        const res = await t.as(admin, 'PUT', '/v1/agency/session', { idleLockMinutes: minutes });
        expect(res.statusCode, String(minutes)).toBe(400);
        expect(res.json().message).toMatch(/idleLockMinutes/);
      }
      expect(
        (await t.as(admin, 'PUT', '/v1/agency/session', { idleLockMinutes: 2 })).statusCode,
      ).toBe(200);
      expect((await t.as(analyst, 'GET', '/v1/auth/me')).json().session.idleMinutes).toBe(2);
      t.clock.advance(90_000);
      expect((await t.as(analyst, 'GET', '/v1/auth/me')).statusCode).toBe(200);
      t.clock.advance(2 * 60_000 + 1_000);
      const idle = await t.as(analyst, 'GET', '/v1/auth/me');
      expect(idle.statusCode).toBe(401);
      expect(idle.json().message).toMatch(/inactivity/);
    } finally {
      await t.close();
    }
  });

  it('keeps a stricter WF_SESSION_IDLE_MINUTES over a longer agency setting', async () => {
    const t = await startTestApp(kind, { config: { sessionIdleMinutes: 2 } });
    try {
      const admin = await t.user('admin');
      expect(
        (await t.as(admin, 'PUT', '/v1/agency/session', { idleLockMinutes: 20 })).statusCode,
      ).toBe(200);
      const analyst = await t.user('analyst');
      expect((await t.as(analyst, 'GET', '/v1/auth/me')).json().session.idleMinutes).toBe(2);
      t.clock.advance(3 * 60_000);
      const idle = await t.as(analyst, 'GET', '/v1/auth/me');
      expect(idle.statusCode).toBe(401);
      expect(idle.json().message).toMatch(/inactivity/);
    } finally {
      await t.close();
    }
  });
});

describe('a change of the agency reaches every console', () => {
  it('streams agency.changed to another signed-in session', async () => {
    const t = await startTestApp('pglite');
    const streams: EventClient[] = [];
    try {
      await t.app.api.listen({ host: '127.0.0.1', port: 0 });
      const addr = t.app.api.server.address();
      if (!addr || typeof addr === 'string') throw new Error('no address');
      const base = `http://127.0.0.1:${addr.port}`;
      const admin = await t.user('admin');
      const officer = await t.user('officer');
      const stream = await EventClient.connect(base, officer.token, 0);
      streams.push(stream);
      await stream.until(() => stream.live, 'live');
      const res = await t.as(admin, 'PUT', '/v1/agency/docking', CASES.docking.valid);
      expect(res.statusCode, res.body).toBe(200);
      await stream.until(
        () => stream.events.some((e) => e.type === 'agency.changed'),
        'agency.changed',
      );
      const event = stream.events.find((e) => e.type === 'agency.changed')!;
      expect(event.payload).toEqual({ section: 'docking', byName: admin.username });
    } finally {
      for (const s of streams) s.close();
      await t.close();
    }
  });
});
