import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AgencyConfig } from '../../../shared/domain/agency';
import { TEST_AGENCY } from './agencyFixture';
import { RETENTION_KIND_INFO, RETENTION_KINDS } from '../../../shared/domain/retention';
import { sessionAs } from '../cases/caseFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    call: async () => ({ ok: false, error: { code: 'failed', message: 'not faked' } }),
    subscribe: () => () => undefined,
  },
};

const { SectionEditor } = await import('../../../renderer/agency/AgencySettingsPanel');
const { useAgencySettingsStore } = await import('../../../renderer/agency/agencySettingsStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');

const AGENCY: AgencyConfig = TEST_AGENCY;

function render(): string {
  Object.assign(useAgencySettingsStore.getInitialState(), useAgencySettingsStore.getState());
  Object.assign(useSessionStore.getInitialState(), useSessionStore.getState());
  return renderToStaticMarkup(<SectionEditor name="retention" />);
}

/** The retention section of the agency settings (docs/retention.md). */
describe('the retention section', () => {
  beforeEach(() => {
    useAgencySettingsStore.setState({
      saved: AGENCY,
      drafts: {},
      serverErrors: {},
      error: null,
      saving: null,
      lastSaved: null,
      changedElsewhere: [],
    });
    useSessionStore.setState({ session: sessionAs('admin') });
  });

  it('shows every kind with its period, its floor and why, and the purge button', () => {
    const html = render();
    for (const kind of RETENTION_KINDS) {
      expect(html).toContain(`data-testid="agency-${kind}"`);
      expect(html).toContain(`At least ${RETENTION_KIND_INFO[kind].floorDays} days`);
    }
    expect(html).toMatch(/data-testid="agency-lprUnmatched" value="30"/);
    expect(html).toContain('CJIS 5.4.7');
    expect(html).toContain('data-testid="retention-purge-now"');
  });

  it('marks a period below its floor and refuses to save it', () => {
    useAgencySettingsStore.getState().edit('retention', { ...AGENCY.retention, cameraViews: 200 });
    const html = render();
    expect(html).toMatch(/data-testid="agency-error-cameraViews"[^>]*>[^<]*at least 365 days/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="agency-save"/);
  });

  it('offers the purge only to whoever may run it', () => {
    useSessionStore.setState({ session: sessionAs('supervisor') });
    expect(render()).not.toContain('retention-purge-now');
  });
});
