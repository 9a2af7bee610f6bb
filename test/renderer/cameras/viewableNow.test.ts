import { beforeEach, describe, expect, it } from 'vitest';
import type { SharingPolicy } from '../../../shared/domain/sharingPolicy';
import { testCamera } from '../support/cameraFixture';

(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    async call() {
      return { ok: false, error: { code: 'failed', message: 'not in this test' } };
    },
  },
};

const { blockedCameras, refreshViewable, useViewableStore, viewability, LOCATION_ONLY } =
  await import('../../../renderer/cameras/viewableNow');
const { useCameraStore } = await import('../../../renderer/cameras/cameraStore');
const { useSessionStore } = await import('../../../renderer/session/sessionStore');
const { useReasonStore } = await import('../../../renderer/wall/reasonStore');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');
const { putCameraOnTile, putCamerasOnWall } = await import('../../../renderer/wall/wallActions');

const TZ = 'America/New_York';
// Monday 30 November 2026, 10:00 in New York (15:00 UTC).
const MONDAY_10 = Date.parse('2026-11-30T15:00:00Z');

const policy = (over: Partial<SharingPolicy>): SharingPolicy => ({
  mode: 'always',
  windows: [],
  alsoDuringAlarm: false,
  live: true,
  recordings: false,
  ptz: false,
  withdrawn: false,
  ...over,
});
const nights = policy({
  mode: 'schedule',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '18:00', end: '06:00' }],
});

const agency = testCamera('agency-1', { kind: 'agency' });
const registered = testCamera('reg-1', { kind: 'registered' });
const always = testCamera('int-always', { kind: 'integrated', sharing: policy({}) });
const nightOnly = testCamera('int-nights', { kind: 'integrated', sharing: nights, name: 'Bar 7' });
const alarmed = testCamera('int-alarm', {
  kind: 'integrated',
  sharing: policy({ mode: 'alarm' }),
  alarmActive: true,
});
const noPolicy = testCamera('int-none', { kind: 'integrated', sharing: null });

describe('which cameras can be viewed now', () => {
  it('decides as the server does: agency always, owners by their policy, registered never', () => {
    const { blocked, nextChangeAt } = blockedCameras(
      [agency, registered, always, nightOnly, alarmed, noPolicy],
      MONDAY_10,
      TZ,
    );
    expect([...blocked.keys()].sort()).toEqual(['int-nights', 'int-none']);
    expect(blocked.get('int-nights')).toMatch(/18:00/);
    expect(blocked.get('int-none')).toMatch(/not agreed/);
    // The night window opens at 18:00 New York time the same day: the next change.
    expect(nextChangeAt).toBe(Date.parse('2026-11-30T23:00:00Z'));
    expect(viewability(registered, blocked)).toEqual({ viewable: false, reason: LOCATION_ONLY });
    expect(viewability(agency, blocked).viewable).toBe(true);
    // At 19:00 the window is open and closes at 06:00 the next morning.
    const evening = blockedCameras([nightOnly], Date.parse('2026-12-01T00:00:00Z'), TZ);
    expect(evening.blocked.size).toBe(0);
    expect(evening.nextChangeAt).toBe(Date.parse('2026-12-01T11:00:00Z'));
  });

  describe('in the console', () => {
    beforeEach(() => {
      useReasonStore.getState().reset();
      useNoticeStore.setState({ notices: [] });
      useCameraStore.setState({
        byId: new Map([agency, nightOnly, always].map((c) => [c.id, c])),
        version: useCameraStore.getState().version + 1,
      });
      useSessionStore.setState({ agency: { timeZone: TZ } as never });
      refreshViewable(MONDAY_10);
    });

    it('asks no reason for a camera whose owner does not share it now, and says when it opens', async () => {
      expect(useViewableStore.getState().blocked.has('int-nights')).toBe(true);
      await putCameraOnTile('int-nights', 0);
      expect(useReasonStore.getState().request).toBeNull();
      const [notice] = useNoticeStore.getState().notices;
      expect(notice?.text).toMatch(/^Bar 7 cannot be viewed now\. .*18:00/);
    });

    it('asks one reason for the viewable cameras of a group and leaves the closed ones out', async () => {
      const done = putCamerasOnWall(['int-nights', 'agency-1', 'int-always']);
      const request = useReasonStore.getState().request;
      expect(request?.cameraIds).toEqual(['agency-1', 'int-always']);
      useReasonStore.getState().answer(null);
      await done;
    });

    it('asks the reason as before for a camera that can be viewed', async () => {
      const done = putCameraOnTile('agency-1', 0);
      expect(useReasonStore.getState().request?.cameraIds).toEqual(['agency-1']);
      useReasonStore.getState().answer(null);
      await done;
    });
  });
});
