import { create } from 'zustand';
import type { ViewReason } from '../../shared/domain/reasons';
import { EMPTY_REASON_MEMORY, remember, rememberedReason, type ReasonMemory } from './reasonMemory';

/** What the reason is asked for: it changes the dialog's words, not the rules. */
export type ReasonPurpose =
  | 'view'
  | 'layout'
  | 'snapshot'
  | 'owner_contact'
  | 'tip_media'
  | 'alert_evidence'
  | 'working_case';

export interface ReasonRequest {
  /** What the reason is for: camera ids, or a subject such as the tip line's media. */
  readonly cameraIds: readonly string[];
  /** Names shown in the dialog, in the order of cameraIds. */
  readonly cameraNames: readonly string[];
  readonly purpose: ReasonPurpose;
}

interface ReasonStore {
  readonly memory: ReasonMemory;
  /** The open dialog's request, or null. */
  readonly request: ReasonRequest | null;
  answer(reason: ViewReason | null): void;
  /** Ends the working case: the next camera asks for a reason again. */
  endWorking(): void;
  reset(): void;
}

let resolveOpen: ((reason: ViewReason | null) => void) | null = null;

export const useReasonStore = create<ReasonStore>()((set, get) => ({
  memory: EMPTY_REASON_MEMORY,
  request: null,
  answer(reason) {
    const req = get().request;
    const resolve = resolveOpen;
    resolveOpen = null;
    if (req && reason && req.purpose !== 'owner_contact')
      set({ memory: remember(get().memory, req.cameraIds, reason) });
    set({ request: null });
    resolve?.(reason);
  },
  endWorking() {
    set({ memory: { ...get().memory, current: null } });
  },
  reset() {
    resolveOpen?.(null);
    resolveOpen = null;
    set({ memory: EMPTY_REASON_MEMORY, request: null });
  },
}));

/** Ask the analyst for a reason (the dialog opens); null if they cancel. */
export function askReason(request: ReasonRequest): Promise<ViewReason | null> {
  resolveOpen?.(null);
  return new Promise((resolve) => {
    resolveOpen = resolve;
    useReasonStore.setState({ request });
  });
}

/**
 * What a working case covers without asking: looking at cameras. Opening a tip's media or an
 * alert's images is asked once per subject and case, and an owner's contact every time.
 */
const WORKING_CASE_COVERS: readonly ReasonPurpose[] = ['view', 'layout', 'snapshot'];

/**
 * The reason to view these cameras. Under a working case (the last reason given, shown in the
 * top bar, which the analyst can switch or end), cameras are viewed under it without a dialog:
 * each view still carries the reason and case to the server and into the audit trail. Tip media
 * and alert images are remembered per subject; an owner's contact always asks.
 */
export async function reasonFor(request: ReasonRequest): Promise<ViewReason | null> {
  const { memory } = useReasonStore.getState();
  if (memory.current && WORKING_CASE_COVERS.includes(request.purpose)) {
    useReasonStore.setState({ memory: remember(memory, request.cameraIds, memory.current) });
    return memory.current;
  }
  if (request.purpose !== 'owner_contact') {
    const known = request.cameraIds.map((id) => rememberedReason(memory, id));
    if (known.length > 0 && known.every((r) => r !== null)) return known[0]!;
  }
  return askReason(request);
}

/** Switch the working case: the dialog asks for the reason and case, for no camera yet. */
export async function switchWorkingCase(): Promise<ViewReason | null> {
  // Answering makes the reason the working case (answer remembers it as current).
  return askReason({ cameraIds: [], cameraNames: [], purpose: 'working_case' });
}
