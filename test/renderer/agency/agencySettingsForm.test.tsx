import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AgencyConfig } from '../../../shared/domain/agency';
import { TEST_AGENCY } from './agencyFixture';

// The map's libraries touch the DOM when imported; the forms without a map are rendered here.
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

const AGENCY: AgencyConfig = TEST_AGENCY;

/**
 * Renders on the server side of React, which reads a store's initial state (there is no
 * subscription without a DOM): the state the test arranged is made the initial one first.
 */
function render(name: Parameters<typeof SectionEditor>[0]['name']): string {
  Object.assign(useAgencySettingsStore.getInitialState(), useAgencySettingsStore.getState());
  return renderToStaticMarkup(<SectionEditor name={name} />);
}

/** The text of the rendered form, with the markup dropped. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the agency settings form', () => {
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
  });

  it('shows the saved section with nothing to save', () => {
    const html = render('docking');
    expect(html).toContain('data-testid="agency-section-docking"');
    expect(html).not.toContain('agency-changes');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="agency-save"/);
  });

  it('puts each schema message at its field and refuses to save an invalid draft', () => {
    useAgencySettingsStore.getState().edit('docking', {
      reach: { incident: { count: 20, radiusM: 300 }, alert: { count: 4, radiusM: 300 } },
      rules: [],
    });
    const html = render('docking');
    expect(html).toMatch(/data-testid="agency-error-reach\.incident\.count"[^>]*>[^<]*16/);
    expect(html).toMatch(/aria-invalid="true"[^>]*data-testid="agency-reach-incident-count"/);
    expect(textOf(html)).toContain('Correct the fields marked before saving.');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="agency-save"/);
  });

  it('lists what a valid draft changes, before and after, and lets it be saved', () => {
    useAgencySettingsStore.getState().edit('session', { idleLockMinutes: 10 });
    const html = render('session');
    const text = textOf(html);
    expect(text).toContain('1 change to save:');
    expect(text).toMatch(/idleLockMinutes : 30 → 10/);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*data-testid="agency-save"/);
  });

  it('shows a case number format as an example number', () => {
    useAgencySettingsStore.getState().edit('cases', { numberFormat: 'TPD-{yy}-{seq:5}' });
    const text = textOf(render('cases'));
    expect(text).toContain('Example: TPD-26-04512');
  });
});
