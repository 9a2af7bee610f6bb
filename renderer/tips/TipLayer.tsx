import { useEffect, useMemo } from 'react';
import { CircleMarker, Tooltip, useMap } from 'react-leaflet';
import type { Tip } from '../../shared/domain/tips';
import { preview, tipsterName } from './tipLabels';
import { useTipStore } from './tipStore';
import { focusMap } from '../map/focusMap';

/**
 * Inside the map: a pin for each tip shown in the Tips panel whose tipster shared a location
 * (a maps link or a location card), and the map moves to one when the analyst asks.
 */
export function TipLayer() {
  const map = useMap();
  const tips = useTipStore((s) => s.tips);
  const open = useTipStore((s) => s.detail?.tip ?? null);
  const focus = useTipStore((s) => s.mapFocus);
  const select = useTipStore((s) => s.select);
  const pinned = useMemo(() => {
    const all: Tip[] = [...tips];
    if (open && !tips.some((t) => t.id === open.id)) all.push(open);
    return all.filter((t) => t.sharedLocation !== null);
  }, [tips, open]);

  useEffect(() => {
    if (focus) focusMap(map, focus, 17);
  }, [map, focus]);

  return (
    <>
      {pinned.map((t) => (
        <CircleMarker
          key={t.id}
          center={[t.sharedLocation!.lat, t.sharedLocation!.lon]}
          radius={focus?.tipId === t.id ? 9 : 7}
          pathOptions={{ color: '#0b0e12', weight: 2, fillColor: '#f0e442', fillOpacity: 0.95 }}
          eventHandlers={{ click: () => void select(t.id) }}
        >
          <Tooltip direction="top">
            ⌖ {tipsterName(t.alias)}: {preview(t.body, 60)}
          </Tooltip>
        </CircleMarker>
      ))}
    </>
  );
}
