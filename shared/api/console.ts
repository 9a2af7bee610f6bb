import { z } from 'zod';
import { hostCall } from './contract';

/** Which shell the console runs in, its windows, and the host's own settings. */
const NoArgs = z.object({}).strict();
/**
 * The basemap's tile source, configured on the host with WF_MAP_TILES (a URL template such as
 * `https://tiles.example.org/{z}/{x}/{y}.png`). Absent or null: the console draws only its offline
 * basemap, built from data that ships with the app.
 */
export const MapTilesSchema = z.object({
  urlTemplate: z.string().min(1).max(2048),
  attribution: z.string().max(500).default(''),
  maxZoom: z.number().int().min(1).max(22).default(19),
});
export type MapTiles = z.infer<typeof MapTilesSchema>;

export const ConsoleInfoSchema = z.object({
  shell: z.enum(['electron', 'web']),
  version: z.string(),
  /** Whether wall windows on other displays can be opened (Electron only). */
  canOpenWallWindows: z.boolean(),
  /** This window's role: the console, or a wall on another display. */
  window: z.enum(['console', 'wall']),
  /** The basemap's tile source, or null for the offline basemap only. */
  mapTiles: MapTilesSchema.nullable(),
  /**
   * Where this window reads a tip's media through the host: `<root><grant token>/<n>/<variant>`
   * (`/tip-media/` in the web console, `wf-media://tip-media/` in Electron).
   */
  tipMediaRoot: z.string(),
});
export type ConsoleInfo = z.infer<typeof ConsoleInfoSchema>;

export const DisplaySchema = z.object({
  id: z.number().int(),
  label: z.string(),
  primary: z.boolean(),
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
  /** Whether a wall window is open on it. */
  hasWall: z.boolean(),
});
export type Display = z.infer<typeof DisplaySchema>;

export const CONSOLE_CALLS = {
  'console.info': hostCall(NoArgs, ConsoleInfoSchema),
  /** Electron only: the displays, and wall windows on them (one per display, remembered). */
  'windows.displays': hostCall(NoArgs, z.object({ displays: z.array(DisplaySchema) })),
  'windows.openWall': hostCall(
    z.object({ displayId: z.number().int() }).strict(),
    z.object({ displays: z.array(DisplaySchema) }),
  ),
  'windows.closeWall': hostCall(
    z.object({ displayId: z.number().int() }).strict(),
    z.object({ displays: z.array(DisplaySchema) }),
  ),
};
