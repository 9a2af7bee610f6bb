import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseDetail, Workload } from '../../../shared/api/cases';
import type { Case } from '../../../shared/domain/cases';
import { ME, OTHER, sessionAs, testCase, testCaseDetail } from './caseFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { openCase, useCaseStore } = await import('../../../renderer/cases/caseStore');
const { useUiStore } = await import('../../../renderer/ui/uiStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');

/** A fake `window.watchfloor`: the cases the "server" holds, and every call made. */
const server = {
  cases: [] as Case[],
  details: new Map<string, CaseDetail>(),
  workload: { rows: [], unassigned: [] } as Workload,
  calls: [] as { name: string; args: Record<string, unknown> }[],
};
const ok = (value: unknown) => ({ ok: true, value });
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    const c = server.cases.find((x) => x.number === args.number);
    switch (name) {
      case 'cases.list':
        return ok({
          cases: server.cases.filter(
            (x) => args.scope === 'all' || x.analysts.some((a) => a.id === ME),
          ),
        });
      case 'cases.get': {
        const d = server.details.get(args.number as string);
        return d
          ? ok(d)
          : {
              ok: false,
              error: { code: 'not_found', message: `There is no case ${String(args.number)}.` },
            };
      }
      case 'cases.workload':
        return ok(server.workload);
      case 'cases.addNote':
        return ok({
          id: 'n1',
          at: '2026-11-29T19:00:00.000Z',
          authorId: ME,
          authorName: 'analyst',
          text: args.text,
        });
      case 'cases.reassign':
      case 'cases.assign': {
        const moved = {
          ...c!,
          analysts: [{ id: args.to ?? (args.analystIds as string[])[0], name: 'blake' }],
          updatedAt: '2026-11-29T19:30:00.000Z',
        };
        return ok(moved);
      }
      case 'cases.setStatus':
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Only a lieutenant closes a case.' },
        };
      default:
        return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
    }
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const mine = testCase(1, { analysts: [{ id: ME, name: 'analyst' }], priority: 'low' });
const theirs = testCase(2, { analysts: [{ id: OTHER, name: 'blake' }], priority: 'high' });

async function signIn(role: 'analyst' | 'lieutenant' | 'supervisor') {
  useSessionStore.setState({ session: sessionAs(role) });
  useCaseStore.getState().reset();
  await useCaseStore.getState().load();
}

const numbers = () => useCaseStore.getState().cases.map((c) => c.number);
const event = (id: number, type: string, payload: Record<string, unknown>) =>
  applyServerEvent({ id, at: '2026-11-29T19:00:00.000Z', type, payload });

describe('the case store', () => {
  beforeEach(() => {
    server.cases = [mine, theirs];
    server.details = new Map([
      [mine.number, testCaseDetail(mine)],
      [theirs.number, testCaseDetail(theirs)],
    ]);
    server.calls.length = 0;
    useNoticeStore.setState({ notices: [] });
  });

  it('starts an analyst on their own cases, and a lieutenant or supervisor on all', async () => {
    await signIn('analyst');
    expect(useCaseStore.getState().filter.scope).toBe('mine');
    expect(numbers()).toEqual([mine.number]);
    await signIn('lieutenant');
    expect(useCaseStore.getState().filter.scope).toBe('all');
    await signIn('supervisor');
    expect(server.calls.at(-1)).toEqual({
      name: 'cases.list',
      args: { scope: 'all', status: 'current' },
    });
  });

  it('keeps the list current from events: a case reassigned away leaves "mine", a new one of mine joins in order', async () => {
    await signIn('analyst');
    event(1, 'case.updated', {
      case: { ...mine, analysts: [], updatedAt: '2026-11-29T19:00:00.000Z' },
      changed: ['analysts'],
    });
    expect(numbers()).toEqual([]);
    const urgent = testCase(3, { analysts: [{ id: ME, name: 'analyst' }], priority: 'high' });
    const later = testCase(4, { analysts: [{ id: ME, name: 'analyst' }], priority: 'normal' });
    event(2, 'case.opened', { case: later });
    event(3, 'case.opened', { case: urgent });
    expect(numbers()).toEqual([urgent.number, later.number]);
    // An older state arriving late changes nothing.
    event(4, 'case.updated', {
      case: { ...urgent, status: 'closed', updatedAt: '2026-01-01T00:00:00.000Z' },
      changed: ['status'],
    });
    expect(useCaseStore.getState().cases[0]!.status).toBe('open');
    // A closed case leaves the "not closed" list.
    event(5, 'case.updated', {
      case: { ...urgent, status: 'closed', updatedAt: '2026-11-29T20:00:00.000Z' },
      changed: ['status'],
    });
    expect(numbers()).toEqual([later.number]);
  });

  it('in "all", lists the asker\'s own first whatever the priority', async () => {
    await signIn('analyst');
    await useCaseStore.getState().setFilter({ scope: 'all' });
    expect(numbers()).toEqual([mine.number, theirs.number]);
    event(1, 'case.updated', {
      case: { ...theirs, title: 'Renamed', updatedAt: '2026-11-29T19:00:00.000Z' },
      changed: ['title'],
    });
    expect(numbers()).toEqual([mine.number, theirs.number]);
  });

  it('opens a case, reads it again when an event says it changed, and adds a note once', async () => {
    await signIn('analyst');
    await useCaseStore.getState().select(mine.number);
    expect(useCaseStore.getState().detail?.number).toBe(mine.number);
    expect(await useCaseStore.getState().addNote('Canvass done')).toBeNull();
    expect(useCaseStore.getState().detail?.notes.map((n) => n.text)).toEqual(['Canvass done']);
    server.details.set(
      mine.number,
      testCaseDetail(mine, { notes: useCaseStore.getState().detail!.notes }),
    );
    const gets = server.calls.filter((c) => c.name === 'cases.get').length;
    event(1, 'case.updated', {
      case: { ...mine, updatedAt: '2026-11-29T19:00:00.000Z' },
      changed: ['notes'],
    });
    await vi.waitFor(() =>
      expect(server.calls.filter((c) => c.name === 'cases.get').length).toBe(gets + 1),
    );
    expect(useCaseStore.getState().detail?.notes).toHaveLength(1);
  });

  it("shows the server's refusal of an action in words", async () => {
    await signIn('analyst');
    await useCaseStore.getState().select(mine.number);
    const err = await useCaseStore.getState().setStatus('closed');
    expect(err?.message).toBe('Only a lieutenant closes a case.');
    expect(useCaseStore.getState().actionError).toBe('Only a lieutenant closes a case.');
  });

  it('moves a case from the workload view: reassign from an analyst, assign when nobody had it', async () => {
    await signIn('lieutenant');
    await useCaseStore.getState().move({ number: mine.number, from: ME, to: OTHER });
    await useCaseStore.getState().move({ number: theirs.number, from: null, to: OTHER });
    const made = server.calls.filter(
      (c) => c.name === 'cases.reassign' || c.name === 'cases.assign',
    );
    expect(made).toEqual([
      { name: 'cases.reassign', args: { number: mine.number, from: ME, to: OTHER } },
      { name: 'cases.assign', args: { number: theirs.number, analystIds: [OTHER] } },
    ]);
    expect(server.calls.filter((c) => c.name === 'cases.workload').length).toBeGreaterThan(0);
  });

  it('tells the analyst assigned, in a notice', async () => {
    await signIn('analyst');
    event(1, 'case.assigned', {
      number: '2026-000007',
      title: 'Robbery at 4th',
      userIds: [ME],
      byName: 'lt.ward',
    });
    const notices = useNoticeStore.getState().notices;
    expect(notices.map((n) => n.text).join(' ')).toContain('Case 2026-000007 assigned to you');
  });
});

describe('a case opened from elsewhere', () => {
  it('shows the Cases panel with the case open, whatever view it was in', async () => {
    server.cases = [mine];
    server.details = new Map([[mine.number, testCaseDetail(mine)]]);
    await signIn('lieutenant');
    useCaseStore.getState().setView('workload');
    await openCase(mine.number);
    expect(useUiStore.getState().tab).toBe('cases');
    expect(useCaseStore.getState()).toMatchObject({ view: 'list', selected: mine.number });
    expect(useCaseStore.getState().detail?.number).toBe(mine.number);
  });
});
