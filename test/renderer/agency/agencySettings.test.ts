import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgencyConfig } from '../../../shared/domain/agency';
import { AgencyConfigSchema } from '../../../shared/domain/agency';
import { formatCaseNumber } from '../../../shared/domain/caseNumber';

// The map's libraries touch the DOM when imported; the editor's logic is what is checked here.
vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const SQUARE = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [-80.3, 36.0],
      [-80.2, 36.0],
      [-80.2, 36.1],
      [-80.3, 36.1],
      [-80.3, 36.0],
    ] as [number, number][],
  ],
};

const AGENCY: AgencyConfig = AgencyConfigSchema.parse({
  name: 'Testville Police Department',
  shortName: 'TPD',
  timeZone: 'America/New_York',
  jurisdiction: SQUARE,
  map: { center: [36.05, -80.25], zoom: 12 },
});

/** A fake `window.watchfloor` standing for the server's agency endpoints. */
const server = {
  agency: AGENCY,
  calls: [] as { name: string; args: Record<string, unknown> }[],
  refuse: null as null | { message: string; issues: { path: string; message: string }[] },
};
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    if (name === 'agency.get') return { ok: true, value: server.agency };
    if (name.startsWith('agency.save.')) {
      if (server.refuse) return { ok: false, error: { code: 'invalid', ...server.refuse } };
      const section = name.slice('agency.save.'.length);
      server.agency = { ...server.agency, [section]: args.value } as AgencyConfig;
      return { ok: true, value: args.value };
    }
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const { validateSection, diffSection, describeValue, sectionOf } =
  await import('../../../renderer/agency/agencyDraft');
const { parseBoundary } = await import('../../../renderer/agency/boundaryFile');
const { logoFileProblem } = await import('../../../renderer/agency/logoFile');
const { useAgencySettingsStore, draftOf } =
  await import('../../../renderer/agency/agencySettingsStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { applyServerEvent } = await import('../../../renderer/app/serverEvents');

describe('the agency settings editor: validation', () => {
  it('names the field and the limit, from the same schema the server uses', () => {
    const docking = validateSection('docking', {
      reach: { incident: { count: 17, radiusM: 300 }, alert: { count: 4, radiusM: 2500 } },
      rules: [],
    });
    expect(docking.ok).toBe(false);
    if (docking.ok) return;
    expect(Object.keys(docking.errors).sort()).toEqual([
      'reach.alert.radiusM',
      'reach.incident.count',
    ]);
    expect(docking.errors['reach.incident.count']).toMatch(/16/);

    const idle = validateSection('session', { idleLockMinutes: 45 });
    expect(idle.ok).toBe(false);
    if (!idle.ok)
      expect(idle.errors.idleLockMinutes).toMatch(/at most 30 minutes \(CJIS 5\.5\.5\)/);

    const identity = validateSection('identity', {
      ...sectionOf(AGENCY, 'identity'),
      timeZone: 'Mars/Olympus',
    });
    expect(identity.ok).toBe(false);
    if (!identity.ok) expect(Object.keys(identity.errors)).toEqual(['timeZone']);

    const shifts = validateSection('shifts', [
      { name: 'Day', start: '06:00' },
      { name: 'day', start: '18:00' },
    ]);
    expect(shifts.ok).toBe(false);
    if (!shifts.ok) expect(shifts.errors['']).toBe('two shifts have the same name');
  });

  it('accepts a valid draft, with the defaults the server would fill', () => {
    const r = validateSection('docking', {
      reach: { incident: { count: 6, radiusM: 500 } },
      rules: [{ name: 'P1', target: 'incident', priorities: [1] }],
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toEqual({
        reach: { incident: { count: 6, radiusM: 500 }, alert: { count: 4, radiusM: 300 } },
        rules: [
          {
            name: 'P1',
            target: 'incident',
            priorities: [1],
            callTypes: [],
            workedOnly: true,
            preset: 'fit',
          },
        ],
      });
    }
  });
});

describe('the agency settings editor: what saving changes', () => {
  it('lists changed fields, comparing a boundary and a list whole', () => {
    const before = sectionOf(AGENCY, 'docking');
    const after = {
      ...before,
      reach: { ...before.reach, incident: { count: 6, radiusM: 300 } },
      rules: [
        {
          name: 'P1',
          target: 'incident' as const,
          priorities: [1],
          callTypes: [],
          workedOnly: true,
          preset: 'fit' as const,
        },
      ],
    };
    expect(diffSection(before, after)).toEqual([
      { path: 'reach.incident.count', before: 4, after: 6 },
      { path: 'rules', before: [], after: after.rules },
    ]);
    expect(diffSection(before, before)).toEqual([]);

    const moved = {
      ...SQUARE,
      coordinates: [SQUARE.coordinates[0]!.map(([x, y]) => [x + 0.01, y])],
    };
    const boundary = diffSection(sectionOf(AGENCY, 'jurisdiction'), {
      jurisdiction: moved,
      jurisdictionApproximate: false,
    });
    expect(boundary.map((c) => c.path)).toEqual(['jurisdiction']);
    expect(describeValue(moved)).toBe('Polygon (5 positions)');
    expect(describeValue('data:image/png;base64,' + 'A'.repeat(4096))).toMatch(/^image \(3 KB\)$/);
    expect(describeValue(undefined)).toBe('(none)');
  });

  it('shows the case number format as a number', () => {
    expect(formatCaseNumber('{yyyy}-{seq:6}', 2026, 4512)).toBe('2026-004512');
    expect(formatCaseNumber('TPD{yy}-{seq:3}', 2026, 7)).toBe('TPD26-007');
  });
});

describe('the agency settings editor: a boundary from GeoJSON', () => {
  const feature = { type: 'Feature', properties: { name: 'City limits' }, geometry: SQUARE };

  it('takes a Polygon, a MultiPolygon, a Feature or a one-polygon FeatureCollection', () => {
    for (const doc of [
      SQUARE,
      feature,
      {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] } }, feature],
      },
      { type: 'MultiPolygon', coordinates: [SQUARE.coordinates] },
    ]) {
      const r = parseBoundary(JSON.stringify(doc));
      expect(r.ok, JSON.stringify(doc).slice(0, 60)).toBe(true);
    }
  });

  it('refuses anything else with a sentence', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'FeatureCollection', features: [feature, feature] }, /has 2 polygons/],
      [{ type: 'Point', coordinates: [-80.2, 36.1] }, /this is a Point/],
      [{ ...SQUARE, coordinates: [SQUARE.coordinates[0]!.slice(0, 4)] }, /not closed/],
      [
        {
          ...SQUARE,
          coordinates: [
            [
              [200, 36],
              [-80.2, 36],
              [-80.2, 36.1],
              [200, 36],
            ],
          ],
        },
        /coordinates\.0\.0\.0/,
      ],
      [{ type: 'Feature', geometry: null }, /no geometry/],
    ];
    for (const [doc, message] of cases) {
      const r = parseBoundary(JSON.stringify(doc));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
    const notJson = parseBoundary('{"type": "Polygon", ');
    expect(notJson.ok).toBe(false);
  });
});

describe('the agency settings editor: the logo', () => {
  it('takes a PNG or JPEG up to 256 KB', () => {
    expect(logoFileProblem({ type: 'image/png', size: 40_000 })).toBeNull();
    expect(logoFileProblem({ type: 'image/jpeg', size: 256 * 1024 })).toBeNull();
    expect(logoFileProblem({ type: 'image/svg+xml', size: 2_000 })).toMatch(/PNG or JPEG/);
    expect(logoFileProblem({ type: 'image/png', size: 300 * 1024 })).toMatch(
      /at most 256 KB; this file is 300 KB/,
    );
  });
});

describe('the agency settings store', () => {
  beforeEach(() => {
    server.agency = AGENCY;
    server.calls.length = 0;
    server.refuse = null;
    useAgencySettingsStore.setState({
      saved: null,
      drafts: {},
      serverErrors: {},
      error: null,
      saving: null,
      lastSaved: null,
      changedElsewhere: [],
    });
    useSessionStore.setState({ agency: null });
  });

  it('edits a draft, saves the section through its own call, and reads the settings back', async () => {
    const store = useAgencySettingsStore.getState();
    await store.load();
    expect(draftOf(useAgencySettingsStore.getState(), 'session')).toEqual({ idleLockMinutes: 30 });
    store.edit('session', { idleLockMinutes: 10 });
    expect(draftOf(useAgencySettingsStore.getState(), 'session')).toEqual({ idleLockMinutes: 10 });
    expect(await store.save('session', { idleLockMinutes: 10 })).toBe(true);
    expect(server.calls.map((c) => c.name)).toEqual([
      'agency.get',
      'agency.save.session',
      'agency.get',
    ]);
    expect(server.calls[1]!.args).toEqual({ value: { idleLockMinutes: 10 } });
    const after = useAgencySettingsStore.getState();
    expect(after.drafts).toEqual({});
    expect(after.lastSaved).toBe('session');
    expect(after.saved!.session.idleLockMinutes).toBe(10);
  });

  it('keeps the draft and shows the server’s refusal at its field', async () => {
    const store = useAgencySettingsStore.getState();
    await store.load();
    store.edit('cases', { numberFormat: 'X-{seq:4}' });
    server.refuse = {
      message: 'Invalid body: body.numberFormat: taken',
      issues: [{ path: 'body.numberFormat', message: 'taken' }],
    };
    expect(await store.save('cases', { numberFormat: 'X-{seq:4}' })).toBe(false);
    const s = useAgencySettingsStore.getState();
    expect(s.serverErrors.cases).toEqual({ numberFormat: 'taken' });
    expect(s.drafts.cases).toEqual({ numberFormat: 'X-{seq:4}' });
    // Editing again clears what the server said about the old value.
    store.edit('cases', { numberFormat: 'Y-{seq:4}' });
    expect(useAgencySettingsStore.getState().serverErrors.cases).toBeUndefined();
  });

  it('hears another administrator’s change: every console reloads the agency, a draft is marked', async () => {
    await useAgencySettingsStore.getState().load();
    useAgencySettingsStore.getState().edit('docking', sectionOf(AGENCY, 'docking'));
    server.agency = { ...AGENCY, docking: { ...AGENCY.docking, rules: [] }, name: 'Renamed PD' };
    applyServerEvent({
      id: 9,
      at: '2026-11-29T12:00:00.000Z',
      type: 'agency.changed',
      payload: { section: 'docking', byName: 'admin2' },
    });
    await vi.waitFor(() => expect(useSessionStore.getState().agency?.name).toBe('Renamed PD'));
    await vi.waitFor(() =>
      expect(useAgencySettingsStore.getState().saved?.name).toBe('Renamed PD'),
    );
    expect(useAgencySettingsStore.getState().changedElsewhere).toEqual(['docking']);
    useAgencySettingsStore.getState().discard('docking');
    expect(useAgencySettingsStore.getState().changedElsewhere).toEqual([]);
  });
});
