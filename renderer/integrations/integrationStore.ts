import { create } from 'zustand';
import type { Integration } from '../../shared/domain/integrations';
import type { IngestScope } from '../../shared/domain/roles';
import { call } from '../app/watchfloor';

interface IntegrationStore {
  readonly integrations: readonly Integration[];
  readonly error: string | null;
  /** The key of the integration just created: shown once, then gone from the console too. */
  readonly newKey: { readonly name: string; readonly key: string } | null;
  load(): Promise<void>;
  create(name: string, scope: IngestScope): Promise<boolean>;
  revoke(id: string): Promise<void>;
  dismissKey(): void;
}

/** The machines that post to /v1/ingest and their keys (administrators; docs/integrations.md). */
export const useIntegrationStore = create<IntegrationStore>()((set, get) => ({
  integrations: [],
  error: null,
  newKey: null,
  async load() {
    const r = await call('integrations.list', {});
    if (r.ok) set({ integrations: r.value.integrations, error: null });
    else set({ error: r.error.message });
  },
  async create(name, scope) {
    const r = await call('integrations.create', { name, scope });
    if (!r.ok) {
      set({ error: r.error.issues?.[0]?.message ?? r.error.message });
      return false;
    }
    set({ newKey: { name: r.value.name, key: r.value.key }, error: null });
    await get().load();
    return true;
  },
  async revoke(id) {
    const r = await call('integrations.revoke', { id });
    set({ error: r.ok ? null : r.error.message });
    await get().load();
  },
  dismissKey() {
    set({ newKey: null });
  },
}));
