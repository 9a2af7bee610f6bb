import { useMemo, useState } from 'react';
import { Circle, CircleMarker, useMapEvents } from 'react-leaflet';
import { CAMERA_KINDS } from '../../shared/domain/cameras';
import { cameraIndexOf, useCameraStore } from '../cameras/cameraStore';
import { putCamerasOnWall } from '../wall/wallActions';
import { useViewableStore, viewability } from '../cameras/viewableNow';
import { ViewableMark } from '../cameras/ViewableMark';
import { DRAG_CAMERA } from '../wall/dragStore';
import { KindSymbol } from './KindSymbol';
import { KIND_STYLE } from './cameraSymbols';
import { RADIUS_PRESETS_M, useMapStore } from './mapStore';
import { usePlaceStore } from './placeStore';

/** Inside the map: the circle, and the click that places it. */
export function RadiusCircle() {
  const center = useMapStore((s) => s.radiusCenter);
  const radiusM = useMapStore((s) => s.radiusM);
  useMapEvents({
    click(e) {
      if (useMapStore.getState().picking) useMapStore.getState().setRadiusCenter(e.latlng);
    },
    keydown(e) {
      // Enter on the focused map places the circle at its centre: the radius tool without a mouse.
      if (useMapStore.getState().picking && e.originalEvent.key === 'Enter') {
        useMapStore.getState().setRadiusCenter(e.target.getCenter());
        e.originalEvent.preventDefault();
      }
    },
  });
  if (!center) return null;
  return (
    <>
      <Circle
        center={center}
        radius={radiusM}
        pathOptions={{ color: '#ffd34d', weight: 2, fillColor: '#ffd34d', fillOpacity: 0.08 }}
        interactive={false}
      />
      <CircleMarker
        center={center}
        radius={4}
        pathOptions={{ color: '#ffd34d', fillColor: '#ffd34d', fillOpacity: 1 }}
        interactive={false}
      />
    </>
  );
}

/** Over the map: the distance, what lies within it, and putting the nearest on the wall. */
export function RadiusPanel() {
  const picking = useMapStore((s) => s.picking);
  const center = useMapStore((s) => s.radiusCenter);
  const radiusM = useMapStore((s) => s.radiusM);
  const setRadiusM = useMapStore((s) => s.setRadiusM);
  const cancel = useMapStore((s) => s.cancelRadius);
  const openPopup = useMapStore((s) => s.openPopup);
  const version = useCameraStore((s) => s.version);
  const layers = useCameraStore((s) => s.layers);
  const [dockCount, setDockCount] = useState(4);
  const blocked = useViewableStore((s) => s.blocked);
  const onlyViewable = useViewableStore((s) => s.onlyViewable);
  const pin = usePlaceStore((s) => s.pin);

  const hits = useMemo(() => {
    if (!center) return [];
    const kinds = new Set(CAMERA_KINDS.filter((k) => layers[k]));
    const within = cameraIndexOf(useCameraStore.getState()).within(center, radiusM, kinds);
    return onlyViewable ? within.filter((h) => viewability(h.camera, blocked).viewable) : within;
    // version: the camera set changed.
  }, [center, radiusM, layers, version, onlyViewable, blocked]);

  if (!picking && !center) return null;
  const viewable = hits.filter((h) => viewability(h.camera, blocked).viewable);
  const byKind = CAMERA_KINDS.map(
    (k) => [k, hits.filter((h) => h.camera.kind === k).length] as const,
  );

  return (
    <section
      className="radius-panel"
      data-testid="radius-panel"
      data-covers-map
      aria-label="Cameras within a radius"
    >
      <header>
        <strong>Radius</strong>
        <label>
          <span className="sr-only">Radius in metres</span>
          <input
            type="number"
            min={10}
            max={5000}
            step={50}
            value={radiusM}
            onChange={(e) => setRadiusM(Number(e.target.value))}
            data-testid="radius-input"
            style={{ width: '5.5rem' }}
          />{' '}
          m
        </label>
        {RADIUS_PRESETS_M.map((m) => (
          <button
            key={m}
            type="button"
            className="btn small"
            aria-pressed={radiusM === m}
            onClick={() => setRadiusM(m)}
          >
            {m >= 1000 ? `${m / 1000} km` : `${m} m`}
          </button>
        ))}
        <span style={{ flex: 1 }} />
        <button
          type="button"
          className="btn small ghost"
          onClick={cancel}
          aria-label="Close the radius tool"
        >
          ✕
        </button>
      </header>
      {picking ? (
        <p style={{ margin: 0 }} data-testid="radius-hint">
          Click the map where it happened (or press <kbd>Enter</kbd> on the map for its centre).
        </p>
      ) : (
        <>
          {pin && (
            <p className="radius-place" data-testid="radius-place">
              Near <strong>{pin.label}</strong>
            </p>
          )}
          <div data-testid="radius-results" data-count={hits.length}>
            <span data-testid="radius-count">{hits.length}</span> cameras within {radiusM} m{' — '}
            {byKind.map(([k, n]) => (
              <span
                key={k}
                style={{ marginRight: '0.6rem' }}
                data-testid={`radius-count-${k}`}
                data-count={n}
              >
                <KindSymbol kind={k} /> {n} {KIND_STYLE[k].label.toLowerCase()}
              </span>
            ))}
          </div>
          <div style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
            <button
              type="button"
              className="btn small primary"
              disabled={viewable.length === 0}
              onClick={() =>
                void putCamerasOnWall(viewable.slice(0, dockCount).map((h) => h.camera.id))
              }
              data-testid="radius-put-nearest"
            >
              Put the {Math.min(dockCount, viewable.length)} nearest on the wall
            </button>
            <label>
              <span className="sr-only">How many</span>
              <select value={dockCount} onChange={(e) => setDockCount(Number(e.target.value))}>
                {[1, 2, 4, 6, 8, 9, 12, 16].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <ol>
            {hits.slice(0, 200).map((h) => (
              <li
                key={h.camera.id}
                data-testid="radius-result"
                data-camera-id={h.camera.id}
                draggable={h.camera.kind !== 'registered'}
                onDragStart={(e) => e.dataTransfer.setData(DRAG_CAMERA, h.camera.id)}
              >
                <KindSymbol kind={h.camera.kind} />
                <button
                  type="button"
                  className="btn ghost small"
                  style={{ justifyContent: 'flex-start', overflow: 'hidden' }}
                  onClick={() => openPopup(h.camera.id)}
                >
                  {h.camera.name}
                </button>
                <ViewableMark camera={h.camera} compact />
                <span className="dist">{Math.round(h.distanceM)} m</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
