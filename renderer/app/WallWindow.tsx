import { useEffect } from 'react';
import { useCameraStore } from '../cameras/cameraStore';
import { ReasonDialog } from '../wall/ReasonDialog';
import { Wall } from '../wall/Wall';
import { startWallFollower } from '../wall/wallSync';
import { GridSwitchDialog, SaveLayoutDialog, WallBar } from '../wall/WallBar';
import { useLayoutStore } from '../wall/layoutStore';
import { useUiStore } from '../ui/uiStore';
import { useShortcuts } from './useShortcuts';

/**
 * A wall on another display: the tiles and the layout controls, following the console window's
 * wall and sending it the changes made here. It shares the console's session (the same host
 * session: no sign-in of its own).
 */
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
    void useLayoutStore.getState().refresh();
    return startWallFollower();
  }, []);
  return (
    <main className="wall-window" data-testid="wall-window" aria-label="Wall">
      <WallBar place="wall-window" />
      <Wall videoAllowed={videoAllowed} standalone replayRequest={replayRequest} />
      <ReasonDialog />
      <SaveLayoutDialog />
      <GridSwitchDialog />
    </main>
  );
}
