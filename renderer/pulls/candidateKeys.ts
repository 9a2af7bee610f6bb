import type { CandidateOutcome } from '../../shared/domain/pulls';

/**
 * The keys of the candidate list (while it has the focus, they are its own and not the wall's):
 * one letter per outcome, arrows or j / k to move, o to reveal the owner's contact.
 */
export const OUTCOME_KEYS: readonly { readonly key: string; readonly outcome: CandidateOutcome }[] =
  [
    { key: 'c', outcome: 'contacted' },
    { key: 'f', outcome: 'footage_obtained' },
    { key: 'n', outcome: 'no_footage' },
    { key: 'd', outcome: 'declined' },
    { key: 'x', outcome: 'not_relevant' },
    { key: 'u', outcome: 'not_contacted' },
  ];

export type CandidateKeyAction =
  | { readonly type: 'outcome'; readonly outcome: CandidateOutcome }
  | { readonly type: 'move'; readonly step: 1 | -1 }
  | { readonly type: 'reveal' };

export function candidateKeyAction(k: {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}): CandidateKeyAction | null {
  if (k.ctrlKey || k.altKey || k.metaKey) return null;
  if (k.key === 'ArrowDown' || k.key === 'j') return { type: 'move', step: 1 };
  if (k.key === 'ArrowUp' || k.key === 'k') return { type: 'move', step: -1 };
  if (k.key === 'o') return { type: 'reveal' };
  const hit = OUTCOME_KEYS.find((o) => o.key === k.key.toLowerCase());
  return hit ? { type: 'outcome', outcome: hit.outcome } : null;
}

export const keyOfOutcome = (outcome: CandidateOutcome) =>
  OUTCOME_KEYS.find((o) => o.outcome === outcome)!.key.toUpperCase();
