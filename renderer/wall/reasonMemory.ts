import type { ViewReason } from '../../shared/domain/reasons';

/**
 * Which cameras the analyst has already given a reason for, this shift. The reason is asked
 * once per camera and assignment: the same camera under the same case is not asked again;
 * a new case, or a new camera, is.
 */
export interface ReasonMemory {
  /** The assignment being worked: the last reason given, offered first in the dialog. */
  readonly current: ViewReason | null;
  /** cameraId -> assignment keys it was viewed under. */
  readonly granted: Readonly<Record<string, readonly string[]>>;
}

export const EMPTY_REASON_MEMORY: ReasonMemory = { current: null, granted: {} };

/** Two reasons are the same assignment when the code and the case number match. */
export function assignmentKey(r: ViewReason): string {
  return `${r.code}|${(r.reference ?? '').trim().toUpperCase()}`;
}

/** The reason to use for a camera without asking, or null when the analyst must be asked. */
export function rememberedReason(mem: ReasonMemory, cameraId: string): ViewReason | null {
  if (!mem.current) return null;
  return mem.granted[cameraId]?.includes(assignmentKey(mem.current)) ? mem.current : null;
}

export function remember(
  mem: ReasonMemory,
  cameraIds: readonly string[],
  reason: ViewReason,
): ReasonMemory {
  const key = assignmentKey(reason);
  const granted = { ...mem.granted };
  for (const id of cameraIds) {
    const keys = granted[id] ?? [];
    if (!keys.includes(key)) granted[id] = [...keys, key];
  }
  return { current: reason, granted };
}
