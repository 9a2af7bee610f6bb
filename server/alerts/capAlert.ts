import { HttpError } from '../http/errorHandler';
import {
  childElements,
  findElement,
  parseUntrustedXml,
  xmlText,
  type XmlNode,
} from '../http/untrustedXml';
import type { AlertPosition, AlertSeverity } from '../../shared/domain/alerts';
import { ALERT_SEVERITIES } from '../../shared/domain/alerts';
import type { AlertInput } from './alertChanges';

/**
 * Reads an OASIS CAP 1.2 alert (docs/integrations.md, "CAP"). The message is named by its
 * sender, identifier and sent time together (CAP's own form for a reference); the first
 * `info` gives the event and its severity, and the first `area` with a circle ("lat,lon radius"
 * in kilometres) or a polygon (space-separated "lat,lon" pairs, closed) gives the position: the
 * circle's centre, or the polygon's centroid of vertices.
 */

const FIELD = 'body';

function refuse(path: string, message: string): never {
  throw new HttpError(400, `Invalid ${path}: ${message}.`, [{ path, message }]);
}

function required(node: unknown, name: string, path: string): string {
  const value = xmlText(childElements(node, name)[0]);
  if (value === null) refuse(`${path}.${name}`, `CAP requires <${name}>`);
  return value.slice(0, 500);
}

const optional = (node: unknown, name: string, max = 2000): string | null =>
  xmlText(childElements(node, name)[0])?.slice(0, max) ?? null;

function latLon(pair: string, path: string): AlertPosition {
  const [lat, lon, ...rest] = pair.split(',').map((v) => Number(v.trim()));
  if (
    rest.length > 0 ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lon) ||
    Math.abs(lat!) > 90 ||
    Math.abs(lon!) > 180
  ) {
    refuse(path, `"${pair.slice(0, 40)}" is not "latitude,longitude" in degrees`);
  }
  return { lat: lat!, lon: lon! };
}

function circleOf(text: string, path: string): { position: AlertPosition; radiusM: number } {
  const [center, radius, ...rest] = text.trim().split(/\s+/);
  const km = Number(radius);
  if (!center || rest.length > 0 || !Number.isFinite(km) || km < 0) {
    refuse(path, 'a circle is "latitude,longitude radius" with the radius in kilometres');
  }
  return { position: latLon(center, path), radiusM: km * 1000 };
}

function polygonCentre(text: string, path: string): AlertPosition {
  const points = text
    .trim()
    .split(/\s+/)
    .map((p) => latLon(p, path));
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length < 4 || !first || !last || first.lat !== last.lat || first.lon !== last.lon) {
    refuse(path, 'a polygon is at least 4 "latitude,longitude" pairs, the first and last the same');
  }
  const ring = points.slice(0, -1);
  return {
    lat: ring.reduce((s, p) => s + p.lat, 0) / ring.length,
    lon: ring.reduce((s, p) => s + p.lon, 0) / ring.length,
  };
}

function severityOf(text: string | null): AlertSeverity {
  const s = (text ?? '').toLowerCase() as AlertSeverity;
  return ALERT_SEVERITIES.includes(s) ? s : 'unknown';
}

export function alertFromCap(xml: string): AlertInput {
  const doc = parseUntrustedXml(xml, FIELD, 'CAP');
  const alert = findElement(doc, 'alert');
  if (!alert || typeof alert !== 'object') refuse(FIELD, 'not a CAP alert (no <alert> element)');
  const path = `${FIELD}.alert`;
  const identifier = required(alert, 'identifier', path);
  const sender = required(alert, 'sender', path);
  const sent = required(alert, 'sent', path);
  const sentAt = Date.parse(sent);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)$/.test(sent) || Number.isNaN(sentAt)) {
    refuse(`${path}.sent`, 'a CAP time such as 2026-11-29T14:00:00-05:00');
  }
  const msgType = optional(alert, 'msgType', 20) ?? 'Alert';
  if (!['Alert', 'Update', 'Cancel'].includes(msgType)) {
    refuse(`${path}.msgType`, `${msgType.slice(0, 20)} is a reply between systems, not an alert`);
  }
  // CAP references are "sender,identifier,sent" triplets separated by spaces: the form used here
  // to name an alert, so an update or a cancel finds the alert it revises.
  const revises = (optional(alert, 'references', 4000) ?? '').split(/\s+/).filter(Boolean);
  const info = childElements(alert, 'info')[0] as XmlNode | undefined;
  if (!info) refuse(`${path}.info`, 'an alert Watchfloor keeps has an <info> block');
  const infoPath = `${path}.info`;
  const event = required(info, 'event', infoPath);
  let position: AlertPosition | null = null;
  let radiusM: number | null = null;
  let areaDesc: string | null = null;
  childElements(info, 'area').forEach((area, i) => {
    if (position) return;
    const areaPath = `${infoPath}.area.${i}`;
    areaDesc = optional(area, 'areaDesc', 500);
    const circle = xmlText(childElements(area, 'circle')[0]);
    const polygon = xmlText(childElements(area, 'polygon')[0]);
    if (circle) ({ position, radiusM } = circleOf(circle, `${areaPath}.circle`));
    else if (polygon) position = polygonCentre(polygon, `${areaPath}.polygon`);
  });
  const severity = severityOf(optional(info, 'severity'));
  const onset = optional(info, 'onset') ?? optional(info, 'effective');
  const occurredAt = onset && !Number.isNaN(Date.parse(onset)) ? onset : sent;
  const headline = optional(info, 'headline', 500);
  return {
    kind: 'cap',
    senderId: `${sender},${identifier},${sent}`,
    ...(msgType !== 'Alert' && revises.length > 0 ? { revises } : {}),
    occurredAt: new Date(occurredAt).toISOString(),
    position,
    severity,
    path: FIELD,
    details: {
      identifier,
      sender,
      msgType,
      event,
      headline: msgType === 'Cancel' ? `Cancelled: ${headline ?? event}` : headline,
      description: optional(info, 'description'),
      urgency: optional(info, 'urgency', 40),
      certainty: optional(info, 'certainty', 40),
      areaDesc,
      radiusM,
    },
  };
}
