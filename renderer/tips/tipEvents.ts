import type { z } from 'zod';
import type { EventPayload } from '../../shared/api/eventCatalog';
import type { TipDetailSchema } from '../../shared/api/tips';
import type { AttachmentState, Tip } from '../../shared/domain/tips';

export type TipDetail = z.infer<typeof TipDetailSchema>;

/** What the tip events change: the list as shown and the open tip's conversation. */
export interface TipData {
  readonly tips: readonly Tip[];
  readonly detail: TipDetail | null;
}

/** What a reducer asks the store to read again, besides what it changed in place. */
export interface TipEffects {
  /** Tips to read again with `tips.get` (their full record is not in the event). */
  readonly refetch: readonly string[];
  /** The open conversation needs reading again (a message not yet in it). */
  readonly reloadDetail: boolean;
}

export interface TipReduction {
  readonly data: TipData;
  readonly effects: TipEffects;
}

const NONE: TipEffects = { refetch: [], reloadDetail: false };

function mapTips(data: TipData, id: string, change: (t: Tip) => Tip): TipData {
  const touch = (t: Tip) => (t.id === id ? change(t) : t);
  const detail = data.detail;
  return {
    tips: data.tips.some((t) => t.id === id) ? data.tips.map(touch) : data.tips,
    detail: detail
      ? {
          ...detail,
          tip: touch(detail.tip),
          entries: detail.entries.map((e) => (e.kind === 'tip' ? { ...e, tip: touch(e.tip) } : e)),
        }
      : null,
  };
}

/** Whether the data shows this tip anywhere (the list, the open tip, its conversation). */
export function showsTip(data: TipData, id: string): boolean {
  return (
    data.tips.some((t) => t.id === id) ||
    data.detail?.tip.id === id ||
    (data.detail?.entries.some((e) => e.kind === 'tip' && e.tip.id === id) ?? false)
  );
}

/**
 * The tip events as pure functions of what the console shows: the change the payload carries is
 * applied at once, and what it cannot carry (a new tip's record, an assignee's name) is read
 * again by the store.
 */
export const TIP_EVENT_REDUCERS = {
  'tip.received'(data: TipData, p: EventPayload<'tip.received'>): TipReduction {
    const inThread = data.detail?.thread.id === p.threadId;
    return { data, effects: { refetch: [p.tipId], reloadDetail: inThread } };
  },

  'tip.updated'(data: TipData, p: EventPayload<'tip.updated'>): TipReduction {
    if (!showsTip(data, p.tipId))
      return { data, effects: { refetch: [p.tipId], reloadDetail: false } };
    const next = mapTips(data, p.tipId, (t) => ({
      ...t,
      state: p.state,
      ...(p.assignedTo === null ? { assignedTo: null } : {}),
    }));
    // The assignee's name, the links and who changed the state come with the full record.
    return { data: next, effects: { refetch: [p.tipId], reloadDetail: false } };
  },

  'tip.assigned'(data: TipData, p: EventPayload<'tip.assigned'>): TipReduction {
    return { data, effects: { refetch: [p.tipId], reloadDetail: false } };
  },

  'tip.attachmentChanged'(data: TipData, p: EventPayload<'tip.attachmentChanged'>): TipReduction {
    if (!showsTip(data, p.tipId)) return { data, effects: NONE };
    const state: AttachmentState = p.state;
    const next = mapTips(data, p.tipId, (t) => ({
      ...t,
      attachments: t.attachments.map((a) =>
        a.n === p.n ? { ...a, state, failure: p.failure } : a,
      ),
    }));
    // Size, hash and renditions arrive with the record once a file is stored.
    return {
      data: next,
      effects: { refetch: p.state === 'stored' ? [p.tipId] : [], reloadDetail: false },
    };
  },

  'tip.replyChanged'(data: TipData, p: EventPayload<'tip.replyChanged'>): TipReduction {
    const detail = data.detail;
    if (!detail || detail.thread.id !== p.threadId) return { data, effects: NONE };
    const known = detail.entries.some((e) => e.kind === 'reply' && e.reply.id === p.replyId);
    if (!known) return { data, effects: { refetch: [], reloadDetail: true } };
    const entries = detail.entries.map((e) =>
      e.kind === 'reply' && e.reply.id === p.replyId
        ? { ...e, reply: { ...e.reply, state: p.state, failure: p.failure } }
        : e,
    );
    return { data: { ...data, detail: { ...detail, entries } }, effects: NONE };
  },

  'tipThread.updated'(data: TipData, p: EventPayload<'tipThread.updated'>): TipReduction {
    const detail = data.detail;
    if (!detail || detail.thread.id !== p.threadId) return { data, effects: NONE };
    return {
      data: { ...data, detail: { ...detail, thread: { ...detail.thread, optedOut: p.optedOut } } },
      effects: NONE,
    };
  },
} as const;
