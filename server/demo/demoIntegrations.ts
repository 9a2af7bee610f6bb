import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { SYSTEM_ACTOR } from '../audit/actor';
import { createIntegration } from '../integrations/integrationChanges';
import { hashIntegrationKey } from '../integrations/integrationKeys';
import { findIntegration, findIntegrationByKeyHash } from '../integrations/integrationRepository';

/**
 * The demo site's integration keys, kept in the data folder for the programs that post as the
 * demo's machines (the demo CAD and alert replays, tests):
 * `{"cad": {"key": "wfi_...", "name": "demo CAD"}, "lpr": {...}, "gunshot": {...}, "tracks": {...}}`,
 * one entry per scope, readable by its owner only, like demo-credentials.json.
 */
export const DEMO_INTEGRATIONS_FILE = 'demo-integrations.json';

/** The demo's machines by scope, with the integration name each posts as. */
export const DEMO_INTEGRATION_NAMES = {
  cad: 'demo CAD',
  lpr: 'demo LPR',
  gunshot: 'demo gunshot sensors',
  tracks: 'demo tracking',
} as const;
export type DemoScope = keyof typeof DEMO_INTEGRATION_NAMES;
export const DEMO_SCOPES = Object.keys(DEMO_INTEGRATION_NAMES) as DemoScope[];
export const DEMO_CAD_NAME = DEMO_INTEGRATION_NAMES.cad;
export const DEMO_LPR_NAME = DEMO_INTEGRATION_NAMES.lpr;

const EntrySchema = z.object({ key: z.string().min(1), name: z.string().min(1) });
export type DemoIntegration = z.infer<typeof EntrySchema>;
/** Entries of scopes the demo does not post are kept as they are. */
export const DemoIntegrationsSchema = z.looseObject({
  cad: EntrySchema.optional(),
  lpr: EntrySchema.optional(),
  gunshot: EntrySchema.optional(),
  tracks: EntrySchema.optional(),
});
export type DemoIntegrations = z.infer<typeof DemoIntegrationsSchema>;

export async function readDemoIntegrations(dataDir: string): Promise<DemoIntegrations | null> {
  try {
    const raw = JSON.parse(await readFile(join(dataDir, DEMO_INTEGRATIONS_FILE), 'utf8'));
    const parsed = DemoIntegrationsSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether the key still opens a live integration of the demo site for that scope. */
async function usable(
  ctx: ServerContext,
  scope: DemoScope,
  entry: DemoIntegration | undefined,
): Promise<boolean> {
  if (!entry) return false;
  const found = await findIntegrationByKeyHash(ctx.store, hashIntegrationKey(entry.key));
  return found !== null && found.revokedAt === null && found.scope === scope;
}

/** The demo name, or the first free one after it when a lost key's integration holds it. */
async function freeName(ctx: ServerContext, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!(await findIntegration(ctx.store, name))) return name;
  }
}

export type EnsuredDemoIntegrations = {
  readonly created: boolean;
  readonly file: string;
} & { readonly [S in DemoScope]: DemoIntegration };

/**
 * Makes sure each demo machine has a working key in the file: kept when it still works, otherwise
 * a new integration is made (audited as the system's) and written beside the other entries.
 */
export async function ensureDemoIntegrations(
  ctx: ServerContext,
  dataDir: string,
): Promise<EnsuredDemoIntegrations> {
  const file = join(dataDir, DEMO_INTEGRATIONS_FILE);
  const held: DemoIntegrations = { ...((await readDemoIntegrations(dataDir)) ?? {}) };
  let created = false;
  for (const scope of DEMO_SCOPES) {
    if (await usable(ctx, scope, held[scope])) continue;
    const name = await freeName(ctx, DEMO_INTEGRATION_NAMES[scope]);
    const made = await createIntegration(ctx, { name, scope }, SYSTEM_ACTOR);
    held[scope] = { key: made.key, name: made.name };
    created = true;
  }
  if (created) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(held, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return {
    created,
    file,
    cad: held.cad!,
    lpr: held.lpr!,
    gunshot: held.gunshot!,
    tracks: held.tracks!,
  };
}
