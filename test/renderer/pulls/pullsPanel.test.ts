import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Zustand from 'zustand';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/domain/roles';
import { testCandidate, testDetail, testPull } from './pullFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
// Rendering to a string reads each store's initial state (React's server snapshot): the stores'
// hooks read the state the test set instead. A static render needs no subscription.
vi.mock('zustand', async (importOriginal) => {
  const zustand = await importOriginal<typeof Zustand>();
  const readNow = (api: { getState(): unknown }) =>
    Object.assign((select = (s: unknown) => s) => select(api.getState()), api);
  const make = (init: Zustand.StateCreator<unknown>) => readNow(zustand.create(init));
  const create = (init?: Zustand.StateCreator<unknown>) => (init ? make(init) : make);
  return { ...zustand, create };
});

const { PullsPanel } = await import('../../../renderer/pulls/PullsPanel');
const { usePullStore } = await import('../../../renderer/pulls/pullStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');

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

const pull = testPull(1);
const fetchable = testCandidate(1, {
  name: 'Pharmacy lot',
  kind: 'integrated',
  action: 'fetch_now',
  hasOwnerContact: false,
});
const doorbell = testCandidate(2, {
  name: 'Corner doorbell',
  actionNote: 'Owner keeps recordings 14 days.',
  outcome: 'contacted',
  outcomeAt: '2026-11-29T14:10:00.000Z',
  outcomeBy: 'analyst',
  history: [
    {
      outcome: 'contacted',
      at: '2026-11-29T14:10:00.000Z',
      byId: 'a',
      byName: 'analyst',
      note: 'Left a voicemail',
    },
  ],
});

const render = () => renderToStaticMarkup(createElement(PullsPanel));
const count = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;

describe('the Pulls panel as each role sees it', () => {
  beforeEach(() => {
    usePullStore.getState().reset();
    usePullStore.setState({
      byId: new Map([[pull.id, pull]]),
      selectedId: pull.id,
      detail: testDetail(pull, [fetchable, doorbell]),
      cursor: doorbell.cameraId,
    });
  });

  it('an analyst sees the candidates with what can be done, the outcome keys and the history', () => {
    signIn('analyst');
    const html = render();
    expect(html).toContain('Camera pulls');
    expect(count(html, 'pull-new')).toBe(1);
    expect(count(html, 'pull-candidate')).toBe(2);
    expect(html).toContain('Footage can be fetched now');
    expect(html).toContain('Owner must be contacted');
    expect(html).toContain('Owner keeps recordings 14 days.');
    // The outcome buttons and the owner reveal are on the current candidate only.
    expect(count(html, 'outcome-footage_obtained')).toBe(1);
    expect(count(html, 'pull-reveal-owner')).toBe(1);
    expect(count(html, 'pull-fulfil')).toBe(1);
    expect(html).toContain('Left a voicemail');
  });

  it('an officer reads their pull and nothing more', () => {
    signIn('officer');
    const html = render();
    expect(html).toContain('My camera pulls');
    expect(count(html, 'pull-candidate')).toBe(2);
    expect(html).toContain('Left a voicemail');
    for (const id of [
      'pull-new',
      'outcome-contacted',
      'pull-reveal-owner',
      'pull-fulfil',
      'pull-close',
    ]) {
      expect(count(html, id)).toBe(0);
    }
  });

  it('the form says where to pick the location', () => {
    signIn('analyst');
    usePullStore.getState().startLogging();
    const html = render();
    expect(count(html, 'pull-form')).toBe(1);
    expect(html).toContain('Pick on map');
    expect(html).toContain('no location yet');
  });
});
