import { create } from 'zustand';
import type { RegistrationSummary } from '../../shared/api/registrations';
import { call } from '../app/watchfloor';

interface RegistrationsStore {
  readonly registrations: readonly RegistrationSummary[];
  /** Only the registrations with a look-alike to settle. */
  readonly openOnly: boolean;
  readonly error: string | null;
  /** The camera whose look-alike is being settled, while the server answers. */
  readonly settling: string | null;
  load(): Promise<void>;
  setOpenOnly(openOnly: boolean): Promise<void>;
  /** A registration as an event brought it: replaced in place, or added at the top. */
  apply(registration: RegistrationSummary): void;
  settle(
    registrationId: string,
    cameraId: string,
    resolution: 'merged' | 'distinct',
  ): Promise<void>;
}

/**
 * The portal's camera registrations (docs/portal.md): read when the console starts, kept live by
 * `registration.confirmed` and `registration.updated`.
 */
export const useRegistrationsStore = create<RegistrationsStore>()((set, get) => ({
  registrations: [],
  openOnly: false,
  error: null,
  settling: null,
  async load() {
    const r = await call('registrations.list', { duplicates: get().openOnly ? 'open' : 'all' });
    if (r.ok) set({ registrations: r.value.registrations, error: null });
    else set({ error: r.error.message });
  },
  async setOpenOnly(openOnly) {
    set({ openOnly });
    await get().load();
  },
  apply(registration) {
    const rest = get().registrations.filter((r) => r.id !== registration.id);
    const keep = !get().openOnly || registration.openDuplicates > 0;
    const i = get().registrations.findIndex((r) => r.id === registration.id);
    const next = [...rest];
    if (keep) next.splice(i < 0 ? 0 : i, 0, registration);
    set({ registrations: next });
  },
  async settle(registrationId, cameraId, resolution) {
    set({ settling: cameraId, error: null });
    const r = await call('registrations.resolveDuplicate', {
      id: registrationId,
      cameraId,
      resolution,
    });
    set({ settling: null });
    if (r.ok) get().apply(r.value);
    else set({ error: r.error.message });
  },
}));
