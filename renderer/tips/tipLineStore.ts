import { create } from 'zustand';
import type { TipLineSettings } from '../../shared/domain/tips';
import { call } from '../app/watchfloor';

/** A server validation message, keyed by the settings field it names ("staffed.0.end"). */
export type FieldErrors = Readonly<Record<string, string>>;

/** The settings path of a call issue: the request's `body.` or `value.` prefix dropped. */
export function settingsPath(path: string): string {
  return path.replace(/^(body|value|settings)\./, '');
}

export function fieldErrorsOf(
  issues: readonly { readonly path: string; readonly message: string }[] | undefined,
): FieldErrors {
  const out: Record<string, string> = {};
  for (const i of issues ?? []) {
    const key = settingsPath(i.path);
    out[key] ??= i.message;
  }
  return out;
}

interface TipLineStore {
  readonly settings: TipLineSettings | null;
  readonly staffedNow: boolean | null;
  readonly configured: boolean | null;
  readonly error: string | null;
  readonly fieldErrors: FieldErrors;
  readonly saving: boolean;
  readonly savedAt: number | null;
  load(): Promise<void>;
  save(settings: TipLineSettings): Promise<boolean>;
}

/** The tip line's schedule and automatic texts, as an administrator edits them. */
export const useTipLineStore = create<TipLineStore>()((set, get) => ({
  settings: null,
  staffedNow: null,
  configured: null,
  error: null,
  fieldErrors: {},
  saving: false,
  savedAt: null,
  async load() {
    const r = await call('tips.settings', {});
    if (r.ok) set({ ...r.value, error: null });
    else set({ error: r.error.message });
  },
  async save(settings) {
    set({ saving: true, error: null, fieldErrors: {} });
    const r = await call('agency.save.tipLine', { value: settings });
    if (!r.ok) {
      set({ saving: false, error: r.error.message, fieldErrors: fieldErrorsOf(r.error.issues) });
      return false;
    }
    set({ saving: false, settings: r.value, savedAt: Date.now() });
    // Whether the line is staffed now may have changed with the hours.
    void get().load();
    return true;
  },
}));
