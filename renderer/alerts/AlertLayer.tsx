import { Fragment, useMemo } from 'react';
import L from 'leaflet';
import { Marker, Polyline, Tooltip } from 'react-leaflet';
import { KIND_COLOUR, KIND_GLYPH, KIND_LABEL } from './alertTray';
import { useAlertStore, type DronePosition } from './alertStore';
import type { Alert } from '../../shared/domain/alerts';

/** Metres to degrees of latitude, for the short heading stroke of a drone. */
const HEADING_DEG = 0.0009;

function headingEnd(lat: number, lon: number, heading: number): [number, number] {
  const r = (heading * Math.PI) / 180;
  return [
    lat + HEADING_DEG * Math.cos(r),
    lon + (HEADING_DEG * Math.sin(r)) / Math.cos((lat * Math.PI) / 180),
  ];
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * An alert's symbol: its kind's glyph and colour, larger when urgent, grey once acknowledged,
 * faded outside the jurisdiction; an element of its own, like an incident's.
 */
function alertIcon(a: Alert): L.DivIcon {
  const size = a.urgent ? 24 : 20;
  const state = [
    a.urgent ? ' urgent' : '',
    a.acknowledged ? ' acknowledged' : '',
    a.outsideJurisdiction ? ' outside' : '',
  ].join('');
  return L.divIcon({
    className: 'alert-marker-icon',
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    html:
      `<span class="alert-marker ${a.kind}${state}" data-testid="alert-marker"` +
      ` data-alert-id="${escape(a.id)}" data-kind="${a.kind}"` +
      ` style="background:${KIND_COLOUR[a.kind]}">${KIND_GLYPH[a.kind]}</span>`,
  });
}

/**
 * A drone's symbol: an element of its own (never culled by the map renderer), carrying where
 * the drone reported itself last, so that a reader of the page can tell that it moved.
 */
function droneIcon(d: DronePosition): L.DivIcon {
  return L.divIcon({
    className: 'drone-marker-icon',
    iconSize: [22, 22],
    iconAnchor: [11, 11],
    html:
      `<span class="drone-marker" data-testid="drone-marker" data-camera-id="${escape(d.cameraId)}"` +
      ` data-lat="${d.lat}" data-lon="${d.lon}" data-heading="${d.heading ?? ''}">✈</span>`,
  });
}

/**
 * Inside the map: a symbol per alert by kind (glyph in the tooltip, colour and ring by kind),
 * each tracked subject's line, and each drone where it last reported, pointing its heading.
 */
export function AlertLayer() {
  const byId = useAlertStore((s) => s.byId);
  const tracks = useAlertStore((s) => s.tracks);
  const drones = useAlertStore((s) => s.drones);
  const placed = useMemo(() => [...byId.values()].filter((a) => a.position !== null), [byId]);
  return (
    <>
      {[...tracks.values()].map((t) => (
        <Polyline
          key={`${t.source.integrationId}:${t.subject}`}
          positions={t.points.map((p) => [p.lat, p.lon] as [number, number])}
          pathOptions={{ color: t.cameraId ? '#009e73' : '#f0e442', weight: 3, opacity: 0.8 }}
        >
          <Tooltip sticky>
            {t.cameraId ? 'Drone' : 'Track'}: {t.subject} ({t.source.name})
          </Tooltip>
        </Polyline>
      ))}
      {placed.map((a) => (
        <Marker
          key={a.id}
          position={[a.position!.lat, a.position!.lon]}
          icon={alertIcon(a)}
          keyboard={false}
          zIndexOffset={a.urgent ? 500 : 0}
        >
          <Tooltip direction="top">
            {KIND_GLYPH[a.kind]} {KIND_LABEL[a.kind]}: {a.title}
          </Tooltip>
        </Marker>
      ))}
      {[...drones.values()].map((d) => (
        <Fragment key={d.cameraId}>
          <Marker position={[d.lat, d.lon]} icon={droneIcon(d)} keyboard={false}>
            <Tooltip direction="top">✈ Drone camera, at {d.at}</Tooltip>
          </Marker>
          {d.heading !== null && (
            <Polyline
              positions={[[d.lat, d.lon], headingEnd(d.lat, d.lon, d.heading)]}
              pathOptions={{ color: '#009e73', weight: 3 }}
            />
          )}
        </Fragment>
      ))}
    </>
  );
}
