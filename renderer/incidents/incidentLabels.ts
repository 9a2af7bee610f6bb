import type { IncidentStatus } from '../../shared/domain/incidents';

/**
 * How an incident's priority and status read: always a symbol and a word together, so neither
 * colour nor shape alone carries the meaning (the same symbol on the board, the detail and the map).
 */

export interface PriorityStyle {
  /** The CSS class suffix: p1, p2, p3, p4 (4 and beyond), px (none given). */
  readonly key: 'p1' | 'p2' | 'p3' | 'p4' | 'px';
  readonly symbol: string;
  readonly color: string;
  /** "P1", "P5", "P?" */
  readonly short: string;
  /** "Priority 1 · emergency" */
  readonly word: string;
}

const STYLES = {
  p1: { symbol: '◆', color: '#d62728', word: 'emergency' },
  p2: { symbol: '▲', color: '#ff7f0e', word: 'urgent' },
  p3: { symbol: '●', color: '#e5c400', word: 'prompt' },
  p4: { symbol: '■', color: '#4c8fd6', word: 'routine' },
} as const;

export function priorityStyle(priority: number | null): PriorityStyle {
  if (priority === null) {
    return { key: 'px', symbol: '?', color: '#9aa3ad', short: 'P?', word: 'No priority given' };
  }
  const key = priority <= 1 ? 'p1' : priority === 2 ? 'p2' : priority === 3 ? 'p3' : 'p4';
  const s = STYLES[key];
  return {
    key,
    symbol: s.symbol,
    color: s.color,
    short: `P${priority}`,
    word: `Priority ${priority} · ${s.word}`,
  };
}

export const STATUS_LABEL: Readonly<Record<IncidentStatus, string>> = {
  pending: 'Pending',
  dispatched: 'Dispatched',
  en_route: 'En route',
  on_scene: 'On scene',
  cleared: 'Cleared',
  closed: 'Closed',
};

/** Fills as the call moves from waiting to done. */
export const STATUS_SYMBOL: Readonly<Record<IncidentStatus, string>> = {
  pending: '○',
  dispatched: '◔',
  en_route: '◑',
  on_scene: '●',
  cleared: '✓',
  closed: '✕',
};

export const statusText = (s: IncidentStatus) => `${STATUS_SYMBOL[s]} ${STATUS_LABEL[s]}`;
