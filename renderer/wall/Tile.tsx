import { VIEW_REASON_LABELS } from '../../shared/domain/reasons';
import { useEffect, useRef, useState, type CSSProperties, type DragEvent } from 'react';
import type { TileRect } from './wallGeometry';
import type { WallTile } from './wallModel';
import type { StreamVariant } from './tileHealth';
import { TilePlayer, type TileFigures } from './tilePlayer';
import { TILE_STATE_LABELS, formatLatency } from './tileLabels';
import { ReplayOverlay } from './ReplayOverlay';
import { keepLiveStill } from '../products/stillTray';
import { DRAG_CAMERA, DRAG_TILE, useDragStore } from './dragStore';
import { putCameraOnTile } from './wallActions';
import { useWallStore } from './wallStore';
import { useTileToolsStore } from './tileToolsStore';
import {
  NO_ZOOM,
  isZoomed,
  panBy,
  wheelFactor,
  zoomAt,
  zoomLabel,
  zoomNote,
  zoomTransform,
} from './tileZoom';
import { PtzPad, usePtzRequests } from './PtzPad';

export interface TileProps {
  readonly index: number;
  readonly rect: TileRect;
  readonly tile: WallTile | null;
  readonly cameraName: string | null;
  readonly selected: boolean;
  readonly maximized: boolean;
  /** Another tile is maximised over this one. */
  readonly covered: boolean;
  readonly wanted: StreamVariant;
  /** Whether video may play at all (not locked where policy stops it, not popped out). */
  readonly videoAllowed: boolean;
  /** Replay asked for by keyboard: bumps to open. */
  readonly replayRequest: number;
  /** The camera has PTZ, the policy shares it and the role may steer (ptzAccess.ts). */
  readonly steerable: boolean;
}

/** Pointer-driven zoom and pan of a tile (tileZoom.ts): wheel, pinch, drag. */
function useZoomGestures(rootRef: React.RefObject<HTMLDivElement | null>, index: number): void {
  useEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const tools = () => useTileToolsStore.getState();
    const zoomOf = () => tools().zoom[index] ?? NO_ZOOM;
    // Controls, the replay and the head (dragged to swap tiles) keep their own pointer.
    const ours = (t: EventTarget | null) =>
      t instanceof Element && !t.closest('button, input, form, .tile-head, .replay, .tile-ptz');
    const fraction = (x: number, y: number) => {
      const r = root.getBoundingClientRect();
      return { fx: (x - r.left) / r.width, fy: (y - r.top) / r.height, r };
    };
    const onWheel = (e: WheelEvent) => {
      if (!ours(e.target)) return;
      e.preventDefault();
      const { fx, fy } = fraction(e.clientX, e.clientY);
      tools().setZoom(index, zoomAt(zoomOf(), wheelFactor(e.deltaY), fx, fy));
    };
    const pointers = new Map<number, { x: number; y: number }>();
    const onDown = (e: PointerEvent) => {
      if (!ours(e.target) || e.button !== 0) return;
      pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pointers.size > 1 || isZoomed(zoomOf())) root.setPointerCapture?.(e.pointerId);
    };
    const onMove = (e: PointerEvent) => {
      const last = pointers.get(e.pointerId);
      if (!last) return;
      const others = [...pointers.entries()].filter(([id]) => id !== e.pointerId);
      const other = others[0]?.[1];
      if (other) {
        // Pinch: the change in the two fingers' distance, about their midpoint.
        const before = Math.hypot(last.x - other.x, last.y - other.y);
        const after = Math.hypot(e.clientX - other.x, e.clientY - other.y);
        const { fx, fy } = fraction((e.clientX + other.x) / 2, (e.clientY + other.y) / 2);
        if (before > 0) tools().setZoom(index, zoomAt(zoomOf(), after / before, fx, fy));
      } else if (isZoomed(zoomOf())) {
        const { r } = fraction(e.clientX, e.clientY);
        tools().setZoom(
          index,
          panBy(zoomOf(), (e.clientX - last.x) / r.width, (e.clientY - last.y) / r.height),
        );
      }
      pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    };
    const onUp = (e: PointerEvent) => {
      pointers.delete(e.pointerId);
    };
    root.addEventListener('wheel', onWheel, { passive: false });
    root.addEventListener('pointerdown', onDown);
    root.addEventListener('pointermove', onMove);
    root.addEventListener('pointerup', onUp);
    root.addEventListener('pointercancel', onUp);
    return () => {
      root.removeEventListener('wheel', onWheel);
      root.removeEventListener('pointerdown', onDown);
      root.removeEventListener('pointermove', onMove);
      root.removeEventListener('pointerup', onUp);
      root.removeEventListener('pointercancel', onUp);
    };
  }, [rootRef, index]);
}

/** Whether the page is shown (not a background tab or a minimised window). */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', on);
    return () => document.removeEventListener('visibilitychange', on);
  }, []);
  return visible;
}

/** Whether the element is on screen at all. */
function useOnScreen(ref: React.RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setOnScreen(last.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return onScreen;
}

export function Tile(p: TileProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const standbyRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<TilePlayer | null>(null);
  const [figures, setFigures] = useState<TileFigures | null>(null);
  const [replay, setReplay] = useState(false);
  const [dropping, setDropping] = useState(false);
  const pointerOver = useDragStore((s) => s.drag?.overTile === p.index);
  const pageVisible = usePageVisible();
  const onScreen = useOnScreen(rootRef);
  const select = useWallStore((s) => s.select);
  const toggleMaximize = useWallStore((s) => s.toggleMaximize);
  const clear = useWallStore((s) => s.clear);
  const swap = useWallStore((s) => s.swap);
  const togglePin = useWallStore((s) => s.togglePin);
  const zoom = useTileToolsStore((s) => s.zoom[p.index]) ?? NO_ZOOM;
  const resetZoom = useTileToolsStore((s) => s.resetZoom);
  const zoomStep = useTileToolsStore((s) => s.zoomStep);
  useZoomGestures(rootRef, p.index);
  // A new camera on the tile starts at the whole picture; a maximise or restore keeps the zoom.
  const cameraId = p.tile?.cameraId ?? null;
  const shownCamera = useRef(cameraId);
  useEffect(() => {
    if (shownCamera.current !== cameraId) resetZoom(p.index);
    shownCamera.current = cameraId;
  }, [cameraId, p.index, resetZoom]);

  useEffect(() => {
    const root = rootRef.current;
    const video = videoRef.current;
    const standby = standbyRef.current;
    if (!root || !video || !standby) return;
    const player = new TilePlayer(root, [video, standby], setFigures);
    playerRef.current = player;
    return () => {
      player.dispose();
      playerRef.current = null;
    };
  }, []);

  useEffect(() => {
    playerRef.current?.show(p.tile, p.wanted);
  }, [p.tile, p.wanted]);
  // A replay ends when the tile's camera changes, not when the tile is maximised or restored.
  useEffect(() => setReplay(false), [p.tile]);

  // A tile under a maximised one keeps playing, hidden, so that restoring shows it at once.
  const visible = p.videoAllowed && pageVisible && onScreen;
  useEffect(() => {
    playerRef.current?.setVisible(visible);
  }, [visible]);

  useEffect(() => {
    if (p.replayRequest > 0 && playerRef.current?.viewId) setReplay(true);
  }, [p.replayRequest]);

  const state = p.tile ? (figures?.health.state ?? 'starting') : 'idle';
  const ptzReady = p.steerable && !!figures?.viewId && state === 'live';
  usePtzRequests(p.index, ptzReady ? (figures?.viewId ?? null) : null);
  const label = TILE_STATE_LABELS[state];
  // The tile's body says in words why it shows no picture.
  const told = !!p.tile && state !== 'live' && state !== 'starting';
  const reason = figures?.health.reason ?? null;
  const number = p.index + 1;
  const name = p.cameraName ?? (p.tile ? 'Unknown camera' : null);

  // A maximised tile spans the whole grid: an absolutely placed grid child is contained by its area.
  const style: CSSProperties = p.maximized
    ? { gridColumn: '1 / -1', gridRow: '1 / -1' }
    : {
        gridColumn: `${p.rect.col + 1} / span ${p.rect.colSpan}`,
        gridRow: `${p.rect.row + 1} / span ${p.rect.rowSpan}`,
      };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDropping(false);
    const cameraId = e.dataTransfer.getData(DRAG_CAMERA);
    const from = e.dataTransfer.getData(DRAG_TILE);
    if (cameraId) void putCameraOnTile(cameraId, p.index);
    else if (from !== '') swap(Number(from), p.index);
  };

  const classes = [
    'tile',
    p.selected && 'selected',
    p.maximized && 'maximized',
    p.covered && 'hidden-by-max',
    (dropping || pointerOver) && 'drop-target',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div
      ref={rootRef}
      className={classes}
      style={style}
      data-testid="wall-tile"
      data-tile-index={p.index}
      data-camera-id={p.tile?.cameraId ?? ''}
      data-state={state}
      data-maximized={p.maximized ? 'true' : 'false'}
      data-selected={p.selected ? 'true' : 'false'}
      data-pinned={p.tile?.pinned ? 'true' : 'false'}
      data-zoom={zoom.scale.toFixed(2)}
      role="group"
      aria-label={`Tile ${number}: ${name ?? 'empty'}${p.tile ? `, ${label.word}` : ''}`}
      tabIndex={-1}
      onMouseDown={() => select(p.index)}
      onDoubleClick={(e) => {
        if (e.target instanceof Element && e.target.closest('button, .replay, .tile-ptz')) return;
        // A zoomed tile's double-click goes back to the whole picture first.
        if (isZoomed(zoom)) resetZoom(p.index);
        else if (p.tile) toggleMaximize(p.index);
      }}
      onDragOver={(e) => {
        if (
          e.dataTransfer.types.includes(DRAG_CAMERA) ||
          e.dataTransfer.types.includes(DRAG_TILE)
        ) {
          e.preventDefault();
          setDropping(true);
        }
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      <video
        ref={videoRef}
        muted
        playsInline
        autoPlay
        aria-hidden="true"
        style={{ transform: zoomTransform(zoom), transformOrigin: '0 0' }}
      />
      <video
        ref={standbyRef}
        className="standby"
        muted
        playsInline
        aria-hidden="true"
        style={{ transform: zoomTransform(zoom), transformOrigin: '0 0' }}
      />
      {isZoomed(zoom) && (
        <button
          type="button"
          className="tile-zoom"
          data-testid="tile-zoom"
          aria-label={`Tile ${number} at ${zoomLabel(zoom)} digital zoom: reset to the whole picture`}
          title="Digital zoom (wheel, pinch, + and −; drag pans). Click, double-click or 0 resets."
          onClick={() => resetZoom(p.index)}
        >
          🔍 {zoomLabel(zoom)}
        </button>
      )}
      {ptzReady && figures?.viewId && (
        <PtzPad viewId={figures.viewId} tileNumber={number} cameraName={name ?? ''} />
      )}
      <div
        className="tile-head"
        draggable={!!p.tile}
        onDragStart={(e) => {
          e.dataTransfer.setData(DRAG_TILE, String(p.index));
          e.dataTransfer.effectAllowed = 'move';
        }}
        title={p.tile ? 'Drag onto another tile to swap' : undefined}
      >
        <span className="tile-num">{number}</span>
        <span
          className="tile-name"
          data-testid="tile-name"
          title={name ? `Tile ${number}: ${name}` : undefined}
        >
          {name ?? ''}
        </span>
        {p.tile && (
          <>
            <span
              className={`tile-case${p.tile.reason.reference ? '' : ' no-reference'}`}
              data-testid="tile-case"
              // A narrow tile shows the case number's last characters (console.css).
              data-short={p.tile.reason.reference ? p.tile.reason.reference.slice(-4) : undefined}
              title={`Viewed under: ${VIEW_REASON_LABELS[p.tile.reason.code]}${
                p.tile.reason.reference ? ` · ${p.tile.reason.reference}` : ''
              } (recorded in the audit trail)`}
            >
              <span className="case-full">
                {p.tile.reason.reference ?? VIEW_REASON_LABELS[p.tile.reason.code]}
              </span>
            </span>
            <span
              className="tile-latency"
              data-testid="tile-latency"
              title="Live latency: camera clock to this screen"
            >
              {state === 'live' ? formatLatency(figures?.latencyMs ?? null) : ''}
            </span>
            {/* On a narrow tile whose body says the state in words, the badge keeps its symbol
                and gives the room to the name (console.css, .state-badge.told). */}
            <span
              className={`state-badge state-${state}${told ? ' told' : ''}`}
              data-testid="tile-state"
              title={label.word}
            >
              <span aria-hidden="true">{label.symbol}</span>
              <span className="state-word">{label.word.toUpperCase()}</span>
            </span>
          </>
        )}
      </div>

      {!p.tile && p.selected && (
        <div className="tile-empty">
          <span>
            Tile {number}
            <br />
            Drop a camera here, or press <kbd>/</kbd> to search
          </span>
        </div>
      )}

      {told && (
        <div className="tile-message" data-testid="tile-message" title={reason ?? label.word}>
          <div>
            <p className={`big state-${state}`} aria-hidden="true">
              {label.symbol}
            </p>
            <p>
              <strong>{label.word}</strong>
            </p>
            {reason && (
              <p className="tile-reason" data-testid="tile-reason">
                {reason}
              </p>
            )}
            {state === 'paused' && !p.videoAllowed && (
              <p>Video is stopped while the console is locked.</p>
            )}
            {(state === 'failed' || state === 'revoked' || state === 'outside_window') && (
              <button
                type="button"
                className="btn small"
                onClick={() => playerRef.current?.retry()}
              >
                Try again
              </button>
            )}
          </div>
        </div>
      )}

      {replay && figures?.viewId && cameraId && (
        <ReplayOverlay
          index={p.index}
          viewId={figures.viewId}
          cameraId={cameraId}
          cameraName={name ?? ''}
          onClose={() => setReplay(false)}
        />
      )}

      {p.tile && (
        <div className="tile-tools">
          <button
            type="button"
            className={`btn small${p.tile.pinned ? ' active' : ''}`}
            aria-label={p.tile.pinned ? `Unpin tile ${number}` : `Pin tile ${number}`}
            aria-pressed={!!p.tile.pinned}
            title="Pinned tiles stay when nearest cameras are docked"
            data-testid="tile-pin"
            onClick={() => togglePin(p.index)}
          >
            {p.tile.pinned ? '📌' : '⚲'}
          </button>
          <button
            type="button"
            className="btn small"
            aria-label={`Instant replay, last 30 s, tile ${number}`}
            title="Instant replay: last 30 s (R)"
            data-testid="tile-replay-button"
            disabled={!figures?.viewId}
            onClick={() => setReplay(true)}
          >
            ⟲ 30 s
          </button>
          <button
            type="button"
            className="btn small"
            aria-label={`Keep a still of tile ${number} with the working case`}
            title="Keep this frame with the working case, and for the next product"
            data-testid="tile-still"
            disabled={!figures?.viewId}
            onClick={() =>
              figures?.viewId &&
              void keepLiveStill(figures.viewId, `${name ?? ''}${zoomNote(zoom)}`)
            }
          >
            📷
          </button>
          <button
            type="button"
            className="btn small"
            aria-label={`Digital zoom in on tile ${number}`}
            title="Digital zoom in (+, or the mouse wheel)"
            data-testid="tile-zoom-in"
            onClick={() => zoomStep(p.index, 1)}
          >
            ＋
          </button>
          <button
            type="button"
            className="btn small"
            aria-label={p.maximized ? `Restore tile ${number}` : `Maximise tile ${number}`}
            title={p.maximized ? 'Restore (Enter)' : 'Maximise (Enter)'}
            data-testid="tile-maximize"
            onClick={() => toggleMaximize(p.index)}
          >
            {p.maximized ? '⤡' : '⤢'}
          </button>
          <button
            type="button"
            className="btn small"
            aria-label={`Take the camera off tile ${number}`}
            title="Take off the wall (Delete)"
            data-testid="tile-clear"
            onClick={() => clear(p.index)}
          >
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
