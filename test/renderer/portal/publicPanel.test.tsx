import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { StateCreator, StoreApi } from 'zustand/vanilla';
import type { OnlineReport } from '../../../shared/api/onlineReports';
import { sessionAs } from '../cases/caseFixture';
import { TEST_CITY } from '../../support/testCity';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
// Rendering to markup reads a store's server snapshot: here the state the test has set.
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

const { PublicPanel } = await import('../../../renderer/portal/PublicPanel');
const { publicModule } = await import('../../../renderer/portal/publicModule');
const { useOnlineReportsStore } =
  await import('../../../renderer/onlineReports/onlineReportsStore');
const { useRegistrationsStore } =
  await import('../../../renderer/registrations/registrationsStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

const NOW = Date.parse('2026-03-10T12:00:00Z');
const H = 3_600_000;

function report(n: number, over: Partial<OnlineReport> = {}): OnlineReport {
  const submitted = NOW - 10 * H;
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    tempNumber: `T26-AAAA${n}${n}`,
    category: 'theft_of_property',
    categoryLabel: 'Theft of property',
    state: 'submitted',
    outcome: null,
    submittedAt: new Date(submitted).toISOString(),
    dueAt: new Date(submitted + 72 * H).toISOString(),
    decidedAt: null,
    decidedBy: null,
    caseNumber: null,
    assignedTo: null,
    occurredAt: new Date(submitted - H).toISOString(),
    occurredUntil: null,
    lat: 36.0991,
    lng: -80.2442,
    address: '200 W 4th St',
    locationCheck: 'address_point',
    narrative: 'A bicycle was taken from the rack.',
    suspect: null,
    property: 'Blue bicycle',
    vehicle: null,
    supplementsCase: null,
    reporter: {
      name: 'Sam Ortiz',
      email: 'sam@example.org',
      phone: null,
      address: null,
      dateOfBirth: '1990-05-04',
    },
    infoRequest: null,
    rejectionReason: null,
    additions: [],
    files: [],
    ...over,
  };
}

describe('the Public panel as it renders', () => {
  beforeEach(() => {
    useOnlineReportsStore.setState({ reports: [], investigators: [], error: null, now: NOW });
    useRegistrationsStore.setState({ registrations: [], error: null });
  });

  it('shows each open report with its clock; an overdue one stands out, one waiting on the reporter says so', () => {
    useSessionStore.setState({ session: sessionAs('analyst'), agency: TEST_CITY });
    const late = report(1, {
      submittedAt: new Date(NOW - 80 * H).toISOString(),
      dueAt: new Date(NOW - 8 * H).toISOString(),
    });
    const waiting = report(2, { state: 'needs_info', infoRequest: 'What colour is the lock?' });
    useOnlineReportsStore.setState({ reports: [late, report(3), waiting] });
    const html = renderToStaticMarkup(<PublicPanel />);
    const shown = text(html);
    expect(shown).toContain('Online reports');
    expect(shown).toContain('3 open · 1 overdue');
    expect(shown).toContain('⚠ Overdue by 8 h 0 min');
    expect(shown).toContain('62 h 0 min left');
    expect(shown).toContain('⏸ Waiting on the reporter');
    expect(shown).toContain('Asked: What colour is the lock?');
    expect(html).toContain('class="online-report overdue"');
    expect(html.match(/class="online-report overdue"/g)).toHaveLength(1);
    // An analyst does not settle registrations: that section is not theirs.
    expect(shown).not.toContain('Camera registrations');
  });

  it('shows an administrator the registrations alone, and a supervisor the reports alone', () => {
    useSessionStore.setState({ session: sessionAs('admin'), agency: TEST_CITY });
    const admin = text(renderToStaticMarkup(<PublicPanel />));
    expect(admin).toContain('Camera registrations');
    expect(admin).not.toContain('Online reports');
    useSessionStore.setState({ session: sessionAs('supervisor'), agency: TEST_CITY });
    const supervisor = text(renderToStaticMarkup(<PublicPanel />));
    expect(supervisor).toContain('No report waiting for review.');
    expect(supervisor).not.toContain('Camera registrations');
  });

  it('tells the reviewer to check a location no one verified, and how a checked one was placed', () => {
    useSessionStore.setState({ session: sessionAs('analyst'), agency: TEST_CITY });
    const unverified = report(5, { lat: null, lng: null, locationCheck: 'unverified' });
    const pinned = report(6, { address: null, locationCheck: 'coordinates' });
    useOnlineReportsStore.setState({ reports: [unverified, report(7), pinned] });
    const html = renderToStaticMarkup(<PublicPanel />);
    const shown = text(html);
    expect(html.match(/data-testid="report-unverified"/g)).toHaveLength(1);
    expect(shown).toContain('⚠ Location not verified');
    expect(shown).toContain('Where: 200 W 4th St (not verified)');
    expect(shown).toContain(
      "Where: 200 W 4th St · 36.0991, -80.2442 (placed by the agency's address points, inside the city limits)",
    );
    expect(shown).toContain(
      "Where: 36.0991, -80.2442 (the reporter's position, inside the city limits)",
    );
    // The warning belongs to the unverified report's own entry.
    const entries = html.split('data-testid="online-report"').slice(1);
    expect(entries.map((e) => e.includes('report-unverified'))).toEqual([true, false, false]);
  });

  it('is offered to holders of either permission, on key Z', () => {
    expect(publicModule.panel?.key).toBe('Z');
    expect(publicModule.permission).toEqual(['onlineReports.review', 'registrations.review']);
  });

  it('keeps an open report in the queue as events bring it, and drops it once decided', () => {
    const r = report(4);
    useOnlineReportsStore.getState().apply(r);
    expect(useOnlineReportsStore.getState().reports.map((x) => x.id)).toEqual([r.id]);
    publicModule.reducers?.['onlineReport.updated']?.({
      report: { ...r, state: 'approved', outcome: 'approved', caseNumber: '2026-000001' },
    });
    expect(useOnlineReportsStore.getState().reports).toEqual([]);
  });
});
