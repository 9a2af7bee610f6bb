import { useCameraStore } from '../cameras/cameraStore';
import { LAYOUTS, tileIsLarge } from './wallGeometry';
import { useWallStore } from './wallStore';
import { Tile } from './Tile';
import { useSessionStore } from '../session/sessionStore';
import { offersPtz } from './ptzAccess';
import type { Permission } from '../../shared/domain/roles';

const NO_PERMISSIONS: readonly Permission[] = [];

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
  const permissions = useSessionStore((s) =>
    s.session && s.session.status !== 'signed_out' ? s.session.user.permissions : NO_PERMISSIONS,
  );
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
            steerable={!!tile && offersPtz(byId.get(tile.cameraId), permissions)}
          />
        );
      })}
    </div>
  );
}
