import { useEffect } from 'react';
import { useCameraStore } from '../cameras/cameraStore';
import { CameraList } from '../cameras/CameraList';
import { MapView } from '../map/MapView';
import { useSessionStore } from '../session/sessionStore';
import { useIdleWatch } from '../session/useIdleWatch';
import { Notices } from '../ui/Notices';
import { useUiStore, type SideTab } from '../ui/uiStore';
import { useDragStore } from '../wall/dragStore';
import { useLayoutStore } from '../wall/layoutStore';
import { ReasonDialog } from '../wall/ReasonDialog';
import { Wall } from '../wall/Wall';
import { SaveLayoutDialog, WallBar } from '../wall/WallBar';
import { startWallPublisher } from '../wall/wallSync';
import { useWallStore } from '../wall/wallStore';
import { HelpOverlay } from './HelpOverlay';
import { TopBar } from './TopBar';
import { useShortcuts } from './useShortcuts';

const TABS: readonly { readonly id: SideTab; readonly label: string; readonly key: string }[] = [
  { id: 'map', label: 'Map', key: 'M' },
  { id: 'cameras', label: 'Cameras', key: '/' },
];

function SidePanel() {
  const tab = useUiStore((s) => s.tab);
  const setTab = useUiStore((s) => s.setTab);
  const agency = useSessionStore((s) => s.agency);
  return (
    <section className="side" aria-label="Map and cameras">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            onClick={() => setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label} <kbd>{t.key}</kbd>
          </button>
        ))}
      </div>
      {/* Both stay mounted: the map keeps its view and the list its search. */}
      <div className="tab-panel" id="panel-map" role="tabpanel" hidden={tab !== 'map'}>
        {agency ? (
          <MapView agency={agency} />
        ) : (
          <p style={{ padding: '1rem' }}>Loading the agency’s map…</p>
        )}
      </div>
      <div className="tab-panel" id="panel-cameras" role="tabpanel" hidden={tab !== 'cameras'}>
        <CameraList />
      </div>
    </section>
  );
}

function DragGhost() {
  const drag = useDragStore((s) => s.drag);
  if (!drag) return null;
  return (
    <div className="drag-ghost" style={{ left: drag.x, top: drag.y }} aria-hidden="true">
      {drag.name}
      {drag.overTile !== null ? ` → tile ${drag.overTile + 1}` : ''}
    </div>
  );
}

function IdleWarning() {
  const at = useSessionStore((s) => s.idleWarningAt);
  if (at === null) return null;
  const seconds = Math.max(0, Math.round((at - Date.now()) / 1000));
  return (
    <div className="idle-warning" role="alert" data-testid="idle-warning">
      No activity: the console locks in {seconds} s. Move the mouse or press a key to stay signed
      in.
    </div>
  );
}

/** The console window: top bar, map and camera list, the wall, and the dialogs. */
export function Console({
  locked,
  videoAllowed,
}: {
  readonly locked: boolean;
  readonly videoAllowed: boolean;
}) {
  const session = useSessionStore((s) => s.session);
  const userId = session && session.status !== 'signed_out' ? session.user.id : null;
  const idleMinutes = session && session.status !== 'signed_out' ? session.idleLockMinutes : 30;
  const poppedOut = useWallStore((s) => s.poppedOut);
  const replayRequest = useUiStore((s) => s.replayRequest);
  const statusCount = useCameraStore((s) => s.byId.size);
  const cameraError = useCameraStore((s) => s.error);

  useShortcuts(!locked);
  useIdleWatch(!locked && userId !== null, idleMinutes);

  useEffect(() => {
    if (!userId) return;
    void useSessionStore.getState().loadAgency();
    void useCameraStore.getState().load();
    void useLayoutStore.getState().refresh();
  }, [userId]);

  useEffect(() => startWallPublisher(), []);

  return (
    <div className="console" aria-hidden={locked ? 'true' : undefined} data-testid="console">
      <TopBar />
      <main className={`workspace${poppedOut ? ' wall-away' : ''}`}>
        <SidePanel />
        {poppedOut ? (
          <section className="wall-away-panel" data-testid="wall-away">
            <div>
              <p>The wall is showing in its own window on another display.</p>
              <p>Close that window to bring the wall back here.</p>
            </div>
          </section>
        ) : (
          <section className="wall-area" aria-label="Wall">
            <WallBar />
            <Wall videoAllowed={videoAllowed} replayRequest={replayRequest} />
          </section>
        )}
      </main>
      <footer className="statusbar">
        <span>
          {cameraError ? (
            <span className="error-text">Cameras: {cameraError}</span>
          ) : (
            `${statusCount.toLocaleString('en-US')} cameras`
          )}
        </span>
        <span className="spacer" />
        <span>
          <kbd>1</kbd>–<kbd>9</kbd> select tile · <kbd>Enter</kbd> maximise · <kbd>L</kbd> layout ·{' '}
          <kbd>M</kbd> map · <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts
        </span>
      </footer>
      <ReasonDialog />
      <SaveLayoutDialog />
      <HelpOverlay />
      <IdleWarning />
      <DragGhost />
      <Notices />
    </div>
  );
}
