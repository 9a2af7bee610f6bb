import type { TileState } from './tileHealth';

/** Each state has a symbol and a word as well as a colour, for readers who cannot tell colours apart. */
export const TILE_STATE_LABELS: Readonly<
  Record<TileState, { readonly symbol: string; readonly word: string }>
> = {
  idle: { symbol: '', word: 'Empty' },
  starting: { symbol: '◌', word: 'Starting' },
  live: { symbol: '●', word: 'Live' },
  reconnecting: { symbol: '↻', word: 'Reconnecting' },
  failed: { symbol: '✕', word: 'Failed' },
  revoked: { symbol: '⊘', word: 'Revoked' },
  outside_window: { symbol: '◷', word: 'Not shared now' },
  paused: { symbol: '❚❚', word: 'Paused' },
};

export function formatLatency(ms: number | null): string {
  if (ms === null) return '';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
