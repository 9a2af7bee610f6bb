import { useCameraStore } from '../cameras/cameraStore';
import { LAYOUTS, tileIsLarge } from './wallGeometry';
import { useWallStore } from './wallStore';
import { Tile } from './Tile';

/** The grid of tiles. Tiles keep their player across layout changes (keyed by position). */
export function Wall({
  videoAllowed,
  standalone = false,
  replayRequest,
}: {
  readonly videoAllowed: boolean;
  readonly standalone?: boolean;
  readonly replayRequest: { readonly index: number; readonly n: number };
}) {
  const grid = useWallStore((s) => s.grid);
  const tiles = useWallStore((s) => s.tiles);
  const maximized = useWallStore((s) => s.maximized);
  const selected = useWallStore((s) => s.selected);
  const byId = useCameraStore((s) => s.byId);
  const g = LAYOUTS[grid];

  return (
    <div
      className={`wall${standalone ? ' standalone' : ''}`}
      data-testid="wall"
      data-grid={grid}
      data-maximized={maximized ?? ''}
      style={{
        gridTemplateColumns: `repeat(${g.columns}, minmax(0, 1fr))`,
        gridTemplateRows: `repeat(${g.rows}, minmax(0, 1fr))`,
      }}
      role="region"
      aria-label={`Video wall, layout ${g.label}`}
      tabIndex={-1}
      id="wall"
    >
      {g.tiles.map((rect, i) => {
        const tile = tiles[i] ?? null;
        const isMax = maximized === i;
        return (
          <Tile
            key={i}
            index={i}
            rect={rect}
            tile={tile}
            cameraName={tile ? (byId.get(tile.cameraId)?.name ?? null) : null}
            selected={selected === i}
            maximized={isMax}
            covered={maximized !== null && !isMax}
            wanted={isMax || tileIsLarge(grid, i) ? 'main' : 'sub'}
            videoAllowed={videoAllowed}
            replayRequest={replayRequest.index === i ? replayRequest.n : 0}
          />
        );
      })}
    </div>
  );
}
