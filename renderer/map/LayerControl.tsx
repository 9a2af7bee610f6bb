import { CAMERA_KINDS } from '../../shared/domain/cameras';
import { useCameraStore } from '../cameras/cameraStore';
import { KindSymbol } from './KindSymbol';
import { KIND_STYLE } from './cameraSymbols';
import { useViewableStore } from '../cameras/viewableNow';

/** The three camera layers, each with its symbol and how many cameras it holds. */
export function LayerControl() {
  const layers = useCameraStore((s) => s.layers);
  const counts = useCameraStore((s) => s.counts);
  const status = useCameraStore((s) => s.status);
  const setLayer = useCameraStore((s) => s.setLayer);
  const onlyViewable = useViewableStore((s) => s.onlyViewable);
  const setOnlyViewable = useViewableStore((s) => s.setOnlyViewable);
  const closedCount = useViewableStore((s) => s.blocked.size);
  return (
    <fieldset className="map-layers" data-testid="map-layers" data-status={status}>
      <legend className="sr-only">Camera layers</legend>
      {CAMERA_KINDS.map((kind) => (
        <label key={kind} data-testid={`layer-${kind}`}>
          <input
            type="checkbox"
            checked={layers[kind]}
            onChange={(e) => setLayer(kind, e.target.checked)}
            data-testid={`layer-toggle-${kind}`}
          />
          <KindSymbol kind={kind} />
          <span>{KIND_STYLE[kind].label}</span>
          <span className="count" data-testid={`layer-count-${kind}`} data-count={counts[kind]}>
            {counts[kind].toLocaleString('en-US')}
          </span>
        </label>
      ))}
      <label
        className="viewable"
        data-testid="layer-viewable"
        title="Owners' cameras whose window is closed now are drawn faint and struck through"
      >
        <input
          type="checkbox"
          checked={onlyViewable}
          onChange={(e) => setOnlyViewable(e.target.checked)}
          data-testid="layer-toggle-viewable"
        />
        <span>Viewable now only</span>
        <span className="count" data-testid="layer-count-closed" data-count={closedCount}>
          {closedCount.toLocaleString('en-US')} closed
        </span>
      </label>
      {status === 'loading' && <span className="count">loading cameras…</span>}
    </fieldset>
  );
}
