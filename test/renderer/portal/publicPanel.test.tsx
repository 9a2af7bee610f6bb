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

// The files' downloads go to the browser's download, which the test only records.
const saved: { name: string; blob: Blob }[] = [];
vi.mock('../../../renderer/app/saveFile', () => ({
  saveFile: (name: string, blob: Blob) => saved.push({ name, blob }),
}));

// The console's bridge: each call recorded, answered with what the test sets.
const calls: { name: string; args: unknown }[] = [];
let answer: unknown = null;
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call(name: string, args: unknown) {
      calls.push({ name, args });
      return answer;
    },
    subscribe: () => () => undefined,
  },
};

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
    useOnlineReportsStore.setState({
      reports: [],
      investigators: [],
      error: null,
      now: NOW,
      openedFiles: {},
      openingFiles: null,
      fileErrors: {},
      viewing: null,
    });
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

const FILES: OnlineReport['files'] = [
  { n: 1, fileName: 'bike.jpg', contentType: 'image/jpeg', size: 1_468_006 },
  { n: 2, fileName: 'lock.png', contentType: 'image/png', size: 850 },
  { n: 3, fileName: 'Receipt (store).pdf', contentType: 'application/pdf', size: 14_540 },
];
const ROOT = '/tip-media/tabkey123456789012345678/';

describe("a report's files in the Public panel", () => {
  const withFiles = report(5, { files: FILES });
  const until = new Date(NOW + 15 * 60_000).toISOString();

  beforeEach(() => {
    calls.length = 0;
    saved.length = 0;
    useSessionStore.setState({
      session: sessionAs('analyst'),
      agency: TEST_CITY,
      info: { tipMediaRoot: ROOT } as never,
    });
    useOnlineReportsStore.setState({
      reports: [withFiles],
      error: null,
      now: NOW,
      openedFiles: {},
      openingFiles: null,
      fileErrors: {},
      viewing: null,
    });
  });

  it('lists each file by name, kind and size, and shows none of them until the files are opened', () => {
    const html = renderToStaticMarkup(<PublicPanel />);
    const shown = text(html);
    expect(shown).toContain('3 files from the reporter');
    expect(shown).toContain('bike.jpg JPEG photo · 1.4 MB');
    expect(shown).toContain('lock.png PNG image · 850 bytes');
    expect(shown).toContain('Receipt (store).pdf PDF document · 14.2 KB');
    expect(html).toContain('data-testid="report-open-files"');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('online-report/');
  });

  it('once opened: photo thumbnails from the host, a PDF to save, each a button named for its file', () => {
    useOnlineReportsStore.setState({ openedFiles: { [withFiles.id]: until } });
    const html = renderToStaticMarkup(<PublicPanel />);
    const url = (n: number) => `${ROOT}online-report/${withFiles.id}/${n}/original`;
    expect(html).toContain(`src="${url(1)}"`);
    expect(html).toContain(`src="${url(2)}"`);
    // A PDF is never shown in the console: it is saved.
    expect(html).not.toContain(url(3));
    expect(html).toContain('aria-label="View bike.jpg large"');
    expect(html).toContain('aria-label="Save Receipt (store).pdf"');
    expect(html.match(/<button[^>]*id="report-file-/g)).toHaveLength(3);
    expect(html).not.toContain('data-testid="report-open-files"');
    expect(html).not.toContain('role="dialog"');
  });

  it('shows a photo large in a dialog, with the way to the other photo and out by the keyboard', () => {
    useOnlineReportsStore.setState({
      openedFiles: { [withFiles.id]: until },
      viewing: { reportId: withFiles.id, n: 2 },
    });
    const html = renderToStaticMarkup(<PublicPanel />);
    const viewer = html.slice(html.indexOf('data-testid="report-file-viewer"'));
    expect(html).toContain('role="dialog" aria-modal="true"');
    expect(html).toContain(`aria-label="lock.png, photo 2 of 2 of ${withFiles.tempNumber}"`);
    expect(viewer).toContain(`src="${ROOT}online-report/${withFiles.id}/2/original"`);
    expect(viewer).toContain('alt="lock.png"');
    const shown = text(viewer);
    expect(shown).toContain('Previous ←');
    expect(shown).toContain('Next →');
    expect(shown).toContain('Close Esc');
  });

  it('asks to open them again once the opening has run out', () => {
    useOnlineReportsStore.setState({
      openedFiles: { [withFiles.id]: until },
      now: NOW + 15 * 60_000,
      viewing: { reportId: withFiles.id, n: 1 },
    });
    const html = renderToStaticMarkup(<PublicPanel />);
    expect(html).toContain('data-testid="report-open-files"');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('role="dialog"');
  });

  it('opens the files through the server, and says why when it cannot', async () => {
    answer = { ok: true, value: { reportId: withFiles.id, expiresAt: until } };
    await useOnlineReportsStore.getState().openFiles(withFiles.id);
    expect(calls).toEqual([{ name: 'onlineReports.openFiles', args: { id: withFiles.id } }]);
    expect(useOnlineReportsStore.getState().openedFiles).toEqual({ [withFiles.id]: until });

    const refused = report(6, { files: FILES });
    useOnlineReportsStore.setState({ reports: [withFiles, refused] });
    answer = {
      ok: false,
      error: { code: 'not_found', message: 'There is no online report with this id.' },
    };
    await useOnlineReportsStore.getState().openFiles(refused.id);
    expect(useOnlineReportsStore.getState().openedFiles).toEqual({ [withFiles.id]: until });
    useOnlineReportsStore.setState({ now: NOW });
    const html = renderToStaticMarkup(<PublicPanel />);
    expect(html).toContain('role="alert">There is no online report with this id.</p>');
    expect(html.match(/role="alert"/g)).toHaveLength(1);
  });

  it('saves a PDF under its name from the host, and says so when the opening has gone', async () => {
    const requested: string[] = [];
    const pdf = new Blob(['%PDF-1.4'], { type: 'application/pdf' });
    let status = 200;
    vi.stubGlobal('fetch', async (url: string) => {
      requested.push(url);
      return new Response(status === 200 ? pdf : 'no such media\n', { status });
    });
    try {
      const file = FILES[2]!;
      await useOnlineReportsStore.getState().saveReportFile(withFiles.id, file);
      expect(requested).toEqual([`${ROOT}online-report/${withFiles.id}/3/original`]);
      expect(saved.map((s) => s.name)).toEqual(['Receipt (store).pdf']);
      expect(await saved[0]!.blob.text()).toBe('%PDF-1.4');
      expect(useOnlineReportsStore.getState().fileErrors).toEqual({});

      status = 404;
      await useOnlineReportsStore.getState().saveReportFile(withFiles.id, file);
      expect(saved).toHaveLength(1);
      expect(useOnlineReportsStore.getState().fileErrors).toEqual({
        [withFiles.id]: 'Receipt (store).pdf is not open any more: open the files again.',
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
