import { z } from 'zod';
import { MAX_IDLE_LOCK_MINUTES } from '../../../shared/api/session';
import { mapTilesTemplateProblem } from './mapTiles';

/** An on/off setting: 1/0, true/false, on/off, yes/no, in any case (`OFF` is `off`). */
const Flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no']))
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

/**
 * The workstation host's settings, from the environment (both shells read the same names, and
 * `npm start` reads them here too, so it announces what the console will do).
 */
export const HostConfigSchema = z.object({
  WF_SERVER_URL: z
    .url('WF_SERVER_URL is the RTCC server, e.g. https://rtcc.example.org:7400')
    .default('http://127.0.0.1:7400'),
  WF_SERVER_CERT_SHA256: z.string().optional(),
  WF_DATA_DIR: z.string().optional(),
  WF_CONSOLE_HOST: z.string().min(1).default('127.0.0.1'),
  WF_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).default(7410),
  /** HTTP/2 over TLS for the web console (default on; see docs/decisions). */
  WF_CONSOLE_TLS: Flag.default(true),
  WF_CONSOLE_CERT: z.string().optional(),
  WF_CONSOLE_KEY: z.string().optional(),
  /** Lower than 30 is allowed; higher is refused, never silently clamped. */
  WF_IDLE_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(
      MAX_IDLE_LOCK_MINUTES,
      `WF_IDLE_LOCK_MINUTES is at most ${MAX_IDLE_LOCK_MINUTES} (CJIS 5.5.5)`,
    )
    .default(MAX_IDLE_LOCK_MINUTES),
  /** Whether the wall keeps playing behind the lock screen (agency policy; default: it stops). */
  WF_WALL_PLAYS_WHEN_LOCKED: Flag.default(false),
  /** The basemap's tiles, e.g. https://tiles.example.org/{z}/{x}/{y}.png (absent: offline basemap). */
  WF_MAP_TILES: z
    .string()
    .max(2048)
    .superRefine((value, ctx) => {
      const problem = mapTilesTemplateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `WF_MAP_TILES: ${problem}` });
    })
    .optional(),
  WF_MAP_TILES_ATTRIBUTION: z.string().max(500).optional(),
  WF_MAP_TILES_MAX_ZOOM: z.coerce.number().int().min(1).max(22).optional(),
  WF_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});
export type HostConfig = z.infer<typeof HostConfigSchema>;

export function readHostConfig(env: NodeJS.ProcessEnv): HostConfig {
  const picked = Object.fromEntries(
    Object.keys(HostConfigSchema.shape)
      .map((k) => [k, env[k] === '' ? undefined : env[k]] as const)
      .filter(([, v]) => v !== undefined),
  );
  const parsed = HostConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`the console's settings are not valid:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}
