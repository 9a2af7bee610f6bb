import { beforeEach, describe, expect, it } from 'vitest';
import type { ViewReason } from '../../../shared/domain/reasons';
import {
  reasonFor,
  switchWorkingCase,
  useReasonStore,
  type ReasonRequest,
} from '../../../renderer/wall/reasonStore';

const CASE: ViewReason = { code: 'active_incident', reference: '2026-004512' };
const OTHER: ViewReason = { code: 'camera_pull', reference: '2026-004513' };
const view = (...cameraIds: string[]): ReasonRequest => ({
  cameraIds,
  cameraNames: cameraIds,
  purpose: 'view',
});

/** Starts `reasonFor` and says whether it opened the dialog; answers it with `reply` if so. */
async function ask(request: ReasonRequest, reply: ViewReason | null) {
  const pending = reasonFor(request);
  const asked = useReasonStore.getState().request;
  if (asked) useReasonStore.getState().answer(reply);
  return { asked: asked?.purpose ?? null, reason: await pending };
}

describe('the working case', () => {
  beforeEach(() => useReasonStore.getState().reset());

  it('asks for the first camera, then views the next cameras under that case without asking', async () => {
    expect(await ask(view('a'), CASE)).toEqual({ asked: 'view', reason: CASE });
    expect(await ask(view('b', 'c', 'd'), null)).toEqual({ asked: null, reason: CASE });
    expect(await ask({ ...view('e'), purpose: 'snapshot' }, null)).toEqual({
      asked: null,
      reason: CASE,
    });
    // The cameras viewed under it are remembered under it too.
    expect(useReasonStore.getState().memory.granted.d).toEqual(['active_incident|2026-004512']);
  });

  it("still asks each time for an owner's contact, and once per subject for tip media", async () => {
    await ask(view('a'), CASE);
    expect((await ask({ ...view('a'), purpose: 'owner_contact' }, CASE)).asked).toBe(
      'owner_contact',
    );
    const tip = { cameraIds: ['tip-media'], cameraNames: ['tips'], purpose: 'tip_media' } as const;
    expect((await ask(tip, CASE)).asked).toBe('tip_media');
    expect((await ask(tip, null)).asked).toBe(null);
  });

  it('ends: the next camera asks again', async () => {
    await ask(view('a'), CASE);
    useReasonStore.getState().endWorking();
    expect(useReasonStore.getState().memory.current).toBeNull();
    expect(await ask(view('b'), OTHER)).toEqual({ asked: 'view', reason: OTHER });
  });

  it('switches: asked for no camera, the answer becomes the working case', async () => {
    await ask(view('a'), CASE);
    const switching = switchWorkingCase();
    expect(useReasonStore.getState().request).toMatchObject({
      purpose: 'working_case',
      cameraIds: [],
    });
    useReasonStore.getState().answer(OTHER);
    await expect(switching).resolves.toEqual(OTHER);
    expect(await ask(view('z'), null)).toEqual({ asked: null, reason: OTHER });
  });

  it('a cancelled switch keeps the case being worked', async () => {
    await ask(view('a'), CASE);
    const switching = switchWorkingCase();
    useReasonStore.getState().answer(null);
    await expect(switching).resolves.toBeNull();
    expect(useReasonStore.getState().memory.current).toEqual(CASE);
  });
});
