import { useEffect } from 'react';
import { Circle, CircleMarker, Tooltip, useMap, useMapEvents } from 'react-leaflet';
import { CANDIDATE_ACTION_LABELS, CANDIDATE_OUTCOME_LABELS } from '../../shared/domain/pulls';
import { focusMap } from '../map/focusMap';
import { useUiStore } from '../ui/uiStore';
import { usePullStore } from './pullStore';
import { candidateColour } from './pullMapStyle';

/** Back to the Pulls panel once the form's location is picked. */
function picked(lat: number, lon: number): void {
  usePullStore.getState().pick({ lat, lon });
  useUiStore.getState().setTab('pulls');
}

/**
 * Inside the map: the open pull's circle and its candidate cameras, coloured by what can be done;
 * and the click (or Enter on the focused map, for its centre) that picks a new pull's location.
 */
export function PullLayer() {
  const map = useMap();
  const detail = usePullStore((s) => s.detail);
  const cursor = usePullStore((s) => s.cursor);
  const focus = usePullStore((s) => s.mapFocus);
  const picking = usePullStore((s) => s.picking);
  const pickedAt = usePullStore((s) => s.picked);

  useMapEvents({
    click(e) {
      if (usePullStore.getState().picking) picked(e.latlng.lat, e.latlng.lng);
    },
    keydown(e) {
      if (!usePullStore.getState().picking) return;
      if (e.originalEvent.key === 'Enter') {
        const c = e.target.getCenter();
        picked(c.lat, c.lng);
        e.originalEvent.preventDefault();
      } else if (e.originalEvent.key === 'Escape') {
        usePullStore.setState({ picking: false });
        useUiStore.getState().setTab('pulls');
      }
    },
  });

  useEffect(() => {
    if (focus) focusMap(map, focus, 16);
  }, [map, focus]);

  useEffect(() => {
    if (picking) map.getContainer().focus();
  }, [map, picking]);

  return (
    <>
      {pickedAt && (
        <CircleMarker
          center={[pickedAt.lat, pickedAt.lon]}
          radius={6}
          pathOptions={{ color: '#ff7ad9', fillColor: '#ff7ad9', fillOpacity: 1 }}
          interactive={false}
        />
      )}
      {detail && (
        <>
          <Circle
            center={[detail.pull.position.lat, detail.pull.position.lon]}
            radius={detail.pull.radiusM}
            pathOptions={{ color: '#ff7ad9', weight: 2, fillOpacity: 0.05, dashArray: '6 4' }}
            interactive={false}
          />
          {detail.candidates.map((c) => (
            <CircleMarker
              key={c.cameraId}
              center={[c.lat, c.lng]}
              radius={c.cameraId === cursor ? 9 : 6}
              pathOptions={{
                color: '#111',
                weight: 1,
                fillColor: candidateColour(c),
                fillOpacity: c.inRadius ? 0.95 : 0.4,
              }}
              eventHandlers={{
                click: () => {
                  usePullStore.getState().setCursor(c.cameraId);
                  useUiStore.getState().setTab('pulls');
                },
              }}
            >
              <Tooltip>
                {c.rank}. {c.name}: {CANDIDATE_ACTION_LABELS[c.action]} ·{' '}
                {CANDIDATE_OUTCOME_LABELS[c.outcome]}
              </Tooltip>
            </CircleMarker>
          ))}
        </>
      )}
    </>
  );
}
