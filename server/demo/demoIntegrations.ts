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
 * demo's machines (the demo CAD replay, tests): `{"cad": {"key": "wfi_...", "name": "demo CAD"}}`,
 * one entry per scope, readable by its owner only, like demo-credentials.json.
 */
export const DEMO_INTEGRATIONS_FILE = 'demo-integrations.json';
export const DEMO_CAD_NAME = 'demo CAD';

const EntrySchema = z.object({ key: z.string().min(1), name: z.string().min(1) });
export type DemoIntegration = z.infer<typeof EntrySchema>;
/** Other scopes' entries are kept as they are. */
export const DemoIntegrationsSchema = z.looseObject({ cad: EntrySchema.optional() });
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

/** Whether the key still opens a live integration of the demo site. */
async function usable(ctx: ServerContext, entry: DemoIntegration | undefined): Promise<boolean> {
  if (!entry) return false;
  const found = await findIntegrationByKeyHash(ctx.store, hashIntegrationKey(entry.key));
  return found !== null && found.revokedAt === null && found.scope === 'cad';
}

/** The demo name, or the first free one after it when a lost key's integration holds it. */
async function freeName(ctx: ServerContext): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? DEMO_CAD_NAME : `${DEMO_CAD_NAME} ${n}`;
    if (!(await findIntegration(ctx.store, name))) return name;
  }
}

/**
 * Makes sure the demo CAD has a working key in the file: kept when it still works, otherwise a
 * new integration is made (audited as the system's) and written beside the other entries.
 */
export async function ensureDemoIntegrations(
  ctx: ServerContext,
  dataDir: string,
): Promise<{ readonly created: boolean; readonly file: string; readonly cad: DemoIntegration }> {
  const file = join(dataDir, DEMO_INTEGRATIONS_FILE);
  const held = (await readDemoIntegrations(dataDir)) ?? {};
  if (held.cad && (await usable(ctx, held.cad))) return { created: false, file, cad: held.cad };
  const made = await createIntegration(
    ctx,
    { name: await freeName(ctx), scope: 'cad' },
    SYSTEM_ACTOR,
  );
  const cad = { key: made.key, name: made.name };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...held, cad }, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { created: true, file, cad };
}
