import { describe, expect, it } from 'vitest';
import { TIP_EVENT_REDUCERS, type TipData, type TipDetail } from '../../../renderer/tips/tipEvents';
import type { TipReply } from '../../../shared/domain/tips';
import { testTip } from './tipFixture';

const video = {
  n: 1,
  contentType: 'video/3gpp',
  kind: 'video' as const,
  state: 'pending' as const,
  failure: null,
  attempts: 0,
  size: null,
  sha256: null,
  preview: false,
  playable: false,
};

const tip = testTip({ attachments: [video] });
const other = testTip({ threadId: '3f1d6a2b-5c4e-4f70-9a81-000000000002', alias: 'ZX81' });
const reply: TipReply = {
  id: '9e8d7c6b-0000-4000-8000-000000000001',
  threadId: tip.threadId,
  tipId: tip.id,
  at: '2026-11-29T12:01:00.000Z',
  body: 'Thank you. Which direction did it leave?',
  state: 'queued',
  failure: null,
  sentBy: { id: 'u1', name: 'A. Analyst' },
};
const detail: TipDetail = {
  tip,
  thread: {
    id: tip.threadId,
    alias: tip.alias,
    optedOut: false,
    firstAt: tip.receivedAt,
    lastAt: reply.at,
  },
  entries: [
    { kind: 'tip', tip },
    { kind: 'reply', reply },
  ],
};
const data: TipData = { tips: [tip, other], detail };

describe('tip event reducers', () => {
  it('a new tip is read in full, and the open conversation reloads when it is its thread', () => {
    const base = {
      threadId: tip.threadId,
      alias: 'K7Q2',
      receivedAt: '2026-11-29T12:10:00.000Z',
      preview: 'and a second photo',
      mediaCount: 1,
      outsideHours: false,
      tipId: '7c0e2f9a-1b2c-4d3e-8f40-aaaaaaaaaaaa',
    };
    const r = TIP_EVENT_REDUCERS['tip.received'](data, base);
    expect(r.data).toBe(data);
    expect(r.effects).toEqual({ refetch: [base.tipId], reloadDetail: true });
    const elsewhere = TIP_EVENT_REDUCERS['tip.received'](data, {
      ...base,
      threadId: other.threadId,
    });
    expect(elsewhere.effects.reloadDetail).toBe(false);
  });

  it('a state change shows at once in the list, the open tip and its conversation', () => {
    const r = TIP_EVENT_REDUCERS['tip.updated'](data, {
      tipId: tip.id,
      change: 'state',
      state: 'actionable',
      assignedTo: null,
      byName: 'B. Lieutenant',
    });
    expect(r.data.tips.find((t) => t.id === tip.id)!.state).toBe('actionable');
    expect(r.data.tips.find((t) => t.id === other.id)!.state).toBe('new');
    expect(r.data.detail!.tip.state).toBe('actionable');
    const entry = r.data.detail!.entries[0]!;
    expect(entry.kind === 'tip' && entry.tip.state).toBe('actionable');
    expect(r.effects.refetch).toEqual([tip.id]);
  });

  it('an attachment’s state and failure reason apply to that attachment only', () => {
    const r = TIP_EVENT_REDUCERS['tip.attachmentChanged'](data, {
      tipId: tip.id,
      n: 1,
      state: 'failed',
      failure: 'The file is larger than 20 MB.',
    });
    const a = r.data.tips.find((t) => t.id === tip.id)!.attachments[0]!;
    expect([a.state, a.failure]).toEqual(['failed', 'The file is larger than 20 MB.']);
    expect(r.data.detail!.tip.attachments[0]!.state).toBe('failed');
    expect(r.effects.refetch).toEqual([]);
    const stored = TIP_EVENT_REDUCERS['tip.attachmentChanged'](data, {
      tipId: tip.id,
      n: 1,
      state: 'stored',
      failure: null,
    });
    // Its size, hash and renditions come with the full record.
    expect(stored.effects.refetch).toEqual([tip.id]);
    const unseen = TIP_EVENT_REDUCERS['tip.attachmentChanged'](data, {
      tipId: '7c0e2f9a-1b2c-4d3e-8f40-bbbbbbbbbbbb',
      n: 0,
      state: 'stored',
      failure: null,
    });
    expect(unseen.data).toBe(data);
    expect(unseen.effects.refetch).toEqual([]);
  });

  it('a reply’s state follows the provider; an unknown reply reloads the conversation', () => {
    const r = TIP_EVENT_REDUCERS['tip.replyChanged'](data, {
      tipId: tip.id,
      threadId: tip.threadId,
      replyId: reply.id,
      state: 'failed',
      failure: 'The destination number is unreachable.',
      automatic: false,
    });
    const entry = r.data.detail!.entries[1]!;
    expect(entry.kind === 'reply' && [entry.reply.state, entry.reply.failure]).toEqual([
      'failed',
      'The destination number is unreachable.',
    ]);
    const automatic = TIP_EVENT_REDUCERS['tip.replyChanged'](data, {
      tipId: null,
      threadId: tip.threadId,
      replyId: '9e8d7c6b-0000-4000-8000-000000000002',
      state: 'sent',
      failure: null,
      automatic: true,
    });
    expect(automatic.effects.reloadDetail).toBe(true);
    const otherThread = TIP_EVENT_REDUCERS['tip.replyChanged'](data, {
      tipId: other.id,
      threadId: other.threadId,
      replyId: '9e8d7c6b-0000-4000-8000-000000000003',
      state: 'sent',
      failure: null,
      automatic: true,
    });
    expect(otherThread.data).toBe(data);
    expect(otherThread.effects).toEqual({ refetch: [], reloadDetail: false });
  });

  it('an opt-out shows on the open conversation', () => {
    const r = TIP_EVENT_REDUCERS['tipThread.updated'](data, {
      threadId: tip.threadId,
      alias: 'K7Q2',
      optedOut: true,
    });
    expect(r.data.detail!.thread.optedOut).toBe(true);
    const elsewhere = TIP_EVENT_REDUCERS['tipThread.updated'](data, {
      threadId: other.threadId,
      alias: 'ZX81',
      optedOut: true,
    });
    expect(elsewhere.data).toBe(data);
  });

  it('an assignment to me reads the tip again (the name is not in the event)', () => {
    const r = TIP_EVENT_REDUCERS['tip.assigned'](data, {
      tipId: tip.id,
      alias: 'K7Q2',
      assigneeId: 'u1',
      byName: 'B. Lieutenant',
    });
    expect(r.effects.refetch).toEqual([tip.id]);
  });
});
