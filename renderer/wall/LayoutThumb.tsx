import type { WallLayout } from '../../shared/domain/layouts';
import { KIND_STYLE } from '../map/cameraSymbols';
import { useCameraStore } from '../cameras/cameraStore';
import { LAYOUTS } from './wallGeometry';

/**
 * A small picture of a saved wall: its grid, each tile coloured by the kind of camera in it,
 * empty tiles dark, and cameras no longer in the registry crossed out.
 */
export function LayoutThumb({ layout }: { readonly layout: WallLayout }) {
  const byId = useCameraStore((s) => s.byId);
  const geometry = LAYOUTS[layout.grid];
  const w = 36;
  const h = 22;
  const cw = w / geometry.columns;
  const ch = h / geometry.rows;
  return (
    <svg
      className="layout-thumb"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      aria-hidden="true"
      data-testid="layout-thumb"
    >
      {geometry.tiles.map((t, i) => {
        const id = layout.tiles[i] ?? null;
        const camera = id ? byId.get(id) : undefined;
        const x = t.col * cw + 0.5;
        const y = t.row * ch + 0.5;
        const tw = t.colSpan * cw - 1;
        const th = t.rowSpan * ch - 1;
        return (
          <g key={i}>
            <rect
              x={x}
              y={y}
              width={tw}
              height={th}
              fill={camera ? KIND_STYLE[camera.kind].color : id ? '#3a4655' : '#0a0d11'}
              stroke="#3a4655"
              strokeWidth={0.5}
            />
            {id && !camera && (
              <line x1={x} y1={y + th} x2={x + tw} y2={y} stroke="#ff7a59" strokeWidth={0.8} />
            )}
          </g>
        );
      })}
    </svg>
  );
}
