import { useState } from 'react';
import type { Jurisdiction } from '../../shared/domain/agency';
import { parseBoundary } from './boundaryFile';

/** A boundary from a GeoJSON file or pasted text; shown on the preview map before it is saved. */
export function GeoJsonInput({
  label,
  onGeometry,
  testId,
}: {
  readonly label: string;
  readonly onGeometry: (g: Jurisdiction) => void;
  readonly testId: string;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const take = (source: string) => {
    const r = parseBoundary(source);
    if (r.ok) {
      setProblem(null);
      setText('');
      onGeometry(r.geometry);
    } else setProblem(r.message);
  };
  return (
    <div className="geojson-input">
      <label>
        {label}{' '}
        <input
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
          data-testid={`${testId}-file`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void file.text().then(take);
            e.target.value = '';
          }}
        />
      </label>
      <textarea
        rows={3}
        placeholder='or paste GeoJSON: {"type": "Polygon", "coordinates": [[[lng, lat], …]]}'
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid={`${testId}-text`}
      />
      <button
        type="button"
        className="btn small"
        disabled={!text.trim()}
        onClick={() => take(text)}
      >
        Use pasted GeoJSON
      </button>
      {problem && (
        <span className="error-text" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
      <span className="hint">
        A Polygon or MultiPolygon, a Feature holding one, or a FeatureCollection with one such
        feature; positions are [longitude, latitude].
      </span>
    </div>
  );
}
