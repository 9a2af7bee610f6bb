import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIP_FILTERS,
  listArgs,
  mergePage,
  tipMatches,
  upsertTip,
} from '../../../renderer/tips/tipFilters';
import { testTip } from './tipFixture';

const NOW = Date.parse('2026-11-29T13:00:00.000Z');
const ME = '0d7f5a3e-2b1c-4a5d-9e8f-000000000001';
const photo = {
  n: 0,
  contentType: 'image/jpeg',
  kind: 'image' as const,
  state: 'stored' as const,
  failure: null,
  attempts: 1,
  size: 1000,
  sha256: 'a'.repeat(64),
  preview: true,
  playable: false,
};

describe('tip filters', () => {
  it('asks for the open tips by default, newest first in pages of 50', () => {
    expect(listArgs(DEFAULT_TIP_FILTERS, NOW)).toEqual({ state: 'open', limit: 50 });
  });

  it('turns every filter into the call’s arguments', () => {
    const args = listArgs(
      { state: 'all', range: '1h', hasMedia: 'no', mine: true, q: '  sedan  ' },
      NOW,
      'b1a2c3d4-0000-4000-8000-000000000009',
    );
    expect(args).toEqual({
      since: '2026-11-29T12:00:00.000Z',
      hasMedia: false,
      assignedTo: 'me',
      q: 'sedan',
      before: 'b1a2c3d4-0000-4000-8000-000000000009',
      limit: 50,
    });
  });

  it('"open" admits new and reviewing tips and no others', () => {
    const f = DEFAULT_TIP_FILTERS;
    expect(tipMatches(testTip({ state: 'new' }), f, ME, NOW)).toBe(true);
    expect(tipMatches(testTip({ state: 'reviewing' }), f, ME, NOW)).toBe(true);
    expect(tipMatches(testTip({ state: 'actionable' }), f, ME, NOW)).toBe(false);
    expect(tipMatches(testTip({ state: 'duplicate' }), { ...f, state: 'duplicate' }, ME, NOW)).toBe(
      true,
    );
    expect(tipMatches(testTip({ state: 'no_action' }), { ...f, state: 'all' }, ME, NOW)).toBe(true);
  });

  it('applies the time range, media, assignee and every word of the search', () => {
    const f = { ...DEFAULT_TIP_FILTERS, state: 'all' as const };
    const old = testTip({ receivedAt: '2026-11-29T11:30:00.000Z' });
    expect(tipMatches(old, { ...f, range: '1h' }, ME, NOW)).toBe(false);
    expect(tipMatches(old, { ...f, range: 'shift' }, ME, NOW)).toBe(true);
    const withPhoto = testTip({ attachments: [photo] });
    expect(tipMatches(withPhoto, { ...f, hasMedia: 'yes' }, ME, NOW)).toBe(true);
    expect(tipMatches(withPhoto, { ...f, hasMedia: 'no' }, ME, NOW)).toBe(false);
    expect(tipMatches(testTip(), { ...f, hasMedia: 'yes' }, ME, NOW)).toBe(false);
    const mine = testTip({ assignedTo: { id: ME, name: 'A. Analyst' } });
    expect(tipMatches(mine, { ...f, mine: true }, ME, NOW)).toBe(true);
    expect(tipMatches(testTip(), { ...f, mine: true }, ME, NOW)).toBe(false);
    expect(tipMatches(mine, { ...f, mine: true }, null, NOW)).toBe(false);
    expect(tipMatches(testTip(), { ...f, q: 'SEDAN liberty' }, ME, NOW)).toBe(true);
    expect(tipMatches(testTip(), { ...f, q: 'sedan truck' }, ME, NOW)).toBe(false);
  });

  it('keeps the list newest first with each tip once', () => {
    const a = testTip({ receivedAt: '2026-11-29T12:00:00.000Z' });
    const b = testTip({ receivedAt: '2026-11-29T12:05:00.000Z' });
    const c = testTip({ receivedAt: '2026-11-29T11:00:00.000Z' });
    const list = upsertTip([a], b);
    expect(list.map((t) => t.id)).toEqual([b.id, a.id]);
    expect(upsertTip(list, { ...a, state: 'reviewing' }).map((t) => [t.id, t.state])).toEqual([
      [b.id, 'new'],
      [a.id, 'reviewing'],
    ]);
    expect(mergePage(list, [a, c]).map((t) => t.id)).toEqual([b.id, a.id, c.id]);
  });
});
