import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Tip } from '../../../shared/domain/tips';
import type { ViewReason } from '../../../shared/domain/reasons';
import { testTip } from './tipFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { useTipStore } = await import('../../../renderer/tips/tipStore');
const { openTipMedia, TIP_MEDIA_SUBJECT } = await import('../../../renderer/tips/tipMedia');
const { useReasonStore } = await import('../../../renderer/wall/reasonStore');
const { remember, EMPTY_REASON_MEMORY } = await import('../../../renderer/wall/reasonMemory');

/** A fake `window.watchfloor`: the tips the "server" holds, and every call made. */
const server = { tips: new Map<string, Tip>(), calls: [] as { name: string; args: unknown }[] };

function detailOf(tip: Tip) {
  return {
    tip,
    thread: {
      id: tip.threadId,
      alias: tip.alias,
      optedOut: false,
      firstAt: tip.receivedAt,
      lastAt: tip.receivedAt,
    },
    entries: [{ kind: 'tip', tip }],
  };
}

const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    if (name === 'tips.list')
      return { ok: true, value: { tips: [...server.tips.values()], next: null } };
    if (name === 'tips.get') {
      const tip = server.tips.get(args.id as string);
      return tip
        ? { ok: true, value: detailOf(tip) }
        : { ok: false, error: { code: 'not_found', message: 'No such tip.' } };
    }
    if (name === 'tips.openMedia')
      return {
        ok: true,
        value: { token: 'tok_abcdefghijklmnopqrstuvwxyz', expiresAt: '2026-11-29T14:00:00.000Z' },
      };
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the tip store', () => {
  beforeEach(() => {
    server.tips.clear();
    server.calls.length = 0;
    useTipStore.getState().reset();
    useReasonStore.getState().reset();
  });

  it('a received tip appears in the open list, read in full, newest first', async () => {
    const first = testTip({ receivedAt: new Date(Date.now() - 60_000).toISOString() });
    server.tips.set(first.id, first);
    await useTipStore.getState().load();
    expect(useTipStore.getState().tips.map((t) => t.id)).toEqual([first.id]);

    const second = testTip({ receivedAt: new Date().toISOString(), body: 'a blue van' });
    server.tips.set(second.id, second);
    applyServerEvent({
      id: 1,
      at: second.receivedAt,
      type: 'tip.received',
      payload: {
        tipId: second.id,
        threadId: second.threadId,
        alias: second.alias,
        receivedAt: second.receivedAt,
        preview: 'a blue van',
        mediaCount: 0,
        outsideHours: false,
      },
    });
    await settle();
    expect(useTipStore.getState().tips.map((t) => t.id)).toEqual([second.id, first.id]);
  });

  it('a tip triaged out of the open list leaves it, unless it is the one being read', async () => {
    const a = testTip({ receivedAt: new Date().toISOString() });
    const b = testTip({ receivedAt: new Date().toISOString() });
    server.tips.set(a.id, a).set(b.id, b);
    await useTipStore.getState().load();
    await useTipStore.getState().select(a.id);
    for (const t of [a, b]) {
      server.tips.set(t.id, { ...t, state: 'no_action' });
      applyServerEvent({
        id: 2,
        at: t.receivedAt,
        type: 'tip.updated',
        payload: {
          tipId: t.id,
          change: 'state',
          state: 'no_action',
          assignedTo: null,
          byName: 'X',
        },
      });
    }
    await settle();
    await settle();
    const s = useTipStore.getState();
    expect(s.tips.map((t) => [t.id, t.state])).toEqual([[a.id, 'no_action']]);
    expect(s.detail?.tip.state).toBe('no_action');
  });

  it('a malformed tip event changes nothing', async () => {
    await useTipStore.getState().load();
    applyServerEvent({
      id: 3,
      at: '2026-11-29T12:00:00.000Z',
      type: 'tip.received',
      payload: { tipId: 'not-a-uuid' },
    });
    await settle();
    expect(server.calls.filter((c) => c.name === 'tips.get')).toEqual([]);
  });

  it('media open with the reason remembered for the shift, without asking again', async () => {
    const tip = testTip();
    server.tips.set(tip.id, tip);
    await useTipStore.getState().select(tip.id);
    const reason: ViewReason = { code: 'investigation_follow_up', reference: '2026-004512' };
    useReasonStore.setState({ memory: remember(EMPTY_REASON_MEMORY, [TIP_MEDIA_SUBJECT], reason) });
    await openTipMedia(tip);
    expect(useReasonStore.getState().request).toBeNull();
    expect(server.calls.find((c) => c.name === 'tips.openMedia')?.args).toEqual({
      id: tip.id,
      reason,
    });
    expect(useTipStore.getState().media?.token).toBe('tok_abcdefghijklmnopqrstuvwxyz');
  });

  it('without a remembered reason the dialog asks, and cancelling opens nothing', async () => {
    const tip = testTip();
    server.tips.set(tip.id, tip);
    await useTipStore.getState().select(tip.id);
    const opening = openTipMedia(tip);
    expect(useReasonStore.getState().request?.purpose).toBe('tip_media');
    useReasonStore.getState().answer(null);
    await opening;
    expect(server.calls.some((c) => c.name === 'tips.openMedia')).toBe(false);
    expect(useTipStore.getState().media).toBeNull();
  });
});
