import { create } from 'zustand';
import type { z } from 'zod';
import type { CameraMovedSchema, TrackExtendedSchema } from '../../shared/api/alerts';
import type { Alert, Track } from '../../shared/domain/alerts';
import { call } from '../app/watchfloor';
import { ALL_ALERTS, extendTrack, newer, trackKey, type TrayFilter } from './alertTray';

export type DronePosition = z.infer<typeof CameraMovedSchema>;

interface AlertStore {
  readonly byId: ReadonlyMap<string, Alert>;
  readonly tracks: ReadonlyMap<string, Track>;
  /** Cameras that move (drones), where they last said they were. */
  readonly drones: ReadonlyMap<string, DronePosition>;
  readonly filter: TrayFilter;
  readonly error: string | null;
  load(): Promise<void>;
  apply(alert: Alert): void;
  extend(payload: z.infer<typeof TrackExtendedSchema>): void;
  moveDrone(p: DronePosition): void;
  setFilter(filter: TrayFilter): void;
  acknowledge(id: string, note: string): Promise<string | null>;
  linkIncident(id: string, number: string | null): Promise<string | null>;
}

/** The alert tray, the track lines and the drones: loaded at sign-in, kept by events. */
export const useAlertStore = create<AlertStore>()((set, get) => ({
  byId: new Map(),
  tracks: new Map(),
  drones: new Map(),
  filter: ALL_ALERTS,
  error: null,
  async load() {
    const [alerts, tracks] = await Promise.all([
      call('alerts.list', {}),
      call('alerts.tracks', {}),
    ]);
    if (!alerts.ok) return set({ error: alerts.error.message });
    const drones = new Map(get().drones);
    if (tracks.ok) {
      for (const t of tracks.value.tracks) {
        const last = t.points[t.points.length - 1];
        if (t.cameraId && last) drones.set(t.cameraId, { cameraId: t.cameraId, ...last });
      }
    }
    set({
      byId: new Map(alerts.value.alerts.map((a) => [a.id, a])),
      tracks: tracks.ok ? new Map(tracks.value.tracks.map((t) => [trackKey(t), t])) : get().tracks,
      drones,
      error: tracks.ok ? null : tracks.error.message,
    });
  },
  apply(alert) {
    if (!newer(get().byId.get(alert.id), alert)) return;
    const byId = new Map(get().byId);
    byId.set(alert.id, alert);
    set({ byId });
  },
  extend(payload) {
    const tracks = new Map(get().tracks);
    const key = trackKey(payload);
    tracks.set(key, extendTrack(tracks.get(key), payload));
    set({ tracks });
  },
  moveDrone(p) {
    const held = get().drones.get(p.cameraId);
    if (held && held.at > p.at) return;
    const drones = new Map(get().drones);
    drones.set(p.cameraId, p);
    set({ drones });
  },
  setFilter(filter) {
    set({ filter });
  },
  async acknowledge(id, note) {
    const r = await call('alerts.acknowledge', { id, note });
    if (!r.ok) return r.error.message;
    get().apply(r.value);
    return null;
  },
  async linkIncident(id, number) {
    const r = await call('alerts.linkIncident', { id, number });
    if (!r.ok) return r.error.message;
    get().apply(r.value);
    return null;
  },
}));
