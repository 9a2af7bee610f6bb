import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { Workload } from '../../../shared/api/cases';
import { OTHER, ME, sessionAs, testCase, testCaseDetail } from './caseFixture';
import { TEST_CITY } from '../../support/testCity';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
// Rendering to markup reads a store's server snapshot, which zustand takes from the state it was
// created with; here it is the state the test has set, as a console would show it.
vi.mock('zustand', async () => {
  const React = await import('react');
  const { createStore } = await import('zustand/vanilla');
  const bind = (api: StoreApi<unknown>) => {
    const hook = (selector: (s: unknown) => unknown = (s) => s) =>
      React.useSyncExternalStore(
        api.subscribe,
        () => selector(api.getState()),
        () => selector(api.getState()),
      );
    return Object.assign(hook, api);
  };
  const create = (init?: StateCreator<unknown>) =>
    init ? bind(createStore(init)) : (later: StateCreator<unknown>) => bind(createStore(later));
  return { create };
});

const { CaseDetailView } = await import('../../../renderer/cases/CaseDetail');
const { CaseList } = await import('../../../renderer/cases/CaseList');
const { WorkloadView } = await import('../../../renderer/cases/Workload');
const { CasesPanel } = await import('../../../renderer/cases/CasesPanel');
const { useCaseStore } = await import('../../../renderer/cases/caseStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');

/** The markup's text, tags dropped, spaces folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

const overdue = testCase(1, {
  status: 'active',
  priority: 'high',
  dueDate: '2020-01-01',
  analysts: [{ id: ME, name: 'Avery' }],
});

describe('the Cases panel as it renders', () => {
  beforeEach(() => {
    useSessionStore.setState({ session: sessionAs('analyst'), agency: TEST_CITY });
    useCaseStore.getState().reset();
  });

  it('says each state with a symbol and a word, and marks an overdue case in words too', () => {
    useCaseStore.setState({ cases: [overdue, testCase(2, { status: 'suspended' })] });
    const shown = text(renderToStaticMarkup(<CaseList />));
    expect(shown).toContain('● Active');
    expect(shown).toContain('‖ Suspended');
    expect(shown).toContain('▲ High priority');
    expect(shown).toContain('⚠ overdue: was due 1 Jan 2020');
    expect(shown).toContain('yours');
    expect(renderToStaticMarkup(<CaseList />)).toContain('case-row status-active overdue');
  });

  it("shows an analyst the actions of a case assigned to them, but not a lieutenant's", () => {
    useCaseStore.setState({
      selected: overdue.number,
      detail: testCaseDetail(overdue, {
        notes: [
          {
            id: 'n1',
            at: '2026-11-29T19:00:00.000Z',
            authorId: ME,
            authorName: 'avery',
            text: 'Canvass done',
          },
        ],
        links: [
          {
            kind: 'incident',
            ref: 'i1',
            label: '26-0042 · Shots fired',
            linkedAt: '2026-11-29T19:00:00.000Z',
            linkedBy: 'avery',
          },
        ],
        cameraViews: [
          {
            at: '2026-11-29T19:05:00.000Z',
            cameraId: 'c1',
            cameraName: 'Pole Camera East',
            viewer: 'avery',
            reason: 'investigation_follow_up',
            access: 'live',
          },
        ],
      }),
    });
    const html = renderToStaticMarkup(<CaseDetailView />);
    const shown = text(html);
    expect(shown).toContain('Canvass done');
    expect(shown).toContain('Incident 26-0042 · Shots fired');
    expect(shown).toContain('Pole Camera East');
    expect(shown).toContain('Investigation follow-up');
    expect(html).toContain('data-testid="case-status-open"');
    expect(html).toContain('data-testid="case-note-text"');
    expect(html).not.toContain('data-testid="case-status-closed"');
    expect(html).not.toContain('data-testid="case-assign-open"');

    // Not assigned to them: they read it, and may do nothing to it.
    useSessionStore.setState({ session: sessionAs('analyst', OTHER) });
    const other = renderToStaticMarkup(<CaseDetailView />);
    expect(other).not.toContain('data-testid="case-status-open"');
    expect(other).not.toContain('data-testid="case-note-text"');

    // A lieutenant closes, edits and assigns.
    useSessionStore.setState({ session: sessionAs('lieutenant', OTHER) });
    const lt = renderToStaticMarkup(<CaseDetailView />);
    expect(lt).toContain('data-testid="case-status-closed"');
    expect(lt).toContain('data-testid="case-assign-open"');
  });

  it('gives the workload view to lieutenants only, with overdue counts and numbered analysts', () => {
    expect(renderToStaticMarkup(<CasesPanel />)).not.toContain('case-view-workload');
    useSessionStore.setState({ session: sessionAs('lieutenant') });
    expect(renderToStaticMarkup(<CasesPanel />)).toContain('case-view-workload');
    const item = {
      kind: 'case' as const,
      number: overdue.number,
      title: 'Late one',
      status: 'active' as const,
      priority: 'high' as const,
      dueDate: '2020-01-01',
      overdue: true,
    };
    const workload: Workload = {
      rows: [
        {
          user: { id: ME, name: 'Avery', role: 'analyst' },
          openCases: 1,
          overdueCases: 1,
          openPulls: 2,
          urgentPulls: 1,
          items: [item],
        },
        {
          user: { id: OTHER, name: 'Blake', role: 'analyst' },
          openCases: 0,
          overdueCases: 0,
          openPulls: 0,
          urgentPulls: 0,
          items: [],
        },
      ],
      unassigned: [],
    };
    useCaseStore.setState({ workload });
    const html = renderToStaticMarkup(<WorkloadView />);
    const shown = text(html);
    expect(shown).toContain('1 Avery 1 open · ⚠ 1 overdue · 2 pulls open (1 urgent)');
    expect(shown).toContain('2 Blake 0 open · 0 pulls open');
    expect(shown).toContain('No open cases.');
    expect(html).toContain('workload-row has-overdue');
    expect(html).toContain('draggable="true"');
    expect(shown).not.toContain('Nobody assigned');
  });
});
