import { beforeEach, describe, expect, it } from 'vitest';
import { shortcutFor, type KeyPress } from '../../../renderer/app/shortcuts';
import { testCamera } from '../support/cameraFixture';

const calls: { name: string; args: unknown }[] = [];
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call(name: string, args: unknown) {
      calls.push({ name, args });
      return { ok: false, error: { code: 'failed', message: 'not in this test' } };
    },
  },
};

const { useWallStore } = await import('../../../renderer/wall/wallStore');
const { useUiStore } = await import('../../../renderer/ui/uiStore');
const { useCameraStore } = await import('../../../renderer/cameras/cameraStore');
const { useLayoutStore, layoutsInOrder } = await import('../../../renderer/wall/layoutStore');
const { useReasonStore } = await import('../../../renderer/wall/reasonStore');
const { camerasDroppedBy, requestGrid, recallLayoutAt } =
  await import('../../../renderer/wall/wallActions');

const reason = { code: 'active_incident' as const, reference: '2026-004512' };
const cams = Array.from({ length: 9 }, (_, i) => testCamera(`c${i}`, { name: `Cam ${i}` }));
const press = (key: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  altKey: true,
  metaKey: false,
  shiftKey: false,
  inField: false,
  ...over,
});
const saved = (name: string, tiles: (string | null)[]) => ({
  name,
  layout: { grid: '2x2' as const, tiles, maximized: null },
  updatedAt: '2026-11-29T10:00:00.000Z',
});

describe('switching grids and recalling layouts', () => {
  beforeEach(() => {
    useCameraStore.setState({ byId: new Map(cams.map((c) => [c.id, c])) });
    useUiStore.setState({ gridConfirm: null });
    useReasonStore.getState().reset();
    useWallStore.getState().setGrid('3x3');
    cams.forEach((c, i) => useWallStore.getState().place(i, { cameraId: c.id, reason }));
  });

  it('asks before a smaller grid takes cameras off the wall, naming them', () => {
    expect(camerasDroppedBy('2x2')).toEqual(['Cam 4', 'Cam 5', 'Cam 6', 'Cam 7', 'Cam 8']);
    requestGrid('2x2');
    expect(useWallStore.getState().grid).toBe('3x3');
    expect(useUiStore.getState().gridConfirm).toEqual({
      grid: '2x2',
      dropped: ['Cam 4', 'Cam 5', 'Cam 6', 'Cam 7', 'Cam 8'],
    });
  });

  it('switches at once when nothing would leave the wall', () => {
    requestGrid('4x4');
    expect(useUiStore.getState().gridConfirm).toBeNull();
    expect(useWallStore.getState().grid).toBe('4x4');
    // Back to 3x3 from 4x4: the sixteen tiles beyond nine are empty, nothing to ask.
    requestGrid('3x3');
    expect(useWallStore.getState().grid).toBe('3x3');
  });

  it('recalls layouts by Alt and a digit, the center’s first', async () => {
    expect(shortcutFor(press('1'))).toEqual({ type: 'recallLayout', index: 0 });
    expect(shortcutFor(press('9'))).toEqual({ type: 'recallLayout', index: 8 });
    expect(shortcutFor(press('0'))).toBeNull();
    expect(shortcutFor(press('1', { ctrlKey: true }))).toBeNull();
    useLayoutStore.setState({
      layouts: [saved('Mine', ['c0', null, null, null])],
      center: [saved('Arena', ['c1', 'c2', null, null])],
    });
    expect(layoutsInOrder(useLayoutStore.getState()).map((e) => e.layout.name)).toEqual([
      'Arena',
      'Mine',
    ]);
    // Recalling asks one reason for the layout's cameras (none is remembered after the reset).
    const recalling = recallLayoutAt(0);
    expect(useReasonStore.getState().request?.cameraIds).toEqual(['c1', 'c2']);
    useReasonStore.getState().answer(reason);
    await recalling;
    expect(useWallStore.getState().grid).toBe('2x2');
    expect(
      useWallStore
        .getState()
        .tiles.slice(0, 2)
        .map((t) => t?.cameraId),
    ).toEqual(['c1', 'c2']);
  });
});
