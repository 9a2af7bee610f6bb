import { create } from 'zustand';
import type { FeedState } from '../../shared/api/views';
import { subscribe } from './watchfloor';

interface FeedStore {
  readonly feed: FeedState | null;
  start(): () => void;
}

/** The live event feed's connection, for the status light in the top bar. */
export const useFeedStore = create<FeedStore>()((set) => ({
  feed: null,
  start: () => subscribe('feed', (feed) => set({ feed })),
}));
