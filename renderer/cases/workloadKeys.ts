/**
 * The workload view's keyboard, as a pure function from a key press to the next cursor and, when
 * the lieutenant confirms a move, the reassignment to make. Select a case with the arrows, press
 * M (or Enter) to move it, choose the analyst with the arrows and Enter, or with their number.
 */

/** One lane of the view: an analyst's cases, or (userId null) the cases nobody has. */
export interface WorkloadLane {
  readonly userId: string | null;
  readonly items: readonly { readonly number: string }[];
}

export interface WorkloadCursor {
  /** The selected case: its lane and place in the lane; null when none is. */
  readonly at: { readonly lane: number; readonly item: number } | null;
  /** While choosing where to move it: the lane highlighted. */
  readonly target: number | null;
}

export interface Reassignment {
  readonly number: string;
  /** The analyst it leaves; null for a case nobody had. */
  readonly from: string | null;
  readonly to: string;
}

export interface KeyOutcome {
  readonly cursor: WorkloadCursor;
  readonly move: Reassignment | null;
  /** Whether the key meant something here (the console's own shortcuts must not see it). */
  readonly handled: boolean;
}

export const NO_CURSOR: WorkloadCursor = { at: null, target: null };

/** Every case in lane order: the order the arrows walk. */
function positions(lanes: readonly WorkloadLane[]) {
  return lanes.flatMap((lane, l) => lane.items.map((_, i) => ({ lane: l, item: i })));
}

/** Lanes a case can be moved to: the analysts'. */
const analystLanes = (lanes: readonly WorkloadLane[]) =>
  lanes.flatMap((lane, l) => (lane.userId === null ? [] : [l]));

function stepSelection(cursor: WorkloadCursor, lanes: readonly WorkloadLane[], step: 1 | -1) {
  const all = positions(lanes);
  if (all.length === 0) return cursor;
  const at = cursor.at;
  const now = at ? all.findIndex((p) => p.lane === at.lane && p.item === at.item) : -1;
  const next = now === -1 ? (step === 1 ? 0 : all.length - 1) : now + step;
  const clamped = Math.max(0, Math.min(all.length - 1, next));
  return { at: all[clamped]!, target: null };
}

function moveTo(cursor: WorkloadCursor, lanes: readonly WorkloadLane[], lane: number): KeyOutcome {
  const at = cursor.at!;
  const source = lanes[at.lane]!;
  const to = lanes[lane]?.userId;
  const done = { cursor: { at: cursor.at, target: null }, handled: true };
  if (!to || lane === at.lane) return { ...done, move: null };
  return { ...done, move: { number: source.items[at.item]!.number, from: source.userId, to } };
}

export function workloadKey(
  key: string,
  cursor: WorkloadCursor,
  lanes: readonly WorkloadLane[],
): KeyOutcome {
  const unhandled = { cursor, move: null, handled: false };
  const selected = cursor.at && lanes[cursor.at.lane]?.items[cursor.at.item] ? cursor.at : null;
  if (cursor.target !== null && selected) {
    const targets = analystLanes(lanes);
    const place = targets.indexOf(cursor.target);
    switch (key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const next = targets[place + (key === 'ArrowDown' ? 1 : -1)];
        return { cursor: { ...cursor, target: next ?? cursor.target }, move: null, handled: true };
      }
      case 'Enter':
        return moveTo(cursor, lanes, cursor.target);
      case 'Escape':
        return { cursor: { at: selected, target: null }, move: null, handled: true };
      default:
        if (/^[1-9]$/.test(key)) {
          const lane = targets[Number(key) - 1];
          return lane === undefined
            ? { cursor, move: null, handled: true }
            : moveTo(cursor, lanes, lane);
        }
        return { cursor, move: null, handled: true };
    }
  }
  switch (key) {
    case 'ArrowDown':
      return { cursor: stepSelection(cursor, lanes, 1), move: null, handled: true };
    case 'ArrowUp':
      return { cursor: stepSelection(cursor, lanes, -1), move: null, handled: true };
    case 'm':
    case 'M':
    case 'Enter': {
      if (!selected) return unhandled;
      const targets = analystLanes(lanes);
      const start = targets.includes(selected.lane) ? selected.lane : targets[0];
      if (start === undefined) return unhandled;
      return { cursor: { at: selected, target: start }, move: null, handled: true };
    }
    case 'Escape':
      return selected ? { cursor: NO_CURSOR, move: null, handled: true } : unhandled;
    default:
      return unhandled;
  }
}
