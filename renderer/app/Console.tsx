import {
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { Permission } from '../../shared/domain/roles';
import { useCameraStore } from '../cameras/cameraStore';
import { useViewableUpdates } from '../cameras/viewableNow';
import { useSessionStore } from '../session/sessionStore';
import { strictestIdleMinutes } from '../../shared/domain/idleLock';
import { useIdleWatch } from '../session/useIdleWatch';
import { Notices } from '../ui/Notices';
import { SIDE_MAX_PCT, SIDE_MIN_PCT, useUiStore } from '../ui/uiStore';
import { useDragStore } from '../wall/dragStore';
import { ReasonDialog } from '../wall/ReasonDialog';
import { Wall } from '../wall/Wall';
import { GridSwitchDialog, SaveLayoutDialog, WallBar } from '../wall/WallBar';
import { returnWall, startWallPublisher } from '../wall/wallSync';
import { startViewRestore } from './viewRestore';
import { useWallStore } from '../wall/wallStore';
import { askForDesktopNotifications } from './desktopNotify';
import { HelpOverlay } from './HelpOverlay';
import { modulesFor, panelsFor, type ShownPanel } from './modules';
import { TopBar } from './TopBar';
import { useShortcuts } from './useShortcuts';

/** The arrow at one end of the tab strip, shown while more tabs lie beyond that end (mouse only). */
function ScrollArrow({
  side,
  shown,
  onClick,
}: {
  readonly side: 'before' | 'after';
  readonly shown: boolean;
  readonly onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="tabs-scroll"
      hidden={!shown}
      tabIndex={-1}
      aria-hidden="true"
      onClick={onClick}
      data-testid={`tabs-${side}`}
    >
      {side === 'before' ? '‹' : '›'}
    </button>
  );
}

/**
 * The tabs on one row however many modules the person has: a row too long for the panel scrolls,
 * with arrows at the ends that say more tabs lie that way, and the chosen tab is always scrolled
 * into view. Left, Right, Home and End move between tabs (the ARIA tabs pattern); each panel's
 * letter opens it from anywhere.
 */
function TabStrip({
  panels,
  shown,
  choose,
}: {
  readonly panels: readonly ShownPanel[];
  readonly shown: string | undefined;
  readonly choose: (id: string) => void;
}) {
  const strip = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState({ before: false, after: false });
  useEffect(() => {
    const el = strip.current;
    if (!el) return;
    const measure = () => {
      const before = el.scrollLeft > 1;
      const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setMore((m) => (m.before === before && m.after === after ? m : { before, after }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const resized = new ResizeObserver(measure);
    resized.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      resized.disconnect();
    };
  }, [panels]);
  useEffect(() => {
    strip.current
      ?.querySelector<HTMLElement>('[aria-selected="true"]')
      ?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [shown]);
  const scroll = (direction: 1 | -1) => {
    const el = strip.current;
    el?.scrollBy({ left: direction * el.clientWidth * 0.7, behavior: 'smooth' });
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const at = panels.findIndex((p) => p.id === shown);
    const last = panels.length - 1;
    const next =
      e.key === 'ArrowRight'
        ? (at + 1) % panels.length
        : e.key === 'ArrowLeft'
          ? (at + last) % panels.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null || !panels[next]) return;
    e.preventDefault();
    e.stopPropagation();
    choose(panels[next].id);
    strip.current?.querySelector<HTMLElement>(`#tab-${panels[next].id}`)?.focus();
  };
  return (
    <div className="tab-strip">
      <ScrollArrow side="before" shown={more.before} onClick={() => scroll(-1)} />
      <div className="tabs" role="tablist" ref={strip} onKeyDown={onKeyDown} data-testid="tabs">
        {panels.map((p) => (
          <button
            key={p.id}
            id={`tab-${p.id}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={shown === p.id}
            aria-controls={`panel-${p.id}`}
            tabIndex={shown === p.id ? 0 : -1}
            title={`${p.label} (${p.key})`}
            onClick={() => choose(p.id)}
            data-testid={`tab-${p.id}`}
          >
            {p.label} <kbd>{p.key}</kbd>
          </button>
        ))}
      </div>
      <ScrollArrow side="after" shown={more.after} onClick={() => scroll(1)} />
    </div>
  );
}

/** The side panels of the console's modules (modules.ts), as tabs. */
function SidePanel({ panels }: { readonly panels: readonly ShownPanel[] }) {
  const tab = useUiStore((s) => s.tab);
  const setTab = useUiStore((s) => s.setTab);
  const shown = panels.some((p) => p.id === tab) ? tab : panels[0]?.id;
  return (
    <section className="side" aria-label="Side panels">
      <TabStrip panels={panels} shown={shown} choose={setTab} />
      {/* Every panel stays mounted: the map keeps its view and the list its search. */}
      {panels.map((p) => (
        <div
          key={p.id}
          className="tab-panel"
          id={`panel-${p.id}`}
          role="tabpanel"
          aria-labelledby={`tab-${p.id}`}
          hidden={shown !== p.id}
        >
          <p.Component />
        </div>
      ))}
    </section>
  );
}

/**
 * The edge between the side panel and the wall: drag it, or focus it and use the arrow keys, to
 * give the wall or the panel more room. Ctrl+B hides the panel.
 */
function SideResizer() {
  const width = useUiStore((s) => s.sideWidthPct);
  const setWidth = useUiStore((s) => s.setSideWidth);
  const toggleSide = useUiStore((s) => s.toggleSide);
  const startDrag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => setWidth((100 * m.clientX) / window.innerWidth);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  return (
    <div
      className="side-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Side panel width"
      aria-valuemin={SIDE_MIN_PCT}
      aria-valuemax={SIDE_MAX_PCT}
      aria-valuenow={width}
      tabIndex={0}
      data-testid="side-resizer"
      onPointerDown={startDrag}
      onDoubleClick={toggleSide}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 5 : 1;
        if (e.key === 'ArrowLeft') setWidth(width - step);
        else if (e.key === 'ArrowRight') setWidth(width + step);
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
      title="Drag to resize the side panel; double-click or Ctrl+B to hide it"
    />
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
  const agencyIdle = useSessionStore((s) => s.agency?.session.idleLockMinutes);
  // The strictest of the person's choice, the host's setting and the agency's (CJIS 5.5.5).
  const idleMinutes = strictestIdleMinutes(
    session && session.status !== 'signed_out' ? session.idleLockMinutes : null,
    agencyIdle,
  );
  const poppedOut = useWallStore((s) => s.poppedOut);
  const replayRequest = useUiStore((s) => s.replayRequest);
  const statusCount = useCameraStore((s) => s.byId.size);
  const sideWidthPct = useUiStore((s) => s.sideWidthPct);
  const sideHidden = useUiStore((s) => s.sideHidden);
  const toggleSide = useUiStore((s) => s.toggleSide);
  const cameraError = useCameraStore((s) => s.error);

  useShortcuts(!locked);
  useViewableUpdates();
  useIdleWatch(!locked && userId !== null, idleMinutes);

  const permissions = session && session.status !== 'signed_out' ? session.user.permissions : null;
  const permissionKey = permissions?.join(',') ?? '';
  const panels = useMemo(
    () => panelsFor(permissionKey ? (permissionKey.split(',') as Permission[]) : null),
    [permissionKey],
  );

  // A reload puts back the wall, the working case and the map this tab kept for this person.
  useEffect(() => {
    if (!userId) return;
    return startViewRestore(userId, window.sessionStorage);
  }, [userId]);

  // Each module loads what it shows when someone signs in (modules.ts).
  useEffect(() => {
    if (!userId) return;
    const granted = permissionKey ? (permissionKey.split(',') as Permission[]) : null;
    for (const m of modulesFor(granted)) void m.load?.();
    askForDesktopNotifications();
  }, [userId, permissionKey]);

  useEffect(() => startWallPublisher(), []);

  return (
    <div className="console" aria-hidden={locked ? 'true' : undefined} data-testid="console">
      <TopBar />
      <main
        className={`workspace${poppedOut ? ' wall-away' : ''}${sideHidden ? ' side-hidden' : ''}`}
        style={{ '--side-width': `${sideWidthPct}%` } as CSSProperties}
        data-testid="workspace"
      >
        {sideHidden ? (
          <button
            type="button"
            className="side-rail"
            onClick={toggleSide}
            aria-label="Show the side panel (Ctrl+B)"
            title="Show the side panel (Ctrl+B)"
            data-testid="show-side"
          >
            ⟩
          </button>
        ) : (
          <>
            <SidePanel panels={panels} />
            {!poppedOut && <SideResizer />}
          </>
        )}
        <section className="wall-area" aria-label="Wall">
          <WallBar place={poppedOut ? 'away' : 'console'} />
          {poppedOut ? (
            <div className="wall-away-panel" data-testid="wall-away" role="status">
              <div>
                <p>The wall is popped out: it plays in its own window.</p>
                <p>The layout controls above change it there.</p>
                <button
                  type="button"
                  className="btn"
                  onClick={returnWall}
                  data-testid="wall-bring-back"
                >
                  Bring the wall back here
                </button>
              </div>
            </div>
          ) : (
            <Wall videoAllowed={videoAllowed} replayRequest={replayRequest} />
          )}
        </section>
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
          {panels.map((p) => (
            <span key={p.id}>
              <kbd>{p.key}</kbd> {p.label.toLowerCase()} ·{' '}
            </span>
          ))}
          <kbd>?</kbd> all shortcuts
        </span>
      </footer>
      <ReasonDialog />
      <SaveLayoutDialog />
      <GridSwitchDialog />
      <HelpOverlay />
      <IdleWarning />
      <DragGhost />
      <Notices />
    </div>
  );
}
