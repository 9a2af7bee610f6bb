import type { ServerContext } from '../context';
import { auditBy } from '../audit/actor';
import { getAgency } from '../agency/agencyRepository';
import { touchIntegration } from '../integrations/integrationRepository';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { TrackBatch } from '../../shared/api/alerts';
import type { AgencyConfig, ExclusionZone } from '../../shared/domain/agency';
import { pointInPolygon } from '../../shared/geo';
import {
  applyAlert,
  dockingEventsFor,
  refusals,
  refuseIfAny,
  type AlertSource,
} from './alertChanges';
import {
  activeCameraIds,
  insertTrackPoints,
  moveCamera,
  saveSubject,
  subjectsForUpdate,
  type NewTrackPoint,
  type SubjectState,
} from './trackRepository';
import { sessionIdleMinutesFor } from '../auth/sessionIdle';

export interface TrackResult {
  readonly added: number;
  readonly duplicates: number;
  readonly alerts: { id: string; subject: string; zoneId: string }[];
  readonly camerasMoved: string[];
}

/** The batch's points; a point repeated within the batch (same subject and time) counts once. */
function pointsOf(batch: TrackBatch): NewTrackPoint[] {
  const seen = new Set<string>();
  return batch.features.flatMap((f) => {
    const at = new Date(f.properties.time).toISOString();
    const key = `${f.properties.subject}\n${at}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        subject: f.properties.subject,
        at,
        lng: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
        heading: f.properties.heading ?? null,
      },
    ];
  });
}

/** The exclusion zones that apply to a subject and hold the point. */
function zonesHolding(
  zones: readonly ExclusionZone[],
  subject: string,
  p: NewTrackPoint,
): string[] {
  return zones
    .filter((z) => z.subjects.length === 0 || z.subjects.includes(subject))
    .filter((z) => pointInPolygon({ lat: p.lat, lng: p.lng }, z.geometry))
    .map((z) => z.id);
}

interface SubjectOutcome {
  readonly state: SubjectState;
  /** Zones entered, with the point that entered each. */
  readonly entries: { zone: ExclusionZone; point: NewTrackPoint }[];
  readonly moved: boolean;
}

/**
 * Walks a subject's new points in time order from its last known state. A point older than the
 * last one applied (a late delivery) is kept in the track but moves nothing and enters nothing.
 */
function advance(
  subject: string,
  prev: SubjectState | null,
  points: readonly NewTrackPoint[],
  cameraId: string | null,
  agency: AgencyConfig,
): SubjectOutcome {
  const zones = agency.alerts.exclusionZones;
  let state: SubjectState | null = prev ? { ...prev, cameraId } : null;
  const entries: SubjectOutcome['entries'] = [];
  let moved = false;
  for (const p of points) {
    if (state && Date.parse(p.at) <= Date.parse(state.lastAt)) continue;
    const inside = zonesHolding(zones, subject, p);
    const before = new Set(state?.zonesInside ?? []);
    for (const id of inside) {
      if (!before.has(id)) entries.push({ zone: zones.find((z) => z.id === id)!, point: p });
    }
    state = {
      subject,
      cameraId,
      lastAt: p.at,
      lastLat: p.lat,
      lastLng: p.lng,
      zonesInside: inside,
    };
    moved = true;
  }
  return { state: state!, entries, moved };
}

/**
 * Keeps a batch of positions, raises a zone alert for each exclusion zone a subject entered,
 * and moves the cameras that are tracked (drones); one transaction, acknowledged once committed.
 * The same points sent again add nothing, enter nothing and publish nothing.
 */
export async function ingestTracks(
  ctx: ServerContext,
  batch: TrackBatch,
  source: AlertSource,
): Promise<TrackResult> {
  const points = pointsOf(batch);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      refuseIfAny(
        batch.features.flatMap((f, i) =>
          refusals(
            {
              occurredAt: f.properties.time,
              position: { lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0] },
              timePath: `body.features.${i}.properties.time`,
              positionPath: `body.features.${i}.geometry.coordinates`,
            },
            agency,
            at.getTime(),
          ),
        ),
      );
      const added = await insertTrackPoints(tx, source.integrationId, points, at);
      const subjects = [...new Set(added.map((p) => p.subject))].sort();
      const known = await subjectsForUpdate(tx, source.integrationId, subjects);
      const cameras = await activeCameraIds(tx, subjects);
      const events: CatalogEvent[] = [];
      const alerts: TrackResult['alerts'] = [];
      const camerasMoved: string[] = [];
      for (const subject of subjects) {
        const mine = added
          .filter((p) => p.subject === subject)
          .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
        const cameraId = cameras.has(subject) ? subject : null;
        const outcome = advance(subject, known.get(subject) ?? null, mine, cameraId, agency);
        if (outcome.moved) await saveSubject(tx, source.integrationId, outcome.state);
        events.push({
          type: 'track.extended',
          payload: {
            subject,
            cameraId,
            source: { integrationId: source.integrationId, name: source.integrationName },
            points: mine.map((p) => ({ at: p.at, lat: p.lat, lon: p.lng, heading: p.heading })),
          },
        });
        for (const { zone, point } of outcome.entries) {
          const applied = await applyAlert(
            tx,
            {
              kind: 'zone',
              senderId: `zone:${zone.id}:${subject}:${point.at}`,
              occurredAt: point.at,
              position: { lat: point.lat, lon: point.lng },
              details: { subject, zoneId: zone.id, zoneName: zone.name },
              path: 'body',
            },
            agency,
            source,
            at,
          );
          alerts.push({ id: applied.result.id, subject, zoneId: zone.id });
          events.push(...applied.events);
        }
        if (cameraId && outcome.moved) {
          const s = outcome.state;
          const last = mine.find((p) => p.at === s.lastAt)!;
          await moveCamera(tx, cameraId, {
            lat: s.lastLat,
            lng: s.lastLng,
            heading: last.heading,
            at,
          });
          camerasMoved.push(cameraId);
          events.push({
            type: 'camera.moved',
            payload: {
              cameraId,
              lat: s.lastLat,
              lon: s.lastLng,
              heading: last.heading,
              at: s.lastAt,
            },
          });
        }
      }
      await touchIntegration(tx, source.integrationId, at);
      events.push(
        ...(await dockingEventsFor(
          tx,
          events,
          agency,
          at,
          sessionIdleMinutesFor(ctx, agency) * 60_000,
        )),
      );
      return {
        result: {
          added: added.length,
          duplicates: batch.features.length - added.length,
          alerts,
          camerasMoved,
        },
        events,
      };
    },
    audit: (v) =>
      auditBy(source.actor, {
        action: 'track.ingest',
        targetType: 'track',
        targetId: null,
        outcome: 'success',
        details: {
          points: points.length,
          added: v.result.added,
          zoneAlerts: v.result.alerts.length,
          camerasMoved: v.result.camerasMoved,
        },
      }),
    event: (v) => v.events,
  });
  return value.result;
}
