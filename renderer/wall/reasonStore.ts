import { create } from 'zustand';
import type { ViewReason } from '../../shared/domain/reasons';
import { EMPTY_REASON_MEMORY, remember, rememberedReason, type ReasonMemory } from './reasonMemory';

/** What the reason is asked for: it changes the dialog's words, not the rules. */
export type ReasonPurpose =
  'view' | 'layout' | 'snapshot' | 'owner_contact' | 'tip_media' | 'alert_evidence';

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
 * The reason to view these cameras: remembered when every one of them was already viewed under
 * the current assignment, else asked once for all of them. Owner contact reveals always ask.
 */
export async function reasonFor(request: ReasonRequest): Promise<ViewReason | null> {
  const { memory } = useReasonStore.getState();
  if (request.purpose !== 'owner_contact') {
    const known = request.cameraIds.map((id) => rememberedReason(memory, id));
    if (known.length > 0 && known.every((r) => r !== null)) return known[0]!;
  }
  return askReason(request);
}
