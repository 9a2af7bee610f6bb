import { beforeEach, describe, expect, it } from 'vitest';

/** The stills an analyst keeps from tiles and replays for the next product. */

const JPEG = 'data:image/jpeg;base64,/9j/4AAQ';
const calls: { name: string; args: Record<string, unknown> }[] = [];
let snapshot: { ok: boolean; value?: unknown; error?: { code: string; message: string } } = {
  ok: true,
  value: { imageDataUrl: JPEG, sha256: 'a'.repeat(64), capturedAt: '2026-11-29T21:04:05.000Z' },
};
const STILL_ID = '7d1e0c9a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
let keepStill: { ok: boolean; value?: unknown; error?: { code: string; message: string } } = {
  ok: true,
  value: {
    kind: 'kept',
    still: {
      id: STILL_ID,
      start: '2026-11-29T21:04:03.200Z',
      sha256: 'c0ffee'.repeat(10) + 'beef',
    },
    clip: { id: 'clip-1' },
  },
};
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call(name: string, args: Record<string, unknown>) {
      calls.push({ name, args });
      if (name === 'views.snapshot') return snapshot;
      if (name === 'views.keepStill') return keepStill;
      if (name === 'evidence.fetchRecording') return { ok: true, value: { id: 'recording-1' } };
      if (name === 'evidence.still') {
        return {
          ok: true,
          value: { id: STILL_ID, start: '2026-11-29T20:58:07.400Z', sha256: 'ab'.repeat(32) },
        };
      }
      return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
    },
    subscribe: () => () => undefined,
  },
};

const {
  MAX_TRAY_STILLS,
  keepLiveStill,
  keepReplayStill,
  stillCaption,
  stillSourceOf,
  useStillTray,
} = await import('../../../renderer/products/stillTray');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');
const { useReasonStore } = await import('../../../renderer/wall/reasonStore');

const lastNotice = () => useNoticeStore.getState().notices.at(-1);

describe('the still tray', () => {
  beforeEach(() => {
    calls.length = 0;
    useStillTray.getState().clear();
    useReasonStore.getState().reset();
  });

  it("keeps a live tile's frame from the gateway, captioned with the camera and the frame's time", async () => {
    await keepLiveStill('view-7', 'Corner Market 1');
    expect(calls).toEqual([{ name: 'views.snapshot', args: { viewId: 'view-7' } }]);
    const [still] = useStillTray.getState().stills;
    expect(still && stillSourceOf(still)).toMatchObject({ dataUrl: JPEG });
    expect(still?.caption).toBe('Corner Market 1, live frame at 2026-11-29 21:04:05 UTC');
    expect(lastNotice()?.text).toMatch(/1 of 6/);
    expect(lastNotice()?.text).toMatch(/^Not kept with a case: set a working case/);
  });

  it('under a working case, keeps the frame with the case and puts it in the tray by its evidence id', async () => {
    useReasonStore.setState({
      memory: { current: { code: 'active_incident', reference: '2026-004512' }, granted: {} },
    });
    await keepLiveStill('view-7', 'Corner Market 1');
    expect(calls).toEqual([
      { name: 'views.keepStill', args: { viewId: 'view-7', caseNumber: '2026-004512' } },
    ]);
    const [still] = useStillTray.getState().stills;
    expect(still && stillSourceOf(still)).toEqual({
      evidenceFileId: STILL_ID,
      caption: 'Corner Market 1, live frame at 2026-11-29 21:04:03 UTC',
    });
    expect(lastNotice()?.text).toMatch(/^Kept with case 2026-004512 \(SHA-256 c0ffeec0ffee…\)/);
  });

  it("under a working case, a frame of the camera's recordings is fetched into the case and kept as its still", async () => {
    useReasonStore.setState({
      memory: { current: { code: 'active_incident', reference: '2026-004512' }, granted: {} },
    });
    const video = { videoWidth: 0 } as HTMLVideoElement;
    await keepReplayStill(
      video,
      { cameraId: 'camera-9' },
      'Pharmacy 2',
      new Date('2026-11-29T20:58:07.400Z'),
    );
    // From a whole second about two before the frame, for four; the still at the frame.
    expect(calls).toEqual([
      {
        name: 'evidence.fetchRecording',
        args: {
          caseNumber: '2026-004512',
          cameraId: 'camera-9',
          start: '2026-11-29T20:58:05.000Z',
          end: '2026-11-29T20:58:09.000Z',
          reason: 'investigation_follow_up',
        },
      },
      { name: 'evidence.still', args: { id: 'recording-1', atSec: 2.4 } },
    ]);
    const [still] = useStillTray.getState().stills;
    expect(still && stillSourceOf(still)).toEqual({
      evidenceFileId: STILL_ID,
      caption: 'Pharmacy 2, recording frame at 2026-11-29 20:58:07 UTC',
    });
  });

  it("under a working case, a refusal by the owner's policy keeps nothing and says why", async () => {
    useReasonStore.setState({
      memory: { current: { code: 'active_incident', reference: '2026-004512' }, granted: {} },
    });
    const kept = keepStill;
    keepStill = {
      ok: true,
      value: { kind: 'refused', message: 'Owner does not share recordings.' },
    };
    try {
      await keepLiveStill('view-7', 'Corner Market 1');
    } finally {
      keepStill = kept;
    }
    expect(useStillTray.getState().stills).toEqual([]);
    expect(lastNotice()).toMatchObject({
      tone: 'error',
      text: 'The still was not kept: Owner does not share recordings.',
    });
  });

  it('says why when the tile has no frame, and keeps nothing', async () => {
    snapshot = { ok: false, error: { code: 'conflict', message: 'No frame yet.' } };
    try {
      await keepLiveStill('view-7', 'Corner Market 1');
    } finally {
      snapshot = {
        ok: true,
        value: { imageDataUrl: JPEG, sha256: 'a'.repeat(64), capturedAt: '2026-11-29T21:04:05Z' },
      };
    }
    expect(useStillTray.getState().stills).toEqual([]);
    expect(lastNotice()).toMatchObject({ tone: 'error', text: 'No frame yet.' });
  });

  it('holds what one product holds, refuses the next with a warning, and drops one on request', () => {
    const tray = useStillTray.getState();
    for (let i = 0; i < MAX_TRAY_STILLS + 1; i++)
      tray.add({ dataUrl: JPEG, caption: `frame ${i}` });
    const kept = useStillTray.getState().stills;
    expect(kept.map((s) => s.caption)).toEqual(
      Array.from({ length: MAX_TRAY_STILLS }, (_, i) => `frame ${i}`),
    );
    expect(lastNotice()).toMatchObject({ tone: 'warning' });
    useStillTray.getState().remove(kept[2]!.id);
    expect(useStillTray.getState().stills.map((s) => s.caption)).not.toContain('frame 2');
    expect(useStillTray.getState().stills).toHaveLength(MAX_TRAY_STILLS - 1);
  });

  it('keeps a still of the evidence by its id, once, and sends it as the server reads it', () => {
    const evidenceFileId = '5b0c2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    useStillTray.getState().add({ evidenceFileId, caption: 'Corner Market 1, exported' });
    useStillTray.getState().add({ evidenceFileId, caption: 'again' });
    const stills = useStillTray.getState().stills;
    expect(stills).toHaveLength(1);
    expect(lastNotice()?.text).toMatch(/already kept/);
    expect(stillSourceOf(stills[0]!)).toEqual({
      evidenceFileId,
      caption: 'Corner Market 1, exported',
    });
  });

  it('dates a replay frame by the replay, not by when the still is taken', () => {
    expect(stillCaption('Pharmacy 2', new Date('2026-11-29T18:00:12.400Z'), 'replay')).toBe(
      'Pharmacy 2, replay frame at 2026-11-29 18:00:12 UTC',
    );
  });
});
