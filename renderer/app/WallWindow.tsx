import { useEffect } from 'react';
import { useCameraStore } from '../cameras/cameraStore';
import { ReasonDialog } from '../wall/ReasonDialog';
import { Wall } from '../wall/Wall';
import { startWallFollower } from '../wall/wallSync';
import { useUiStore } from '../ui/uiStore';
import { useShortcuts } from './useShortcuts';

/** A wall on another display: the tiles only, following the console window's wall. */
export function WallWindow({
  locked,
  videoAllowed,
}: {
  readonly locked: boolean;
  readonly videoAllowed: boolean;
}) {
  const replayRequest = useUiStore((s) => s.replayRequest);
  useShortcuts(!locked);
  useEffect(() => {
    void useCameraStore.getState().load();
    return startWallFollower();
  }, []);
  return (
    <div data-testid="wall-window" style={{ height: '100%' }}>
      <Wall videoAllowed={videoAllowed} standalone replayRequest={replayRequest} />
      <ReasonDialog />
    </div>
  );
}
