import type { ServerContext } from '../context';
import { loadTipKey, tipSecrets, type TipSecrets } from './tipSecrets';
import { TipMediaWorker } from './tipMediaWorker';
import { ReplySender } from './replySender';
import { deleteExpiredGrants } from './tipRepository';

/** The tip line's services: the anonymity keys, the media fetcher and the reply sender. */
export interface TipLine {
  /** Loaded on first use: a server that never files a tip writes no key file. */
  secrets(): TipSecrets;
  readonly media: TipMediaWorker;
  readonly replies: ReplySender;
}

/** The tip line of a server context, for tests that drive its background work. */
export const tipLineOf = new WeakMap<ServerContext, TipLine>();

/** How often attachments due for a (re)try are looked for; a new tip also wakes the worker. */
export const MEDIA_POLL_MS = 2_000;

export function openTipLine(ctx: ServerContext): TipLine {
  let loaded: TipSecrets | null = null;
  const secrets = () => {
    if (loaded === null) {
      const { key, created } = loadTipKey({ key: ctx.config.tipKey, file: ctx.config.tipKeyFile });
      if (created) ctx.log.info({ keyFile: ctx.config.tipKeyFile }, 'tip line key created');
      loaded = tipSecrets(key);
    }
    return loaded;
  };
  // A malformed WF_TIP_KEY stops the start rather than the first tip.
  if (ctx.config.tipKey !== undefined) secrets();
  const media = new TipMediaWorker(ctx);
  const replies = new ReplySender(ctx, secrets);
  const line: TipLine = { secrets, media, replies };
  tipLineOf.set(ctx, line);

  ctx.tasks.every('tips.media', MEDIA_POLL_MS, () => media.runDue());
  // Replies the server was sending when it stopped are marked, never sent twice.
  ctx.tasks.every('tips.replies.stale', 60_000, () => replies.settleStale());
  ctx.tasks.every('tips.mediaGrants.expire', 10 * 60_000, () =>
    deleteExpiredGrants(ctx.store, new Date(ctx.clock.now() - 3_600_000)),
  );
  return line;
}
