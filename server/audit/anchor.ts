import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A saved head of the audit trail: one row's id and hash, kept outside the database. A trail
 * that no longer holds that row with that hash lost its end (deleted rows, a truncated table)
 * or was rewritten.
 */
export interface AuditAnchor {
  readonly id: number;
  readonly hash: string;
  /** Where the anchor came from, for messages ("anchor file x.json", "this server's last checkpoint"). */
  readonly source: string;
}

export const ANCHOR_FORMAT = 'watchfloor.audit.anchor/1';

const AnchorFileSchema = z.object({
  format: z.literal(ANCHOR_FORMAT),
  id: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  savedAt: z.string(),
});

export function readAnchorFile(path: string): AuditAnchor {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read anchor ${path}: ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
  return parseAnchor(text, path);
}

/**
 * An anchor file's text, read where the command was typed and checked where the trail is (the
 * running server, for `wf audit verify` through its control channel). `path` names it in messages.
 */
export function parseAnchor(text: string, path: string): AuditAnchor {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`cannot read anchor ${path}: ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
  const parsed = AnchorFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${path} is not a Watchfloor audit anchor (${ANCHOR_FORMAT})`);
  }
  return { id: parsed.data.id, hash: parsed.data.hash, source: `anchor ${path}` };
}

/** Writes the anchor through a temporary file and a rename, so a crash never leaves half of one. */
export function writeAnchorFile(
  path: string,
  head: { readonly id: number; readonly hash: string; readonly at: string },
  savedAt: Date,
): void {
  const body = {
    format: ANCHOR_FORMAT,
    id: head.id,
    hash: head.hash,
    at: head.at,
    savedAt: savedAt.toISOString(),
  };
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}
