import { create } from 'zustand';
import { call } from '../app/watchfloor';
import { notify } from '../ui/noticeStore';
import { useReasonStore } from '../wall/reasonStore';

/**
 * Stills gathered for the next product (docs/products.md): frames taken from a live tile or from
 * a replay, kept in the console until a product takes them or the analyst drops them. A product
 * holds at most six.
 */
export const MAX_TRAY_STILLS = 6;

/**
 * A kept still: a frame's image (`data:image/jpeg;base64,…` or PNG), or a still already kept with
 * the case's evidence (taken from exported footage), which the server reads by its id.
 */
export type TrayStill = { readonly id: number; readonly caption: string } & (
  { readonly dataUrl: string } | { readonly evidenceFileId: string }
);

/** A tray still as a product's request carries it. */
export type StillSource =
  | { readonly dataUrl: string; readonly caption: string }
  | { readonly evidenceFileId: string; readonly caption: string };

export function stillSourceOf(s: TrayStill): StillSource {
  return 'dataUrl' in s
    ? { dataUrl: s.dataUrl, caption: s.caption }
    : { evidenceFileId: s.evidenceFileId, caption: s.caption };
}

interface StillTray {
  readonly stills: readonly TrayStill[];
  /** Keeps a still for the next product; `said` goes before the tray's own notice. */
  add(still: StillSource, said?: string): void;
  remove(id: number): void;
  clear(): void;
}

let nextId = 1;

export const useStillTray = create<StillTray>()((set, get) => ({
  stills: [],
  add(still, said = '') {
    if (get().stills.length >= MAX_TRAY_STILLS) {
      notify('warning', `A product holds ${MAX_TRAY_STILLS} stills: drop one in Products first.`);
      return;
    }
    const id = 'evidenceFileId' in still ? still.evidenceFileId : null;
    if (id && get().stills.some((s) => 'evidenceFileId' in s && s.evidenceFileId === id)) {
      notify('info', 'That still is already kept for the next product.');
      return;
    }
    set({
      stills: [...get().stills, { ...still, id: nextId++, caption: still.caption.slice(0, 300) }],
    });
    notify(
      'info',
      `${said}Still kept for the next product (${get().stills.length} of ${MAX_TRAY_STILLS}), in Products.`,
    );
  },
  remove(id) {
    set({ stills: get().stills.filter((s) => s.id !== id) });
  },
  clear() {
    set({ stills: [] });
  },
}));

/** A caption that says where and when a frame was taken. */
export function stillCaption(
  cameraName: string,
  at: Date,
  source: 'live' | 'replay' | 'recording',
): string {
  return `${cameraName}, ${source} frame at ${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The working case's number, when the analyst has one: stills are kept with it. */
function workingCase(): string | null {
  return useReasonStore.getState().memory.current?.reference ?? null;
}

/**
 * A frame kept with the working case's evidence (docs/evidence.md, "Stills from a tile"), then
 * put in the tray by its evidence id. Says why when it cannot be kept, and keeps nothing.
 */
async function keepWithCase(
  viewId: string,
  cameraName: string,
  caseNumber: string,
  source: 'live' | 'replay',
  at?: Date,
): Promise<void> {
  const r = await call('views.keepStill', {
    viewId,
    caseNumber,
    ...(at ? { at: at.toISOString() } : {}),
  });
  if (!r.ok) {
    notify('error', `The still was not kept: ${r.error.message}`);
    return;
  }
  if (r.value.kind !== 'kept') {
    notify('error', `The still was not kept: ${r.value.message}`);
    return;
  }
  trayKeptStill(r.value.still, cameraName, source, caseNumber);
}

/** A still kept with the case goes to the tray by its evidence id, and the notice says so. */
function trayKeptStill(
  still: { readonly id: string; readonly start: string; readonly sha256: string },
  cameraName: string,
  source: 'live' | 'replay' | 'recording',
  caseNumber: string,
): void {
  useStillTray.getState().add(
    {
      evidenceFileId: still.id,
      caption: stillCaption(cameraName, new Date(still.start), source),
    },
    `Kept with case ${caseNumber} (SHA-256 ${still.sha256.slice(0, 12)}…). `,
  );
}

/**
 * A frame of the camera's recordings kept with the case: about two seconds before it and one
 * after, fetched from the recorder into the case (the owner's policy on recordings decides), then
 * the still taken from that file at the frame.
 */
async function keepRecordingFrame(
  cameraId: string,
  cameraName: string,
  caseNumber: string,
  at: Date,
): Promise<void> {
  // Recorders take whole seconds: the range starts on one, and the frame is found from there.
  const startMs = Math.floor((at.getTime() - 2000) / 1000) * 1000;
  const fetched = await call('evidence.fetchRecording', {
    caseNumber,
    cameraId,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + 4000).toISOString(),
    reason: 'investigation_follow_up',
  });
  if (!fetched.ok) {
    notify('error', `The still was not kept: ${fetched.error.message}`);
    return;
  }
  const still = await call('evidence.still', {
    id: fetched.value.id,
    atSec: (at.getTime() - startMs) / 1000,
  });
  if (!still.ok) {
    notify('error', `The still was not kept: ${still.error.message}`);
    return;
  }
  trayKeptStill(still.value, cameraName, 'recording', caseNumber);
}

const NO_CASE = 'Not kept with a case: set a working case to keep stills as evidence. ';

/**
 * A live tile's frame. Under a working case it is kept with the case's evidence; without one,
 * the gateway's snapshot goes to the tray only (the view's grant covers it), and the notice says
 * it is not evidence.
 */
export async function keepLiveStill(viewId: string, cameraName: string): Promise<void> {
  const caseNumber = workingCase();
  if (caseNumber) return keepWithCase(viewId, cameraName, caseNumber, 'live');
  const r = await call('views.snapshot', { viewId });
  if (!r.ok) {
    notify('error', r.error.message);
    return;
  }
  useStillTray.getState().add(
    {
      dataUrl: r.value.imageDataUrl,
      caption: stillCaption(cameraName, new Date(r.value.capturedAt), 'live'),
    },
    NO_CASE,
  );
}

/**
 * The frame a replay shows now; `wallClock` is the moment the frame shows. Under a working case
 * it is kept with the case's evidence: a frame of the buffer (`viewId`) as views.keepStill keeps
 * it, a frame of the camera's recordings (`cameraId`) as a still of the seconds about it, fetched
 * from the recorder into the case. Without one, the picture (served by the console's own host, so
 * it can be drawn and read back) is copied to the tray.
 */
export async function keepReplayStill(
  video: HTMLVideoElement,
  from: { readonly viewId: string } | { readonly cameraId: string },
  cameraName: string,
  wallClock: Date,
): Promise<void> {
  const caseNumber = workingCase();
  if (caseNumber && 'viewId' in from) {
    return keepWithCase(from.viewId, cameraName, caseNumber, 'replay', wallClock);
  }
  if (caseNumber && 'cameraId' in from) {
    return keepRecordingFrame(from.cameraId, cameraName, caseNumber, wallClock);
  }
  if (video.videoWidth === 0) {
    notify('warning', 'The replay has no frame to keep yet.');
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  useStillTray.getState().add(
    {
      dataUrl: canvas.toDataURL('image/jpeg', 0.9),
      caption: stillCaption(cameraName, wallClock, 'viewId' in from ? 'replay' : 'recording'),
    },
    NO_CASE,
  );
}
