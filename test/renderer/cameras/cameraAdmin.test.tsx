import { describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { NewCameraSchema, type Camera } from '../../../shared/domain/cameras';
import { CameraPatchSchema } from '../../../shared/api/cameras';
import {
  RecordingsTestRequestSchema,
  type CameraAdminDetail,
} from '../../../shared/api/cameraAdmin';
import {
  draftFromDetail,
  emptyDraft,
  emptyWindow,
  importFormatOf,
  parseTypedLocation,
  toNewCamera,
  toPatch,
  toggleDay,
  validateDraft,
  viewWedge,
  type CameraDraft,
} from '../../../renderer/cameras/admin/cameraDraft';
import { distanceMeters } from '../../../shared/geo';

// The map's libraries touch the DOM when imported; the form is rendered without its map.
vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({
  MapContainer: () => null,
  TileLayer: () => null,
  CircleMarker: () => null,
  Polygon: () => null,
  useMapEvents: () => null,
}));

const calls: string[] = [];
/** What each call sent, in order. */
const sent: [string, unknown][] = [];
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    call: async (name: string, args: unknown) => {
      calls.push(name);
      sent.push([name, args]);
      return { ok: false, error: { code: 'failed', message: 'not faked' } };
    },
    subscribe: () => () => undefined,
  },
};

const { CameraEditor, DuplicateList, ImportReport, RecordingsTestView, SourceTestView } =
  await import('../../../renderer/cameras/admin/CameraAdminPanel');
const { fieldErrorsOf, useCameraAdminStore } =
  await import('../../../renderer/cameras/admin/cameraAdminStore');

const CAMERA: Camera = {
  id: '0b6f2b8e-6a43-4c1b-9f0e-3d8f1c2a7b10',
  kind: 'integrated',
  status: 'active',
  name: 'Pharmacy lot',
  lat: 36.0985,
  lng: -80.246,
  address: null,
  notes: null,
  retentionDays: null,
  hasOwnerContact: true,
  sharing: {
    mode: 'always',
    windows: [],
    alsoDuringAlarm: false,
    live: true,
    recordings: false,
    ptz: false,
    withdrawn: false,
  },
  alarmActive: false,
  ptz: false,
  hasSubstream: false,
  hasRecordings: true,
  bearingDeg: 90,
  fovDeg: 70,
  rangeM: null,
  createdAt: '2026-11-29T12:00:00.000Z',
  updatedAt: '2026-11-29T12:00:00.000Z',
};

const DETAIL: CameraAdminDetail = {
  camera: CAMERA,
  owner: { name: 'Gus Owner', phone: '336-555-0100' },
  policyKeeper: 'owner',
  source: {
    protocol: 'rtsp',
    url: 'rtsp://cam.example.test/live',
    substreamUrl: null,
    codecHint: 'h264',
    ptz: false,
    ptzUrl: null,
    ptzProtocol: 'json',
    credentials: 'set',
  },
  recordings: { urlTemplate: 'https://nvr.example.test/{start}/{end}', credentials: 'not set' },
  mergedInto: null,
  retiredAt: null,
};

function valid(kind: CameraDraft['kind']): CameraDraft {
  const d = emptyDraft(kind);
  return {
    ...d,
    name: 'Porch',
    lat: '36.1',
    lng: '-80.24',
    ownerName: kind === 'agency' ? '' : 'Ann Owner',
    source: d.source ? { ...d.source, url: 'rtsp://cam.example.test/live', password: 'pw' } : null,
  };
}

describe('the camera form draft', () => {
  it('names each bad field', () => {
    const d = valid('integrated');
    const bad = (patch: Partial<CameraDraft>) => Object.keys(validateDraft({ ...d, ...patch }));
    expect(bad({})).toEqual([]);
    expect(bad({ bearingDeg: '360' })).toEqual(['bearingDeg']);
    expect(bad({ bearingDeg: '-1' })).toEqual(['bearingDeg']);
    expect(bad({ fovDeg: '0' })).toEqual(['fovDeg']);
    expect(bad({ lat: '91' })).toEqual(['lat']);
    expect(bad({ lng: 'east' })).toEqual(['lng']);
    expect(bad({ name: ' ' })).toEqual(['name']);
    expect(bad({ source: { ...d.source!, url: 'ftp://cam/x' } })).toEqual(['source.url']);
    expect(
      bad({
        recordings: {
          urlTemplate: 'https://nvr/{start}',
          username: '',
          password: '',
          credentialsOnFile: false,
          replaceCredentials: true,
        },
      }),
    ).toEqual(['recordings.urlTemplate']);
    expect(Object.keys(validateDraft({ ...valid('registered'), ownerName: '' }))).toEqual([
      'ownerName',
    ]);
  });

  it('makes a new camera the server accepts, for each kind', () => {
    for (const kind of ['registered', 'integrated', 'agency'] as const) {
      const made = NewCameraSchema.safeParse(
        toNewCamera({ ...valid(kind), bearingDeg: '45', fovDeg: '90' }),
      );
      expect(made.success, JSON.stringify(made.error?.issues)).toBe(true);
    }
  });

  it('holds no credential of a camera on file, and keeps them unless asked to replace', () => {
    const original = draftFromDetail(DETAIL);
    expect(original.source).toMatchObject({ username: '', password: '', credentialsOnFile: true });
    expect(toPatch(original, original)).toBeNull();

    const moved = {
      ...original,
      source: { ...original.source!, url: 'rtsp://cam2.example.test/live' },
    };
    const patch = toPatch(original, moved)!;
    expect(patch).toEqual({
      source: {
        protocol: 'rtsp',
        url: 'rtsp://cam2.example.test/live',
        ptz: false,
        keepCredentials: true,
      },
    });
    expect(CameraPatchSchema.safeParse(patch).success).toBe(true);

    const replaced = {
      ...original,
      source: { ...original.source!, replaceCredentials: true, username: 'u', password: 'p' },
      bearingDeg: '',
    };
    expect(toPatch(original, replaced)).toEqual({
      bearingDeg: null,
      source: {
        protocol: 'rtsp',
        url: 'rtsp://cam.example.test/live',
        ptz: false,
        username: 'u',
        password: 'p',
      },
    });
  });

  it('sends a PTZ camera’s control address, checked as http(s), and none without PTZ', () => {
    const original = draftFromDetail({
      ...DETAIL,
      source: { ...DETAIL.source!, ptz: true, ptzUrl: 'http://cam.example.test/ptz' },
    });
    expect(original.source!.ptzUrl).toBe('http://cam.example.test/ptz');
    const moved = {
      ...original,
      source: { ...original.source!, ptzUrl: ' https://cam.example.test/ptz2 ' },
    };
    const patch = toPatch(original, moved)!;
    expect(patch.source).toMatchObject({
      ptz: true,
      ptzUrl: 'https://cam.example.test/ptz2',
      ptzProtocol: 'json',
    });
    const onvif = { ...moved, source: { ...moved.source!, ptzProtocol: 'onvif' as const } };
    expect(toPatch(original, onvif)!.source).toMatchObject({ ptzProtocol: 'onvif' });
    expect(CameraPatchSchema.safeParse(patch).success).toBe(true);
    const badUrl = { ...moved, source: { ...moved.source!, ptzUrl: 'rtsp://cam/ptz' } };
    expect(Object.keys(validateDraft(badUrl))).toEqual(['source.ptzUrl']);
    const noPtz = { ...badUrl, source: { ...badUrl.source!, ptz: false } };
    expect(validateDraft(noPtz)).toEqual({});
    expect(toPatch(original, noPtz)!.source).not.toHaveProperty('ptzUrl');
  });

  it('leaves an owner-kept policy out of the change', () => {
    const original = draftFromDetail(DETAIL);
    const d = { ...original, sharing: { ...original.sharing!, live: false } };
    expect(toPatch(original, d)).toBeNull();
    const agencyKept = draftFromDetail({ ...DETAIL, policyKeeper: 'agency' });
    expect(
      toPatch(agencyKept, { ...agencyKept, sharing: { ...agencyKept.sharing!, live: false } }),
    ).toEqual({
      sharing: { live: false },
    });
  });

  it("edits an agency-kept policy's weekly windows and dates, sending only what changed", () => {
    const kept = draftFromDetail({
      ...DETAIL,
      policyKeeper: 'agency',
      camera: {
        ...CAMERA,
        sharing: {
          ...CAMERA.sharing!,
          mode: 'schedule',
          windows: [{ days: ['fri', 'sat'], start: '22:00', end: '06:00' }],
          validFrom: '2026-01-01',
        },
      },
    });
    expect(kept.sharing).toMatchObject({
      windows: [{ days: ['fri', 'sat'], start: '22:00', end: '06:00' }],
      validFrom: '2026-01-01',
      validUntil: '',
    });
    expect(toPatch(kept, kept)).toBeNull();
    // A day ticked out of order lands in week order; a second window; the first day removed.
    const first = toggleDay(kept.sharing!.windows[0]!, 'mon', true);
    expect(first.days).toEqual(['mon', 'fri', 'sat']);
    const edited: CameraDraft = {
      ...kept,
      sharing: {
        ...kept.sharing!,
        windows: [first, emptyWindow()],
        validFrom: '',
        validUntil: '2026-12-31',
        alsoDuringAlarm: true,
      },
    };
    expect(validateDraft(edited)).toEqual({});
    const patch = toPatch(kept, edited);
    expect(patch).toEqual({
      sharing: {
        alsoDuringAlarm: true,
        windows: [
          { days: ['mon', 'fri', 'sat'], start: '22:00', end: '06:00' },
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
        ],
        validFrom: null,
        validUntil: '2026-12-31',
      },
    });
    expect(CameraPatchSchema.safeParse(patch).success).toBe(true);
    // Removing every window is a change too.
    expect(toPatch(kept, { ...kept, sharing: { ...kept.sharing!, windows: [] } })).toEqual({
      sharing: { windows: [] },
    });
  });

  it("names a bad window or date by the policy schema's rules", () => {
    const kept = draftFromDetail({ ...DETAIL, policyKeeper: 'agency' });
    const bad: CameraDraft = {
      ...kept,
      sharing: {
        ...kept.sharing!,
        windows: [
          { days: ['mon'], start: '08:00', end: '17:00' },
          { days: [], start: '08:00', end: '17:00' },
          { days: ['tue'], start: '', end: '17:00' },
        ],
        validFrom: '2026-02-30',
        validUntil: '31/12/2026',
      },
    };
    expect(validateDraft(bad)).toEqual({
      'sharing.windows.1': 'a window names at least one day',
      'sharing.windows.2': 'a time of day is HH:MM, 00:00 to 23:59',
      'sharing.validFrom': 'not a date on the calendar',
      'sharing.validUntil': 'a date is YYYY-MM-DD',
    });
  });

  it('reads a typed place, a file type, and draws the view from the camera', () => {
    expect(parseTypedLocation('36.0999, -80.2442')).toEqual({ lat: 36.0999, lng: -80.2442 });
    expect(parseTypedLocation('36.0999 -80.2442')).toEqual({ lat: 36.0999, lng: -80.2442 });
    expect(parseTypedLocation('91, 0')).toBeNull();
    expect(parseTypedLocation('Main St')).toBeNull();
    expect(importFormatOf('cams.CSV')).toBe('csv');
    expect(importFormatOf('cams.geojson')).toBe('geojson');
    expect(importFormatOf('cams.xlsx')).toBeNull();
    const wedge = viewWedge(36.1, -80.24, 90, 60, 100);
    expect(wedge[0]).toEqual([36.1, -80.24]);
    for (const [lat, lng] of wedge.slice(1))
      expect(distanceMeters({ lat: 36.1, lng: -80.24 }, { lat, lng })).toBeCloseTo(100, 0);
    expect(viewWedge(36.1, -80.24, null, 60, 100)).toEqual([]);
  });

  it("puts the server's field messages on the draft's fields", () => {
    expect(
      fieldErrorsOf({
        code: 'invalid_args',
        message: 'Invalid request',
        issues: [{ path: 'body.source.url', message: 'a source URL is an absolute rtsp:// ...' }],
      }),
    ).toEqual({ 'source.url': 'a source URL is an absolute rtsp:// ...' });
    expect(fieldErrorsOf({ code: 'conflict', message: 'Not created: duplicate' })).toEqual({
      form: 'Not created: duplicate',
    });
  });
});

describe('the camera admin panel', () => {
  it('checks the draft before sending anything', async () => {
    useCameraAdminStore.getState().startNew('agency');
    expect(await useCameraAdminStore.getState().save()).toBe(false);
    expect(Object.keys(useCameraAdminStore.getState().errors).sort()).toEqual([
      'location',
      'name',
      'source.url',
    ]);
    expect(calls).toEqual([]);
  });

  it('shows credentials only as set, and an owner-kept policy read-only', () => {
    const html = renderToStaticMarkup(
      <CameraEditor draft={draftFromDetail(DETAIL)} errors={{}} detail={DETAIL} />,
    );
    expect(html).toContain('credentials set (kept)');
    // The live source's credentials are on file: no field offers them, none shows them.
    expect(html).not.toContain('camera-admin-source.password');
    expect(html).toMatch(/<fieldset disabled="" data-testid="camera-sharing"/);
    expect(html).toContain('Test source');
    expect(html).toContain('On file: always · shares live');
  });

  it('offers the windows of an agency-kept policy to edit, each a named group with labelled days and times', () => {
    const detail: CameraAdminDetail = {
      ...DETAIL,
      policyKeeper: 'agency',
      camera: {
        ...CAMERA,
        sharing: {
          ...CAMERA.sharing!,
          mode: 'schedule',
          windows: [{ days: ['sat', 'sun'], start: '09:00', end: '17:00' }],
        },
      },
    };
    const html = renderToStaticMarkup(
      <CameraEditor
        draft={draftFromDetail(detail)}
        errors={{ 'sharing.windows.0': 'a window names at least one day' }}
        detail={detail}
      />,
    );
    expect(html).toMatch(/<fieldset data-testid="camera-sharing"/);
    expect(html).toContain('<legend>Window 1</legend>');
    expect(html).toContain('aria-label="Days of window 1"');
    expect(html).toContain('<label for="camera-window-0-start">Start</label>');
    expect(html).toContain('id="camera-window-0-start" type="time" value="09:00"');
    expect(html).toContain('id="camera-window-0-end" type="time" value="17:00"');
    expect(html).toContain('aria-label="Remove window 1"');
    expect(html).toContain('Add a window');
    expect(html).toContain('data-testid="camera-error-sharing.windows.0"');
    expect(html).toContain('<label for="camera-admin-sharing.validFrom">');
    // Saturday and Sunday ticked, the weekdays not.
    expect(html.match(/type="checkbox" checked=""/g)?.length).toBe(3); // live, sat, sun
  });

  it('lists rejected rows, the test result and the flagged pairs', () => {
    const report = renderToStaticMarkup(
      <ImportReport
        result={{ created: 2, rejected: [{ row: 3, reason: 'lat: must be -90 to 90' }] }}
      />,
    );
    expect(report).toContain('Created 2 cameras; rejected 1 row.');
    expect(report).toContain('<td>3</td><td>lat: must be -90 to 90</td>');
    const test = renderToStaticMarkup(
      <SourceTestView
        result={{
          ok: true,
          codec: 'h264',
          width: 320,
          height: 180,
          probe: 'ffprobe',
          snapshotJpeg: 'AAAA',
          message: 'A frame came through.',
        }}
      />,
    );
    expect(test).toContain('Codec by ffprobe: h264 · 320×180');
    expect(test).toContain('data:image/jpeg;base64,AAAA');
    const pairs = renderToStaticMarkup(
      <DuplicateList
        pairs={[
          {
            a: CAMERA,
            b: { ...CAMERA, id: 'x', name: 'Pharmacy parking' },
            distanceM: 3,
            reason: "3 m apart, owners' names alike",
          },
        ]}
        onMerge={() => undefined}
      />,
    );
    expect(pairs).toContain('Keep “Pharmacy lot”');
    expect(pairs).toContain('Keep “Pharmacy parking”');
  });
  it('offers "Test recordings" as a button beside the template, disabled until there is one', () => {
    const html = renderToStaticMarkup(
      <CameraEditor draft={draftFromDetail(DETAIL)} errors={{}} detail={DETAIL} />,
    );
    const template = html.indexOf('id="camera-admin-recordings.urlTemplate"');
    const button = html.indexOf('>Test recordings</button>');
    expect(template).toBeGreaterThan(-1);
    expect(button).toBeGreaterThan(template);
    // A real button right after the template field: reached with Tab, pressed with Enter or Space.
    expect(html.slice(template, button)).toMatch(/<\/div><button type="button" class="btn small"$/);
    const empty = draftFromDetail(DETAIL);
    const blank = renderToStaticMarkup(
      <CameraEditor
        draft={{ ...empty, recordings: { ...empty.recordings!, urlTemplate: ' ' } }}
        errors={{}}
        detail={DETAIL}
      />,
    );
    expect(blank).toContain('<button type="button" class="btn small" disabled="">Test recordings');
  });

  it('sends the recordings source as the form holds it, keeping the credentials on file', async () => {
    const detail: CameraAdminDetail = {
      ...DETAIL,
      recordings: { urlTemplate: 'https://nvr.example.test/{start}/{end}', credentials: 'set' },
    };
    const draft = draftFromDetail(detail);
    useCameraAdminStore.setState({ detail, original: draft, draft, errors: {} });
    await useCameraAdminStore.getState().testRecordings();
    const [name, args] = sent.at(-1)!;
    expect(name).toBe('cameras.testRecordings');
    expect(args).toEqual({
      cameraId: CAMERA.id,
      recordings: { urlTemplate: 'https://nvr.example.test/{start}/{end}', keepCredentials: true },
    });
    expect(RecordingsTestRequestSchema.safeParse(args).success).toBe(true);
    // The fake bridge refuses: the form says so, and the button is free again.
    expect(useCameraAdminStore.getState()).toMatchObject({
      testingRecordings: false,
      recordingsTest: null,
      errors: { form: 'not faked' },
    });
    useCameraAdminStore.getState().close();
  });

  it("shows the recordings test's range, answer, probe and frame, or why it failed", () => {
    const ok = renderToStaticMarkup(
      <RecordingsTestView
        result={{
          ok: true,
          reachable: true,
          range: { start: '2026-11-30T11:54:30.000Z', end: '2026-11-30T11:55:30.000Z' },
          httpStatus: '2xx',
          bytes: 48213,
          container: 'mov,mp4,m4a,3gp,3g2,mj2',
          codec: 'h264',
          durationS: 60,
          width: 320,
          height: 180,
          probe: 'ffprobe',
          snapshotJpeg: 'BBBB',
          message: 'Footage came through (48,213 bytes).',
        }}
      />,
    );
    expect(ok).toContain('class="source-test ok"');
    expect(ok).toContain(
      'Asked for 2026-11-30T11:54:30.000Z to 2026-11-30T11:55:30.000Z · HTTP 2xx · 48,213 bytes',
    );
    expect(ok).toContain('By ffprobe: h264 · 320×180 · 60.0 s · mov,mp4,m4a,3gp,3g2,mj2');
    expect(ok).toContain('data:image/jpeg;base64,BBBB');
    const failed = renderToStaticMarkup(
      <RecordingsTestView
        result={{
          ok: false,
          reachable: false,
          range: { start: '2026-11-30T11:54:30.000Z', end: '2026-11-30T11:55:30.000Z' },
          httpStatus: null,
          bytes: 0,
          container: null,
          codec: null,
          durationS: null,
          width: null,
          height: null,
          probe: 'ffprobe',
          snapshotJpeg: null,
          message: 'The recordings source is unreachable.',
        }}
      />,
    );
    expect(failed).toContain('class="source-test failed"');
    expect(failed).toContain('The recordings source is unreachable.');
    expect(failed).toContain('HTTP no answer · 0 bytes');
    expect(failed).not.toContain('<img');
    expect(failed).not.toContain('By ffprobe');
  });
});
