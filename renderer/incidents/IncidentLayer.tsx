import { useEffect, useMemo } from 'react';
import L from 'leaflet';
import { Marker, Tooltip, useMap } from 'react-leaflet';
import { useUiStore } from '../ui/uiStore';
import { incidentMarkers, type IncidentMarker } from './incidentMapData';
import { useIncidentStore } from './incidentStore';
import { useNow } from './useNow';
import { focusMap } from '../map/focusMap';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Leaflet stacks markers by latitude; the most urgent are lifted above the rest. */
const ON_TOP = { p1: 1000, p2: 700, p3: 400, p4: 100, px: 0 } as const;

function iconOf(m: IncidentMarker, selected: boolean): L.DivIcon {
  const size = selected ? 30 : 24;
  return L.divIcon({
    className: 'incident-marker-icon',
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    html:
      `<span class="incident-marker ${m.priority.key}${selected ? ' selected' : ''}${m.closed ? ' closed' : ''}"` +
      ` data-testid="incident-marker" data-incident-id="${escape(m.id)}"` +
      ` data-priority="${m.priority.short}" style="opacity:${m.opacity}">` +
      `<span class="sym" aria-hidden="true">${m.priority.symbol}</span>${m.priority.short}</span>`,
  });
}

/**
 * Inside the map: the open incidents with their symbol by priority, the closed ones fading away;
 * a click opens the incident's detail in the Incidents panel.
 */
export function IncidentLayer() {
  const map = useMap();
  const byId = useIncidentStore((s) => s.byId);
  const selectedId = useIncidentStore((s) => s.selectedId);
  const focus = useIncidentStore((s) => s.mapFocus);
  const select = useIncidentStore((s) => s.select);
  const setTab = useUiStore((s) => s.setTab);
  const now = useNow(5_000);
  const markers = useMemo(() => incidentMarkers(byId.values(), now), [byId, now]);

  useEffect(() => {
    if (focus) focusMap(map, focus, 16);
  }, [map, focus]);

  return (
    <>
      {markers.map((m) => (
        <Marker
          key={m.id}
          position={[m.lat, m.lon]}
          icon={iconOf(m, m.id === selectedId)}
          keyboard
          title={m.label}
          zIndexOffset={m.id === selectedId ? 2000 : m.closed ? -1000 : ON_TOP[m.priority.key]}
          eventHandlers={{
            click: () => {
              void select(m.id);
              setTab('incidents');
            },
          }}
        >
          <Tooltip direction="top" offset={[0, -12]}>
            {m.priority.symbol} {m.label}
          </Tooltip>
        </Marker>
      ))}
    </>
  );
}
