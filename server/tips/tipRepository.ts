import type { Queryable } from '../store/store';
import type {
  AttachmentState,
  SharedLocation,
  ThreadEntry,
  Tip,
  TipAttachment,
  TipReply,
  TipState,
  TipThread,
} from '../../shared/domain/tips';
import type { Keyword } from './inboundMessage';

/** The tip line's SQL (the changes are in tipChanges.ts). No query here returns a number. */

const iso = (v: Date | string | null): string | null =>
  v === null ? null : (v instanceof Date ? v : new Date(v)).toISOString();

// ----------------------------------------------------------------------------------------------
// Threads

export interface ThreadRow {
  id: string;
  alias: string;
  opted_out: boolean;
  first_at: Date | string;
  last_at: Date | string;
}

const THREAD_COLUMNS = 'id, alias, opted_out, first_at, last_at';

export function toThread(r: ThreadRow): TipThread {
  return {
    id: r.id,
    alias: r.alias,
    optedOut: r.opted_out,
    firstAt: iso(r.first_at)!,
    lastAt: iso(r.last_at)!,
  };
}

export async function findThread(db: Queryable, id: string): Promise<ThreadRow | null> {
  const res = await db.query<ThreadRow>(`select ${THREAD_COLUMNS} from tip_threads where id = $1`, [
    id,
  ]);
  return res.rows[0] ?? null;
}

/** Opens a thread under an alias, or answers null when another thread has that alias. */
export async function insertThread(
  db: Queryable,
  t: { id: string; alias: string; numberKey: string; sealed: string; at: Date },
): Promise<ThreadRow | null> {
  const res = await db.query<ThreadRow>(
    `insert into tip_threads (id, alias, number_key, number_sealed, first_at, last_at)
     select $1, $2, $3, $4, $5, $5
     where not exists (select 1 from tip_threads where alias = $2)
     returning ${THREAD_COLUMNS}`,
    [t.id, t.alias, t.numberKey, t.sealed, t.at.toISOString()],
  );
  return res.rows[0] ?? null;
}

export async function setOptedOut(db: Queryable, id: string, optedOut: boolean): Promise<boolean> {
  const res = await db.query(
    'update tip_threads set opted_out = $2 where id = $1 and opted_out <> $2',
    [id, optedOut],
  );
  return (res.rowCount ?? 0) > 0;
}

/** The sealed number of a thread: only the reply sender opens it. */
export async function sealedNumberOf(db: Queryable, threadId: string): Promise<string | null> {
  const res = await db.query<{ number_sealed: string }>(
    'select number_sealed from tip_threads where id = $1',
    [threadId],
  );
  return res.rows[0]?.number_sealed ?? null;
}

// ----------------------------------------------------------------------------------------------
// Tips

/**
 * What filing an inbound message needs, in one round trip (the writer holds the chain lock):
 * whether the message is already filed, its sender's thread (opened here under `open.alias` when
 * the number is new and the alias free), and the line's settings.
 */
export async function lookupInbound(
  db: Queryable,
  messageSid: string,
  numberKey: string,
  open: { id: string; alias: string; sealed: string; at: Date },
): Promise<{
  seen: { id: string; answer: string } | null;
  thread: ThreadRow | null;
  created: boolean;
  timeZone: string | null;
  tipLine: unknown;
}> {
  const threadJson = `json_build_object('id', id, 'alias', alias, 'opted_out', opted_out,
                                        'first_at', first_at, 'last_at', last_at)`;
  const res = await db.query<{
    seen: { id: string; answer: string } | string | null;
    found: ThreadRow | string | null;
    opened: ThreadRow | string | null;
    time_zone: string | null;
    tip_line: unknown;
  }>(
    `with seen as (select id, answer from tips where message_sid = $1),
     found as (select ${THREAD_COLUMNS} from tip_threads where number_key = $2),
     opened as (
       insert into tip_threads (id, alias, number_key, number_sealed, first_at, last_at)
       select $3, $4, $2, $5, $6, $6
       where not exists (select 1 from seen) and not exists (select 1 from found)
         and not exists (select 1 from tip_threads where alias = $4)
       returning ${THREAD_COLUMNS})
     select
       (select json_build_object('id', id, 'answer', answer) from seen) as seen,
       (select ${threadJson} from found) as found,
       (select ${threadJson} from opened) as opened,
       (select config->>'timeZone' from agency_config where id = 1) as time_zone,
       (select config->'tipLine' from agency_config where id = 1) as tip_line`,
    [messageSid, numberKey, open.id, open.alias, open.sealed, open.at.toISOString()],
  );
  const row = res.rows[0]!;
  const json = <T>(v: T | string | null): T | null =>
    v === null ? null : typeof v === 'string' ? (JSON.parse(v) as T) : v;
  const opened = json(row.opened);
  return {
    seen: json(row.seen),
    thread: json(row.found) ?? opened,
    created: opened !== null,
    timeZone: row.time_zone,
    tipLine: typeof row.tip_line === 'string' ? JSON.parse(row.tip_line) : row.tip_line,
  };
}

export interface NewTip {
  readonly id: string;
  readonly messageSid: string;
  readonly threadId: string;
  readonly at: Date;
  readonly body: string;
  readonly keyword: Keyword | null;
  readonly sharedLocation: SharedLocation | null;
  readonly outsideHours: boolean;
  readonly answer: string;
  readonly media: readonly { readonly url: string; readonly contentType: string }[];
  /** The thread's opt-out after this message. */
  readonly optedOut: boolean;
  /** The automatic answer, recorded in the thread as sent (the provider sends the TwiML). */
  readonly reply: { readonly id: string; readonly body: string } | null;
}

/**
 * Files a tip in one statement: the tip, its attachments (to be fetched), the thread's last
 * message time and opt-out, and the automatic answer.
 */
export async function fileTip(db: Queryable, t: NewTip): Promise<void> {
  await db.query(
    `with tip as (
       insert into tips (id, message_sid, thread_id, received_at, body, keyword, shared_location,
                         outside_hours, answer, state)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       returning id),
     thread as (
       update tip_threads set last_at = greatest(last_at, $4), opted_out = $11 where id = $3),
     reply as (
       insert into tip_replies (id, thread_id, tip_id, at, body, state)
       select $12, $3, tip.id, $4, $13, 'sent' from tip where $12::text is not null),
     media as (
       insert into tip_attachments (tip_id, n, source_url, content_type, next_attempt_at)
       select tip.id, m.n - 1, m.url, m.ct, $4
       from tip, unnest($14::text[], $15::text[]) with ordinality as m(url, ct, n))
     select 1`,
    [
      t.id,
      t.messageSid,
      t.threadId,
      t.at.toISOString(),
      t.body,
      t.keyword,
      t.sharedLocation === null ? null : JSON.stringify(t.sharedLocation),
      t.outsideHours,
      t.answer,
      // A carrier keyword is not a tip to triage: it is filed as no action from the start.
      t.keyword === null ? 'new' : 'no_action',
      t.optedOut,
      t.reply?.id ?? null,
      t.reply?.body ?? null,
      t.media.map((m) => m.url),
      t.media.map((m) => m.contentType),
    ],
  );
}

interface TipRow {
  id: string;
  thread_id: string;
  alias: string;
  received_at: Date | string;
  body: string;
  state: TipState;
  state_changed_by: string | null;
  state_changed_by_name: string | null;
  state_changed_at: Date | string | null;
  duplicate_of: string | null;
  assigned_to: string | null;
  assigned_to_name: string | null;
  incident_number: string | null;
  case_number: string | null;
  shared_location: SharedLocation | string | null;
  outside_hours: boolean;
}

interface AttachmentRow {
  tip_id: string;
  n: number;
  content_type: string;
  state: AttachmentState;
  failure: string | null;
  attempts: number;
  size: string | number | null;
  sha256: string | null;
  preview_sha256: string | null;
  playable_sha256: string | null;
}

const TIP_SELECT = `
  select t.id, t.thread_id, th.alias, t.received_at, t.body, t.state, t.state_changed_by,
         sb.display_name as state_changed_by_name, t.state_changed_at, t.duplicate_of,
         t.assigned_to, asg.display_name as assigned_to_name, t.incident_number, t.case_number,
         t.shared_location, t.outside_hours
  from tips t
  join tip_threads th on th.id = t.thread_id
  left join users sb on sb.id = t.state_changed_by
  left join users asg on asg.id = t.assigned_to`;

export const mediaKind = (contentType: string): TipAttachment['kind'] =>
  contentType.startsWith('image/') ? 'image' : contentType.startsWith('video/') ? 'video' : 'other';

function toAttachment(a: AttachmentRow): TipAttachment {
  return {
    n: a.n,
    contentType: a.content_type,
    kind: mediaKind(a.content_type),
    state: a.state,
    failure: a.failure,
    attempts: a.attempts,
    size: a.size === null ? null : Number(a.size),
    sha256: a.sha256,
    preview: a.preview_sha256 !== null,
    playable: a.playable_sha256 !== null,
  };
}

function toTip(r: TipRow, attachments: readonly AttachmentRow[]): Tip {
  const location =
    typeof r.shared_location === 'string' ? JSON.parse(r.shared_location) : r.shared_location;
  return {
    id: r.id,
    threadId: r.thread_id,
    alias: r.alias,
    receivedAt: iso(r.received_at)!,
    body: r.body,
    state: r.state,
    stateChangedBy:
      r.state_changed_by === null
        ? null
        : { id: r.state_changed_by, name: r.state_changed_by_name ?? 'unknown' },
    stateChangedAt: iso(r.state_changed_at),
    duplicateOf: r.duplicate_of,
    assignedTo:
      r.assigned_to === null ? null : { id: r.assigned_to, name: r.assigned_to_name ?? 'unknown' },
    incidentNumber: r.incident_number,
    caseNumber: r.case_number,
    sharedLocation: location,
    outsideHours: r.outside_hours,
    attachments: attachments.filter((a) => a.tip_id === r.id).map(toAttachment),
  };
}

async function withAttachments(db: Queryable, rows: readonly TipRow[]): Promise<Tip[]> {
  if (rows.length === 0) return [];
  const res = await db.query<AttachmentRow>(
    `select tip_id, n, content_type, state, failure, attempts, size, sha256, preview_sha256,
            playable_sha256
     from tip_attachments where tip_id = any($1::text[]) order by tip_id, n`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => toTip(r, res.rows));
}

export async function getTip(db: Queryable, id: string): Promise<Tip | null> {
  const res = await db.query<TipRow>(`${TIP_SELECT} where t.id = $1`, [id]);
  return (await withAttachments(db, res.rows))[0] ?? null;
}

export interface TipFilter {
  readonly state?: TipState | 'open';
  readonly since?: string;
  readonly until?: string;
  readonly hasMedia?: boolean;
  readonly assignedTo?: string;
  readonly q?: string;
  readonly before?: string;
  readonly limit: number;
}

/** Tips newest first (carrier keywords are left out), one page past `before`. */
export async function listTips(
  db: Queryable,
  f: TipFilter,
): Promise<{ tips: Tip[]; next: string | null }> {
  const where: string[] = ['t.keyword is null'];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.state === 'open') where.push(`t.state in ('new', 'reviewing')`);
  else if (f.state !== undefined) where.push(`t.state = ${p(f.state)}`);
  if (f.since !== undefined) where.push(`t.received_at >= ${p(f.since)}`);
  if (f.until !== undefined) where.push(`t.received_at < ${p(f.until)}`);
  if (f.hasMedia !== undefined) {
    where.push(
      `${f.hasMedia ? '' : 'not '}exists (select 1 from tip_attachments a where a.tip_id = t.id)`,
    );
  }
  if (f.assignedTo !== undefined) where.push(`t.assigned_to = ${p(f.assignedTo)}`);
  if (f.q !== undefined) where.push(`strpos(lower(t.body), lower(${p(f.q)})) > 0`);
  if (f.before !== undefined) {
    const ref = p(f.before);
    where.push(`(t.received_at, t.id) < (select received_at, id from tips where id = ${ref})`);
  }
  const res = await db.query<TipRow>(
    `${TIP_SELECT} where ${where.join(' and ')}
     order by t.received_at desc, t.id desc limit ${p(f.limit + 1)}`,
    params,
  );
  const page = res.rows.slice(0, f.limit);
  return {
    tips: await withAttachments(db, page),
    next: res.rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}

/** The conversation, oldest first: every tip (keywords too) and every message sent back. */
export async function threadEntries(db: Queryable, threadId: string): Promise<ThreadEntry[]> {
  const tips = await db.query<TipRow>(
    `${TIP_SELECT} where t.thread_id = $1 order by t.received_at, t.id`,
    [threadId],
  );
  const replies = await listReplies(db, threadId);
  const entries: { at: string; entry: ThreadEntry }[] = [
    ...(await withAttachments(db, tips.rows)).map((tip) => ({
      at: tip.receivedAt,
      entry: { kind: 'tip' as const, tip },
    })),
    ...replies.map((reply) => ({ at: reply.at, entry: { kind: 'reply' as const, reply } })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((e) => e.entry);
}

export async function setTipState(
  db: Queryable,
  id: string,
  s: { state: TipState; duplicateOf: string | null; by: string; at: Date },
): Promise<boolean> {
  const res = await db.query(
    `update tips set state = $2, duplicate_of = $3, state_changed_by = $4, state_changed_at = $5
     where id = $1 and keyword is null`,
    [id, s.state, s.duplicateOf, s.by, s.at.toISOString()],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function setAssignee(
  db: Queryable,
  id: string,
  userId: string | null,
): Promise<boolean> {
  const res = await db.query('update tips set assigned_to = $2 where id = $1 and keyword is null', [
    id,
    userId,
  ]);
  return (res.rowCount ?? 0) > 0;
}

export async function setLinks(
  db: Queryable,
  id: string,
  links: { incidentNumber?: string | null; caseNumber?: string | null },
): Promise<boolean> {
  const res = await db.query(
    `update tips set
       incident_number = case when $2 then $3 else incident_number end,
       case_number = case when $4 then $5 else case_number end
     where id = $1 and keyword is null`,
    [
      id,
      links.incidentNumber !== undefined,
      links.incidentNumber ?? null,
      links.caseNumber !== undefined,
      links.caseNumber ?? null,
    ],
  );
  return (res.rowCount ?? 0) > 0;
}

export async function setSharedLocation(
  db: Queryable,
  id: string,
  location: SharedLocation,
): Promise<void> {
  await db.query('update tips set shared_location = $2 where id = $1 and shared_location is null', [
    id,
    JSON.stringify(location),
  ]);
}

// ----------------------------------------------------------------------------------------------
// Replies

interface ReplyRow {
  id: string;
  thread_id: string;
  tip_id: string | null;
  at: Date | string;
  body: string;
  state: TipReply['state'];
  failure: string | null;
  sent_by: string | null;
  sent_by_name: string | null;
}

function toReply(r: ReplyRow): TipReply {
  return {
    id: r.id,
    threadId: r.thread_id,
    tipId: r.tip_id,
    at: iso(r.at)!,
    body: r.body,
    state: r.state,
    failure: r.failure,
    sentBy: r.sent_by === null ? null : { id: r.sent_by, name: r.sent_by_name ?? 'unknown' },
  };
}

const REPLY_SELECT = `
  select r.id, r.thread_id, r.tip_id, r.at, r.body, r.state, r.failure, r.sent_by,
         u.display_name as sent_by_name
  from tip_replies r left join users u on u.id = r.sent_by`;

export async function listReplies(db: Queryable, threadId: string): Promise<TipReply[]> {
  const res = await db.query<ReplyRow>(
    `${REPLY_SELECT} where r.thread_id = $1 order by r.at, r.id`,
    [threadId],
  );
  return res.rows.map(toReply);
}

export async function getReply(db: Queryable, id: string): Promise<TipReply | null> {
  const res = await db.query<ReplyRow>(`${REPLY_SELECT} where r.id = $1`, [id]);
  return res.rows[0] ? toReply(res.rows[0]) : null;
}

export async function insertReply(
  db: Queryable,
  r: {
    id: string;
    threadId: string;
    tipId: string | null;
    at: Date;
    body: string;
    state: TipReply['state'];
    sentBy: string | null;
  },
): Promise<void> {
  await db.query(
    `insert into tip_replies (id, thread_id, tip_id, at, body, state, sent_by)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [r.id, r.threadId, r.tipId, r.at.toISOString(), r.body, r.state, r.sentBy],
  );
}

export async function settleReply(
  db: Queryable,
  id: string,
  outcome: { state: 'sent' | 'failed'; failure: string | null; providerSid: string | null },
): Promise<boolean> {
  const res = await db.query(
    `update tip_replies set state = $2, failure = $3, provider_sid = $4
     where id = $1 and state = 'queued'`,
    [id, outcome.state, outcome.failure, outcome.providerSid],
  );
  return (res.rowCount ?? 0) > 0;
}

/** Replies still queued from before `olderThan` (the server stopped before the provider answered). */
export async function staleQueuedReplies(
  db: Queryable,
  olderThan: Date,
): Promise<{ id: string; thread_id: string; tip_id: string | null }[]> {
  const res = await db.query<{ id: string; thread_id: string; tip_id: string | null }>(
    `select id, thread_id, tip_id from tip_replies where state = 'queued' and at < $1`,
    [olderThan.toISOString()],
  );
  return res.rows;
}

// ----------------------------------------------------------------------------------------------
// Attachments

export interface DueAttachment {
  readonly tipId: string;
  readonly n: number;
  readonly url: string;
  readonly contentType: string;
  readonly attempts: number;
}

/**
 * Takes up to `limit` attachments whose fetch is due, leasing them until `leaseUntil` so that
 * another server (or a run that dies mid-fetch) leaves them to be tried again later.
 */
export async function claimDueAttachments(
  db: Queryable,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<DueAttachment[]> {
  const res = await db.query<{
    tip_id: string;
    n: number;
    source_url: string;
    content_type: string;
    attempts: number;
  }>(
    `update tip_attachments a set next_attempt_at = $2, attempts = a.attempts + 1
     from (select tip_id, n from tip_attachments
           where state = 'pending' and next_attempt_at <= $1
           order by next_attempt_at limit $3 for update skip locked) due
     where a.tip_id = due.tip_id and a.n = due.n
     returning a.tip_id, a.n, a.source_url, a.content_type, a.attempts`,
    [now.toISOString(), leaseUntil.toISOString(), limit],
  );
  return res.rows.map((r) => ({
    tipId: r.tip_id,
    n: r.n,
    url: r.source_url,
    contentType: r.content_type,
    attempts: r.attempts,
  }));
}

export async function nextDueAt(db: Queryable): Promise<Date | null> {
  const res = await db.query<{ at: Date | string | null }>(
    `select min(next_attempt_at) as at from tip_attachments where state = 'pending'`,
  );
  const at = res.rows[0]?.at ?? null;
  return at === null ? null : new Date(at);
}

export async function attachmentStored(
  db: Queryable,
  tipId: string,
  n: number,
  f: {
    sha256: string;
    size: number;
    previewSha256: string | null;
    playableSha256: string | null;
    note: string | null;
  },
): Promise<void> {
  await db.query(
    `update tip_attachments set state = 'stored', sha256 = $3, size = $4, preview_sha256 = $5,
       playable_sha256 = $6, failure = $7
     where tip_id = $1 and n = $2`,
    [tipId, n, f.sha256, f.size, f.previewSha256, f.playableSha256, f.note],
  );
}

export async function attachmentFailed(
  db: Queryable,
  tipId: string,
  n: number,
  failure: string,
  retryAt: Date | null,
): Promise<void> {
  await db.query(
    `update tip_attachments set state = $3, failure = $4, next_attempt_at = coalesce($5, next_attempt_at)
     where tip_id = $1 and n = $2`,
    [tipId, n, retryAt === null ? 'failed' : 'pending', failure, retryAt?.toISOString() ?? null],
  );
}

export interface AttachmentFiles {
  readonly contentType: string;
  readonly state: AttachmentState;
  readonly sha256: string | null;
  readonly previewSha256: string | null;
  readonly playableSha256: string | null;
}

export async function attachmentFiles(
  db: Queryable,
  tipId: string,
  n: number,
): Promise<AttachmentFiles | null> {
  const res = await db.query<AttachmentRow>(
    `select tip_id, n, content_type, state, failure, attempts, size, sha256, preview_sha256,
            playable_sha256
     from tip_attachments where tip_id = $1 and n = $2`,
    [tipId, n],
  );
  const a = res.rows[0];
  return a
    ? {
        contentType: a.content_type,
        state: a.state,
        sha256: a.sha256,
        previewSha256: a.preview_sha256,
        playableSha256: a.playable_sha256,
      }
    : null;
}

// ----------------------------------------------------------------------------------------------
// Media grants

export async function insertMediaGrant(
  db: Queryable,
  g: { tokenHash: string; tipId: string; userId: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'insert into tip_media_grants (token_hash, tip_id, user_id, expires_at) values ($1, $2, $3, $4)',
    [g.tokenHash, g.tipId, g.userId, g.expiresAt.toISOString()],
  );
}

export async function findMediaGrant(
  db: Queryable,
  tokenHash: string,
): Promise<{ tipId: string; userId: string; expiresAt: Date } | null> {
  const res = await db.query<{ tip_id: string; user_id: string; expires_at: Date | string }>(
    'select tip_id, user_id, expires_at from tip_media_grants where token_hash = $1',
    [tokenHash],
  );
  const g = res.rows[0];
  return g ? { tipId: g.tip_id, userId: g.user_id, expiresAt: new Date(g.expires_at) } : null;
}

export async function deleteExpiredGrants(db: Queryable, now: Date): Promise<void> {
  await db.query('delete from tip_media_grants where expires_at < $1', [now.toISOString()]);
}
