import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentCameraView } from '../../../shared/api/incidents';
import type { IncidentDetail } from '../../../shared/domain/incidents';
import { testDetail, testIncident } from './incidentFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { openLinkedTip, useIncidentStore } =
  await import('../../../renderer/incidents/incidentStore');
const { useTipStore } = await import('../../../renderer/tips/tipStore');
const { useUiStore } = await import('../../../renderer/ui/uiStore');

/** A fake `window.watchfloor`: the incidents the "server" holds, and every call made. */
const server = {
  details: new Map<string, IncidentDetail>(),
  views: [] as IncidentCameraView[],
  calls: [] as { name: string; args: Record<string, unknown> }[],
  /** Held answers to incidents.get, released by the test. */
  hold: null as null | Promise<void>,
};

const notFound = { ok: false, error: { code: 'not_found', message: 'There is no such incident.' } };

const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    const d = server.details.get(args.id as string);
    if (name === 'incidents.list')
      return { ok: true, value: { incidents: [...server.details.values()] } };
    if (name === 'incidents.get') {
      if (server.hold) await server.hold;
      return d ? { ok: true, value: server.details.get(d.id) } : notFound;
    }
    if (name === 'incidents.views')
      return d ? { ok: true, value: { views: server.views } } : notFound;
    if (name === 'incidents.addNote') {
      if (!d) return notFound;
      const note = {
        id: `note-${d.notes.length + 1}`,
        at: '2026-11-29T19:10:00.000Z',
        authorId: 'u1',
        authorName: 'analyst',
        text: args.text as string,
      };
      server.details.set(d.id, { ...d, notes: [...d.notes, note] });
      return { ok: true, value: note };
    }
    if (name === 'incidents.link') {
      if (!d) return notFound;
      if (args.ref === 'bad ref')
        return {
          ok: false,
          error: {
            code: 'invalid',
            message: 'Invalid',
            issues: [{ path: 'ref', message: 'a tip or case reference is letters' }],
          },
        };
      const link = {
        kind: args.kind as 'tip' | 'case',
        ref: args.ref as string,
        linkedAt: '2026-11-29T19:11:00.000Z',
        linkedBy: 'analyst',
      };
      server.details.set(d.id, { ...d, links: [...d.links, link] });
      return { ok: true, value: link };
    }
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const settle = () => new Promise((r) => setTimeout(r, 0));
const A = testIncident(1);
const B = testIncident(2, { priority: 1 });
const VIEW: IncidentCameraView = {
  at: '2026-11-29T19:05:00.000Z',
  cameraId: 'cam-1',
  cameraName: 'Traffic Camera 3',
  viewer: 'analyst',
  reason: 'active_incident',
  access: 'live',
};

describe('the incident store', () => {
  beforeEach(async () => {
    server.details = new Map([
      [A.id, testDetail(A)],
      [B.id, testDetail(B)],
    ]);
    server.views = [VIEW];
    server.calls.length = 0;
    server.hold = null;
    useIncidentStore.getState().reset();
    await useIncidentStore.getState().load();
  });

  it('opens an incident with its timeline and the camera views granted for it', async () => {
    await useIncidentStore.getState().select(A.id);
    const s = useIncidentStore.getState();
    expect(s.selectedId).toBe(A.id);
    expect(s.detail?.statusChanges.map((c) => c.status)).toEqual(['pending', 'dispatched']);
    expect(s.detail?.narrative[0]?.text).toBe('RP reports a robbery');
    expect(s.views).toEqual([VIEW]);
    expect(server.calls.map((c) => c.name)).toEqual([
      'incidents.list',
      'incidents.get',
      'incidents.views',
    ]);
  });

  it('shows only the last incident asked for when answers cross', async () => {
    let release!: () => void;
    server.hold = new Promise((r) => (release = r));
    const first = useIncidentStore.getState().select(A.id);
    const second = useIncidentStore.getState().select(B.id);
    release();
    await Promise.all([first, second]);
    expect(useIncidentStore.getState().detail?.id).toBe(B.id);
  });

  it("adds the analyst's note to the open incident, once, even when the event reloads it too", async () => {
    await useIncidentStore.getState().select(A.id);
    expect(await useIncidentStore.getState().addNote('Two cameras on the corner')).toBeNull();
    expect(useIncidentStore.getState().detail?.notes.map((n) => n.text)).toEqual([
      'Two cameras on the corner',
    ]);
    expect(server.calls.at(-1)).toEqual({
      name: 'incidents.addNote',
      args: { id: A.id, text: 'Two cameras on the corner' },
    });
    // The server's event for that note reloads the detail: the note is there once.
    applyServerEvent({
      id: 1,
      at: '2026-11-29T19:10:00.000Z',
      type: 'incident.updated',
      payload: { incident: { ...A, updatedAt: '2026-11-29T19:10:00.000Z' }, changed: ['notes'] },
    });
    await settle();
    await settle();
    expect(useIncidentStore.getState().detail?.notes).toHaveLength(1);
  });

  it('links a tip and a case; a refused link says why and changes nothing', async () => {
    await useIncidentStore.getState().select(A.id);
    expect(await useIncidentStore.getState().link('case', '2026-004512')).toBeNull();
    expect(await useIncidentStore.getState().link('tip', 'tip-7')).toBeNull();
    const refused = await useIncidentStore.getState().link('case', 'bad ref');
    expect(refused?.issues?.[0]?.message).toContain('letters');
    const s = useIncidentStore.getState();
    expect(s.actionError).toBe('Invalid');
    expect(s.detail?.links.map((l) => `${l.kind}:${l.ref}`)).toEqual([
      'case:2026-004512',
      'tip:tip-7',
    ]);
  });

  it('reloads the open incident when an event says it changed, and only that one', async () => {
    await useIncidentStore.getState().select(A.id);
    server.calls.length = 0;
    const narrated = testDetail(A, {
      narrative: [
        { at: A.receivedAt, author: 'calltaker 12', text: 'RP reports a robbery' },
        { at: '2026-11-29T19:12:00.000Z', author: '2A12', text: 'On scene, suspect gone' },
      ],
    });
    server.details.set(A.id, narrated);
    const later = { ...A, status: 'on_scene' as const, updatedAt: '2026-11-29T19:12:00.000Z' };
    applyServerEvent({
      id: 2,
      at: later.updatedAt,
      type: 'incident.updated',
      payload: { incident: later, changed: ['status', 'narrative'] },
    });
    applyServerEvent({
      id: 3,
      at: later.updatedAt,
      type: 'incident.updated',
      payload: { incident: { ...B, updatedAt: later.updatedAt }, changed: ['units'] },
    });
    await settle();
    await settle();
    expect(useIncidentStore.getState().byId.get(A.id)?.status).toBe('on_scene');
    expect(useIncidentStore.getState().detail?.narrative.at(-1)?.text).toBe(
      'On scene, suspect gone',
    );
    expect(server.calls.filter((c) => c.name === 'incidents.get').map((c) => c.args.id)).toEqual([
      A.id,
    ]);
  });

  it('says so when the incident cannot be read, and closes the detail on request', async () => {
    await useIncidentStore.getState().select('00000000-0000-4000-8000-000000000009');
    expect(useIncidentStore.getState().detailError).toBe('There is no such incident.');
    await useIncidentStore.getState().select(null);
    expect(useIncidentStore.getState()).toMatchObject({ selectedId: null, detail: null });
  });

  it('asks the map to show an incident with a position, and not one still to be placed', () => {
    useIncidentStore.getState().showOnMap(A);
    const focus = useIncidentStore.getState().mapFocus;
    expect(focus).toMatchObject({ incidentId: A.id, lat: 36.1, lon: -80.25 });
    useIncidentStore.getState().showOnMap({ ...B, position: null, needsPlacement: true });
    expect(useIncidentStore.getState().mapFocus).toBe(focus);
  });

  it('opens a linked tip in the Tips panel', async () => {
    useUiStore.getState().setTab('incidents');
    useTipStore.getState().reset();
    await openLinkedTip('7f0c2a8e-58c4-4c3e-9d7e-0d7b1c6f2a11');
    expect(useUiStore.getState().tab).toBe('tips');
    expect(useTipStore.getState().selectedId).toBe('7f0c2a8e-58c4-4c3e-9d7e-0d7b1c6f2a11');
    expect(server.calls.at(-1)).toEqual({
      name: 'tips.get',
      args: { id: '7f0c2a8e-58c4-4c3e-9d7e-0d7b1c6f2a11' },
    });
  });
});
