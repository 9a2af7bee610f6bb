import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CATALOG, EVENT_TYPES } from '../../../shared/api/eventCatalog';
import type { EventDefinition } from '../../../shared/api/contract';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import { shortcutFor, type KeyPress } from '../../../renderer/app/shortcuts';
import { testCamera } from '../support/cameraFixture';

// The map's libraries touch the DOM when imported; the module list is what is checked here.
vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { CONSOLE_MODULES, panelsFor } = await import('../../../renderer/app/modules');
const { applyServerEvent, reducerTable } = await import('../../../renderer/app/serverEvents');
const { useCameraStore } = await import('../../../renderer/cameras/cameraStore');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');

const definition = (type: string) =>
  (EVENT_CATALOG as unknown as Record<string, EventDefinition>)[type]!;

const press = (k: string): KeyPress => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  inField: false,
});

const camera = testCamera('0b8f3c1e-7c59-4b1a-9a57-2f9d8a4e1c01', { name: 'Fourth St at Liberty' });

describe('console modules', () => {
  beforeEach(() => {
    useCameraStore.setState({ byId: new Map() });
    useNoticeStore.setState({ notices: [] });
  });

  it('every event type in the catalog is shown by a reducer or a notice, or says why not', () => {
    const reducers = reducerTable(CONSOLE_MODULES);
    const unhandled = EVENT_TYPES.filter((type) => {
      const d = definition(type);
      return !reducers.has(type) && !d.describe && !d.notShown;
    });
    expect(unhandled).toEqual([]);
    // A type marked as not shown has no reducer either: the mark must stay true.
    const contradicted = EVENT_TYPES.filter((t) => definition(t).notShown && reducers.has(t));
    expect(contradicted).toEqual([]);
    // Notable and urgent events must be able to say something.
    const mute = EVENT_TYPES.filter((t) => definition(t).priority !== 'routine').filter(
      (t) => !definition(t).describe && !definition(t).notShown,
    );
    expect(mute).toEqual([]);
  });

  it('reducers only name catalog types, and module ids and panel keys are unique', () => {
    for (const type of reducerTable(CONSOLE_MODULES).keys()) expect(EVENT_TYPES).toContain(type);
    const ids = CONSOLE_MODULES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = CONSOLE_MODULES.flatMap((m) => (m.panel ? [m.panel.key.toLowerCase()] : []));
    expect(new Set(keys).size).toBe(keys.length);
    // A panel key must not shadow one of the wall's own keys.
    for (const key of keys) expect(shortcutFor(press(key))).toBeNull();
  });

  it('panels follow the role: every role sees the map; a panel needing a permission hides', () => {
    for (const role of ['analyst', 'officer', 'admin'] as const) {
      const panels = panelsFor(ROLE_PERMISSIONS[role]).map((p) => p.id);
      expect(panels).toContain('map');
      expect(panels).toContain('on-shift');
    }
    expect(panelsFor([]).map((p) => p.id)).toEqual(['on-shift']);
  });

  it('applies a camera event through the registry, and a malformed one changes nothing', () => {
    applyServerEvent({
      id: 1,
      at: '2026-11-29T12:00:00.000Z',
      type: 'camera.created',
      payload: { camera: { ...camera, id: 'not-a-uuid-but-a-string', lat: 'north' } },
    });
    expect(useCameraStore.getState().byId.size).toBe(0);
    applyServerEvent({
      id: 2,
      at: '2026-11-29T12:00:01.000Z',
      type: 'camera.created',
      payload: { camera },
    });
    expect([...useCameraStore.getState().byId.keys()]).toEqual([camera.id]);
    applyServerEvent({ id: 3, at: '2026-11-29T12:00:02.000Z', type: 'no.such', payload: {} });
    expect(useCameraStore.getState().byId.size).toBe(1);
  });

  it('a notable event leaves a notice; a routine one does not', () => {
    applyServerEvent({
      id: 4,
      at: '2026-11-29T12:00:03.000Z',
      type: 'camera.updated',
      payload: { camera, changed: ['name'] },
    });
    expect(useNoticeStore.getState().notices).toEqual([]);
    applyServerEvent({
      id: 5,
      at: '2026-11-29T12:00:04.000Z',
      type: 'camera.alarm',
      payload: { camera: { ...camera, alarmActive: true }, cameraId: camera.id, active: true },
    });
    const notices = useNoticeStore.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('Fourth St at Liberty');
    expect(notices[0]!.tone).toBe('warning');
  });
});
