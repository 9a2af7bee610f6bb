import { create } from 'zustand';
import type { Camera, CameraKind } from '../../../shared/domain/cameras';
import type { ImportResult } from '../../../shared/api/cameras';
import type {
  CameraAdminDetail,
  DuplicatePair,
  RecordingsTestResult,
  SourceTestResult,
} from '../../../shared/api/cameraAdmin';
import type { CallError } from '../../../shared/api/watchfloorApi';
import { call } from '../../app/watchfloor';
import {
  draftFromDetail,
  emptyDraft,
  importFormatOf,
  recordingsInput,
  sourceInput,
  toNewCamera,
  toPatch,
  validateDraft,
  type CameraDraft,
  type FieldErrors,
} from './cameraDraft';

/** The server's field messages, keyed as the draft names its fields (`body.source.url` -> `source.url`). */
export function fieldErrorsOf(error: CallError): FieldErrors {
  const out: Record<string, string> = {};
  for (const issue of error.issues ?? []) {
    const key = issue.path.replace(/^(body|params|query)\./, '');
    out[key || 'form'] ??= issue.message;
  }
  if (Object.keys(out).length === 0) out.form = error.message;
  return out;
}

interface CameraAdminStore {
  /** Whether the list was fetched once (the panel was opened). */
  readonly loaded: boolean;
  readonly query: string;
  readonly showRetired: boolean;
  readonly cameras: readonly Camera[];
  /** The camera being edited as loaded, and the draft over it. */
  readonly detail: CameraAdminDetail | null;
  readonly original: CameraDraft | null;
  readonly draft: CameraDraft | null;
  readonly errors: FieldErrors;
  readonly notice: string | null;
  readonly testing: boolean;
  readonly test: SourceTestResult | null;
  readonly testingRecordings: boolean;
  readonly recordingsTest: RecordingsTestResult | null;
  readonly importing: boolean;
  readonly imported: ImportResult | null;
  readonly duplicates: readonly DuplicatePair[] | null;
  search(query: string, showRetired?: boolean): Promise<void>;
  open(id: string): Promise<void>;
  startNew(kind: CameraKind): void;
  edit(change: (d: CameraDraft) => CameraDraft): void;
  close(): void;
  save(): Promise<boolean>;
  retire(): Promise<void>;
  testSource(): Promise<void>;
  testRecordings(): Promise<void>;
  importFile(filename: string, content: string): Promise<void>;
  loadDuplicates(): Promise<void>;
  merge(survivorId: string, duplicateId: string): Promise<void>;
}

const CLOSED = {
  detail: null,
  original: null,
  draft: null,
  errors: {},
  test: null,
  recordingsTest: null,
} as const;

/** The camera administration panel's state (admins; docs/cameras-admin.md). */
export const useCameraAdminStore = create<CameraAdminStore>()((set, get) => ({
  loaded: false,
  query: '',
  showRetired: false,
  cameras: [],
  ...CLOSED,
  notice: null,
  testing: false,
  testingRecordings: false,
  importing: false,
  imported: null,
  duplicates: null,

  async search(query, showRetired = get().showRetired) {
    set({ query, showRetired, loaded: true });
    const r = await call('cameras.list', {
      ...(query.trim() ? { q: query.trim() } : {}),
      status: showRetired ? 'all' : 'active',
      limit: 200,
    });
    if (r.ok) set({ cameras: r.value.items });
    else set({ notice: r.error.message });
  },
  async open(id) {
    const r = await call('cameras.detail', { id });
    if (!r.ok) {
      set({ notice: r.error.message });
      return;
    }
    const draft = draftFromDetail(r.value);
    set({ ...CLOSED, detail: r.value, original: draft, draft, notice: null });
  },
  startNew(kind) {
    set({ ...CLOSED, draft: emptyDraft(kind), notice: null });
  },
  edit(change) {
    const d = get().draft;
    if (d) set({ draft: change(d) });
  },
  close() {
    set({ ...CLOSED });
  },
  async save() {
    const { draft, original } = get();
    if (!draft) return false;
    const errors = validateDraft(draft);
    if (Object.keys(errors).length > 0) {
      set({ errors });
      return false;
    }
    let saved: { ok: true; id: string } | { ok: false; error: CallError };
    if (draft.id === null) {
      const r = await call('cameras.create', toNewCamera(draft));
      saved = r.ok ? { ok: true, id: r.value.id } : r;
    } else {
      const patch = original ? toPatch(original, draft) : null;
      if (!patch) {
        set({ notice: 'Nothing changed.' });
        return true;
      }
      const r = await call('cameras.update', { id: draft.id, patch });
      saved = r.ok ? { ok: true, id: r.value.id } : r;
    }
    if (!saved.ok) {
      set({ errors: fieldErrorsOf(saved.error) });
      return false;
    }
    await get().open(saved.id);
    set({ notice: 'Saved.' });
    void get().search(get().query);
    return true;
  },
  async retire() {
    const id = get().draft?.id;
    if (!id) return;
    const r = await call('cameras.retire', { id });
    if (!r.ok) {
      set({ notice: r.error.message });
      return;
    }
    await get().open(id);
    set({ notice: 'Retired: it has left the map and search; its history stays.' });
    void get().search(get().query);
  },
  async testSource() {
    const d = get().draft;
    if (!d?.source) return;
    set({ testing: true, test: null });
    const source = sourceInput(d.source);
    const r = await call('cameras.testSource', {
      ...(d.id ? { cameraId: d.id } : {}),
      source,
    });
    set({
      testing: false,
      ...(r.ok ? { test: r.value } : { errors: fieldErrorsOf(r.error) }),
    });
  },
  async testRecordings() {
    const d = get().draft;
    if (!d?.recordings) return;
    set({ testingRecordings: true, recordingsTest: null });
    const r = await call('cameras.testRecordings', {
      ...(d.id ? { cameraId: d.id } : {}),
      recordings: recordingsInput(d.recordings),
    });
    set({
      testingRecordings: false,
      ...(r.ok ? { recordingsTest: r.value } : { errors: fieldErrorsOf(r.error) }),
    });
  },
  async importFile(filename, content) {
    const format = importFormatOf(filename);
    if (!format) {
      set({ notice: `${filename}: a .csv or .geojson file, please.` });
      return;
    }
    set({ importing: true, imported: null });
    const r = await call('cameras.importText', { format, content });
    set({ importing: false, ...(r.ok ? { imported: r.value } : { notice: r.error.message }) });
    if (r.ok) void get().search(get().query);
  },
  async loadDuplicates() {
    const r = await call('cameras.duplicates', {});
    if (r.ok) set({ duplicates: r.value.pairs });
    else set({ notice: r.error.message });
  },
  async merge(survivorId, duplicateId) {
    const r = await call('cameras.merge', { id: survivorId, duplicateId });
    if (!r.ok) {
      set({ notice: r.error.message });
      return;
    }
    const moved = Object.entries(r.value.moved)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    set({
      notice: `"${r.value.retired.name}" merged into "${r.value.survivor.name}"${moved ? ` (moved: ${moved})` : ''}.`,
    });
    await get().loadDuplicates();
    void get().search(get().query);
  },
}));
