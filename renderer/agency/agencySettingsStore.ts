import { create } from 'zustand';
import { agencySaveCall, type AgencySectionName } from '../../shared/api/agency';
import type { AgencyConfig } from '../../shared/domain/agency';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import { fieldErrorsOf } from '../tips/tipLineStore';
import { sectionOf, type FieldErrors } from './agencyDraft';

type Drafts = Partial<Record<AgencySectionName, unknown>>;

interface AgencySettingsStore {
  /** The settings as saved on the server; null until loaded. */
  readonly saved: AgencyConfig | null;
  /** The sections being edited; a section not here shows its saved value. */
  readonly drafts: Drafts;
  /** What the server refused, by section and field. */
  readonly serverErrors: Partial<Record<AgencySectionName, FieldErrors>>;
  readonly error: string | null;
  readonly saving: AgencySectionName | null;
  /** The section last saved from this console, for the confirmation line. */
  readonly lastSaved: AgencySectionName | null;
  /** Sections another administrator changed while this one had a draft of them. */
  readonly changedElsewhere: readonly AgencySectionName[];
  /** Counts drafts dropped (undone or saved): a form starts afresh from the saved value. */
  readonly revision: number;
  load(): Promise<void>;
  edit(name: AgencySectionName, value: unknown): void;
  discard(name: AgencySectionName): void;
  save(name: AgencySectionName, value: unknown): Promise<boolean>;
  /** `agency.changed`: read the settings again; drafts stay, and say they are now out of date. */
  heardChange(name: AgencySectionName): void;
}

/** The agency's settings as an administrator edits them, one section at a time. */
export const useAgencySettingsStore = create<AgencySettingsStore>()((set, get) => ({
  saved: null,
  drafts: {},
  serverErrors: {},
  error: null,
  saving: null,
  lastSaved: null,
  changedElsewhere: [],
  revision: 0,
  async load() {
    const r = await call('agency.get', {});
    if (r.ok) set({ saved: r.value, error: null });
    else set({ error: r.error.message });
  },
  edit(name, value) {
    const { [name]: _refused, ...serverErrors } = get().serverErrors;
    set({ drafts: { ...get().drafts, [name]: value }, serverErrors, lastSaved: null });
  },
  discard(name) {
    const { [name]: _draft, ...drafts } = get().drafts;
    const { [name]: _refused, ...serverErrors } = get().serverErrors;
    set({
      drafts,
      serverErrors,
      changedElsewhere: get().changedElsewhere.filter((s) => s !== name),
      revision: get().revision + 1,
    });
  },
  async save(name, value) {
    set({ saving: name, error: null });
    // The call's arguments are checked by the host against the section's schema.
    const r = await (call as (n: string, a: unknown) => ReturnType<typeof call>)(
      agencySaveCall(name),
      { value },
    );
    if (!r.ok) {
      set({
        saving: null,
        error: r.error.message,
        serverErrors: { ...get().serverErrors, [name]: fieldErrorsOf(r.error.issues) },
      });
      return false;
    }
    get().discard(name);
    set({ saving: null, lastSaved: name });
    await get().load();
    return true;
  },
  heardChange(name) {
    if (get().saved === null) return;
    const drafted = name in get().drafts && get().saving !== name;
    if (drafted && !get().changedElsewhere.includes(name)) {
      set({ changedElsewhere: [...get().changedElsewhere, name] });
    }
    void get().load();
  },
}));

/** The value a section's form shows: its draft, else what is saved. */
export function draftOf(s: AgencySettingsStore, name: AgencySectionName): unknown {
  if (name in s.drafts) return s.drafts[name];
  return s.saved ? sectionOf(s.saved, name) : null;
}

/** Every console keeps one copy of the agency (session store); a change anywhere reloads it. */
export function reloadAgency(section: AgencySectionName): void {
  void useSessionStore.getState().loadAgency();
  useAgencySettingsStore.getState().heardChange(section);
}
