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
  const label = TILE_STATE_LABELS[state];
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
      role="group"
      aria-label={`Tile ${number}: ${name ?? 'empty'}${p.tile ? `, ${label.word}` : ''}`}
      tabIndex={-1}
      onMouseDown={() => select(p.index)}
      onDoubleClick={() => p.tile && toggleMaximize(p.index)}
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
      <video ref={videoRef} muted playsInline autoPlay aria-hidden="true" />
      <video ref={standbyRef} className="standby" muted playsInline aria-hidden="true" />
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
              className="tile-case"
              data-testid="tile-case"
              title={`Viewed under: ${VIEW_REASON_LABELS[p.tile.reason.code]}${
                p.tile.reason.reference ? ` · ${p.tile.reason.reference}` : ''
              } (recorded in the audit trail)`}
            >
              {p.tile.reason.reference ?? VIEW_REASON_LABELS[p.tile.reason.code]}
            </span>
            <span
              className="tile-latency"
              data-testid="tile-latency"
              title="Live latency: camera clock to this screen"
            >
              {state === 'live' ? formatLatency(figures?.latencyMs ?? null) : ''}
            </span>
            <span className={`state-badge state-${state}`} data-testid="tile-state">
              <span aria-hidden="true">{label.symbol}</span>
              {label.word.toUpperCase()}
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

      {p.tile && state !== 'live' && state !== 'starting' && (
        <div className="tile-message" data-testid="tile-message">
          <div>
            <p className={`big state-${state}`} aria-hidden="true">
              {label.symbol}
            </p>
            <p>
              <strong>{label.word}</strong>
            </p>
            {reason && <p data-testid="tile-reason">{reason}</p>}
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

      {replay && figures?.viewId && (
        <ReplayOverlay
          viewId={figures.viewId}
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
            aria-label={`Keep a still of tile ${number} for the next product`}
            title="Keep this frame for the next product"
            data-testid="tile-still"
            disabled={!figures?.viewId}
            onClick={() => figures?.viewId && void keepLiveStill(figures.viewId, name ?? '')}
          >
            📷
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
