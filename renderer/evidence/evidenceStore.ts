import { create } from 'zustand';
import type { CaseEvidence, EvidenceKey, EvidenceLinkView } from '../../shared/api/evidence';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';

interface EvidenceStore {
  /** The case shown, once loaded. */
  readonly evidence: CaseEvidence | null;
  readonly key: EvidenceKey | null;
  readonly busy: boolean;
  readonly error: string | null;
  /** The link just made: its token is shown this once, then gone from the console too. */
  readonly newLink: {
    readonly officer: string;
    readonly token: string;
    readonly expiresAt: string;
  } | null;
  /** A link an officer opened, with the address the console plays its clip from. */
  readonly opened: (EvidenceLinkView & { readonly videoUrl: string }) | null;
  loadKey(): Promise<void>;
  loadCase(caseNumber: string): Promise<void>;
  exportCase(pullId?: string): Promise<void>;
  createLink(fileId: string, officer: string, hours: number): Promise<boolean>;
  revokeLink(id: string): Promise<void>;
  /** A still from the middle of a video of the case, kept with its evidence. */
  takeStill(fileId: string): Promise<void>;
  openLink(token: string): Promise<void>;
  dismissLink(): void;
}

const messageOf = (e: { message: string; issues?: readonly { message: string }[] }) =>
  e.issues?.[0]?.message ?? e.message;

/**
 * A case's evidence (docs/evidence.md): its files, packages, chain of custody and officers'
 * links; exporting a package; making a link. Other modules (pulls, cases) call the same server
 * calls and may embed the panel by setting the case here.
 */
export const useEvidenceStore = create<EvidenceStore>()((set, get) => ({
  evidence: null,
  key: null,
  busy: false,
  error: null,
  newLink: null,
  opened: null,
  async loadKey() {
    const r = await call('evidence.key', {});
    if (r.ok) set({ key: r.value });
  },
  async loadCase(caseNumber) {
    const r = await call('evidence.forCase', { caseNumber });
    if (r.ok) set({ evidence: r.value, error: null });
    else set({ evidence: null, error: messageOf(r.error) });
  },
  async exportCase(pullId) {
    const current = get().evidence;
    if (!current) return;
    set({ busy: true });
    const r = await call('evidence.export', {
      caseNumber: current.caseNumber,
      ...(pullId ? { pullId } : {}),
    });
    set({ busy: false, error: r.ok ? null : messageOf(r.error) });
    await get().loadCase(current.caseNumber);
  },
  async createLink(fileId, officer, hours) {
    const r = await call('evidence.createLink', { fileId, officer, hours });
    if (!r.ok) {
      set({ error: messageOf(r.error) });
      return false;
    }
    set({
      newLink: { officer: r.value.officer, token: r.value.token, expiresAt: r.value.expiresAt },
      error: null,
    });
    const current = get().evidence;
    if (current) await get().loadCase(current.caseNumber);
    return true;
  },
  async revokeLink(id) {
    const r = await call('evidence.revokeLink', { id });
    set({ error: r.ok ? null : messageOf(r.error) });
    const current = get().evidence;
    if (current) await get().loadCase(current.caseNumber);
  },
  async takeStill(fileId) {
    set({ busy: true });
    const r = await call('evidence.still', { id: fileId });
    set({ busy: false, error: r.ok ? null : messageOf(r.error) });
    const current = get().evidence;
    if (r.ok && current) await get().loadCase(current.caseNumber);
  },
  async openLink(token) {
    const r = await call('evidence.openLink', { token });
    if (r.ok) set({ opened: { ...r.value, videoUrl: evidenceLinkVideoUrl(token) }, error: null });
    else set({ opened: null, error: messageOf(r.error) });
  },
  dismissLink() {
    set({ newLink: null });
  },
}));

/**
 * The host's address of an opened link's clip: the host streams it from the server, and only for
 * a link this session opened (electron/host/console/tipMedia.ts).
 */
export function evidenceLinkVideoUrl(token: string): string {
  const root = useSessionStore.getState().info?.tipMediaRoot ?? '/tip-media/';
  return `${root}evidence/${encodeURIComponent(token)}/0/original`;
}

/**
 * A case's video files. Not a store selector: it builds a new array, which as a selector would
 * make React render without end; the panel derives it from `evidence` with useMemo.
 */
export const videosOf = (evidence: EvidenceStore['evidence']) =>
  (evidence?.files ?? []).filter((f) => f.contentType === 'video/mp4');
