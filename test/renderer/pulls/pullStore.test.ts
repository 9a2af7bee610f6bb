import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PullDetail } from '../../../shared/domain/pulls';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/domain/roles';
import { testCandidate, testDetail, testPull } from './pullFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { usePullStore } = await import('../../../renderer/pulls/pullStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');

/** A fake `window.watchfloor`: the pulls the "server" holds, and every call made. */
const server = {
  details: new Map<string, PullDetail>(),
  calls: [] as { name: string; args: Record<string, unknown> }[],
};
const notFound = {
  ok: false,
  error: { code: 'not_found', message: 'There is no such camera pull.' },
};

const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    const d = server.details.get(args.id as string);
    if (name === 'pulls.list' || name === 'pulls.mine')
      return { ok: true, value: { pulls: [...server.details.values()].map((x) => x.pull) } };
    if (name === 'pulls.get' || name === 'pulls.getMine')
      return d ? { ok: true, value: d } : notFound;
    if (name === 'pulls.setOutcome') {
      if (!d) return notFound;
      const c = d.candidates.find((x) => x.cameraId === args.cameraId)!;
      const changed = {
        ...c,
        outcome: args.outcome,
        outcomeAt: '2026-11-29T14:10:00.000Z',
        outcomeBy: 'analyst',
        history: [
          ...c.history,
          {
            outcome: args.outcome,
            at: '2026-11-29T14:10:00.000Z',
            byId: 'a',
            byName: 'analyst',
            note: null,
          },
        ],
      };
      return { ok: true, value: changed };
    }
    if (name === 'evidence.fetchRecording')
      return {
        ok: true,
        value: { cameraName: 'Camera 1', caseNumber: args.caseNumber, sha256: 'ab'.repeat(32) },
      };
    if (name === 'pulls.ownerContact')
      return { ok: true, value: { cameraId: args.cameraId, owner: { name: 'Olivia Q' } } };
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

function signIn(role: Role) {
  useSessionStore.setState({
    session: {
      status: 'active',
      user: {
        id: `${role}-1`,
        username: role,
        displayName: role,
        role,
        totpEnrolled: true,
        permissions: [...ROLE_PERMISSIONS[role]],
      },
    } as never,
  });
}

const A = testPull(1);
const B = testPull(2, { urgency: 'urgent' });
const C1 = testCandidate(1, { action: 'fetch_now', kind: 'integrated' });
const C2 = testCandidate(2);

describe('the pull store', () => {
  beforeEach(async () => {
    server.details = new Map([
      [A.id, testDetail(A, [C1, C2])],
      [B.id, testDetail(B, [])],
    ]);
    server.calls.length = 0;
    signIn('analyst');
    usePullStore.getState().reset();
    await usePullStore.getState().load();
  });

  it('an analyst lists every pull; an officer only theirs, through their own calls', async () => {
    expect(server.calls.map((c) => c.name)).toEqual(['pulls.list']);
    expect(usePullStore.getState().byId.size).toBe(2);
    signIn('officer');
    usePullStore.getState().reset();
    await usePullStore.getState().load();
    await usePullStore.getState().select(A.id);
    expect(server.calls.map((c) => c.name).slice(1)).toEqual(['pulls.mine', 'pulls.getMine']);
  });

  it('opens a pull on its first candidate, and the keys move between candidates', async () => {
    await usePullStore.getState().select(A.id);
    expect(usePullStore.getState().cursor).toBe(C1.cameraId);
    usePullStore.getState().moveCursor(1);
    usePullStore.getState().moveCursor(1);
    expect(usePullStore.getState().cursor).toBe(C2.cameraId);
    usePullStore.getState().moveCursor(-1);
    expect(usePullStore.getState().cursor).toBe(C1.cameraId);
  });

  it("records an outcome on the open pull's candidate, with its history", async () => {
    await usePullStore.getState().select(A.id);
    expect(await usePullStore.getState().setOutcome(C2.cameraId, 'contacted')).toBeNull();
    expect(server.calls.at(-1)).toEqual({
      name: 'pulls.setOutcome',
      args: { id: A.id, cameraId: C2.cameraId, outcome: 'contacted' },
    });
    const c = usePullStore.getState().detail!.candidates.find((x) => x.cameraId === C2.cameraId)!;
    expect(c.outcome).toBe('contacted');
    expect(c.history).toHaveLength(1);
  });

  it("fetches a candidate's footage for the pull's window and case through the server, and says where it was kept", async () => {
    await usePullStore.getState().select(A.id);
    expect(await usePullStore.getState().fetchFootage(C1.cameraId)).toBeNull();
    expect(server.calls.at(-1)).toEqual({
      name: 'evidence.fetchRecording',
      args: {
        caseNumber: A.caseNumber,
        pullId: A.id,
        cameraId: C1.cameraId,
        start: A.windowStart,
        end: A.windowEnd,
        reason: 'camera_pull',
      },
    });
    expect(useNoticeStore.getState().notices.at(-1)?.text).toContain(
      `kept with case ${A.caseNumber}`,
    );
    // Export refused by the server: its sentence is the panel's error.
    expect(await usePullStore.getState().exportEvidence()).toMatchObject({ code: 'failed' });
    expect(usePullStore.getState().actionError).toBe('evidence.export is not faked');
  });

  it("applies another analyst's outcome from its event, and a newer pull state from the list", () => {
    usePullStore.setState({ selectedId: A.id, detail: testDetail(A, [C1, C2]) });
    const later = { ...A, updatedAt: '2026-11-29T14:20:00.000Z', status: 'in_progress' as const };
    applyServerEvent({
      id: 1,
      at: '2026-11-29T14:20:00.000Z',
      type: 'pull.candidateChanged',
      payload: { pull: later, candidate: { ...C1, outcome: 'footage_obtained' } },
    });
    const s = usePullStore.getState();
    expect(s.byId.get(A.id)!.status).toBe('in_progress');
    expect(s.detail!.candidates[0]!.outcome).toBe('footage_obtained');
    // An older state arriving late changes nothing.
    applyServerEvent({
      id: 2,
      at: '2026-11-29T14:21:00.000Z',
      type: 'pull.updated',
      payload: { pull: A, changed: ['urgency'] },
    });
    expect(usePullStore.getState().byId.get(A.id)!.status).toBe('in_progress');
  });

  it('a new pull logged elsewhere joins the list', () => {
    const n = testPull(3);
    applyServerEvent({ id: 3, at: n.loggedAt, type: 'pull.logged', payload: { pull: n } });
    expect(usePullStore.getState().byId.has(n.id)).toBe(true);
  });

  it("keeps a revealed owner's contact only while the same pull is open", async () => {
    await usePullStore.getState().select(A.id);
    await usePullStore.getState().revealOwner(C2.cameraId);
    expect(usePullStore.getState().revealed).toEqual({
      cameraId: C2.cameraId,
      owner: { name: 'Olivia Q' },
    });
    await usePullStore.getState().select(B.id);
    expect(usePullStore.getState().revealed).toBeNull();
  });

  it('the picked map point goes back to the form', () => {
    usePullStore.getState().startLogging();
    usePullStore.getState().startPicking();
    expect(usePullStore.getState().picking).toBe(true);
    usePullStore.getState().pick({ lat: 36.1, lon: -80.24 });
    expect(usePullStore.getState()).toMatchObject({
      picking: false,
      logging: true,
      picked: { lat: 36.1, lon: -80.24 },
    });
  });
});
