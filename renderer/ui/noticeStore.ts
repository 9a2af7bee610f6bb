import { create } from 'zustand';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'warning' | 'error';
  readonly text: string;
}

interface NoticeStore {
  readonly notices: readonly Notice[];
  push(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextId = 1;
/** Only the latest few stay: a burst of failures should not bury the wall. */
const KEEP = 4;

export const useNoticeStore = create<NoticeStore>()((set, get) => ({
  notices: [],
  push(tone, text) {
    const notice = { id: nextId++, tone, text };
    set({ notices: [...get().notices, notice].slice(-KEEP) });
  },
  dismiss(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
}));

export const notify = (tone: Notice['tone'], text: string) =>
  useNoticeStore.getState().push(tone, text);
