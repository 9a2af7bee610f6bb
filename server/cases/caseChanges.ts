import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { actorOfPrincipal, auditBy } from '../audit/actor';
import type { Principal } from '../auth/principal';
import { HttpError } from '../http/errorHandler';
import type { Queryable } from '../store/store';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { CasePatch } from '../../shared/api/cases';
import type {
  Case,
  CaseLink,
  CaseLinkKind,
  CaseNote,
  CasePriority,
  CaseStatus,
  CaseType,
} from '../../shared/domain/cases';
import { ROLES, roleHas, type Role } from '../../shared/domain/roles';
import { issueCaseNumber } from './caseNumbers';
import {
  analystsOf,
  assignableUsers,
  caseOf,
  findCaseForUpdate,
  insertCase,
  insertCaseLink,
  insertCaseNote,
  linkTargetExists,
  setAnalysts,
  touchCase,
  updateCase,
  type CaseFields,
  type CaseRecord,
} from './caseRepository';

/** Whoever may work cases (notes, links, status) may be assigned one. */
export const ASSIGNABLE_ROLES: readonly Role[] = ROLES.filter((r) => roleHas(r, 'cases.work'));

const mayAssign = (who: Principal) => roleHas(who.role, 'cases.assign');

async function existing(tx: Queryable, number: string): Promise<CaseRecord> {
  const found = await findCaseForUpdate(tx, number);
  if (!found) throw new HttpError(404, `There is no case ${number}.`);
  return found;
}

async function withAnalysts(tx: Queryable, r: CaseRecord): Promise<Case> {
  return caseOf(r, (await analystsOf(tx, [r.id])).get(r.id) ?? []);
}

/** The analysts assigned work the case; lieutenants work any. */
async function requireWorker(tx: Queryable, who: Principal, c: CaseRecord): Promise<void> {
  if (mayAssign(who)) return;
  const analysts = (await analystsOf(tx, [c.id])).get(c.id) ?? [];
  if (!analysts.some((a) => a.id === who.userId)) {
    throw new HttpError(
      403,
      `Case ${c.number} is not assigned to you: ask a lieutenant to assign it.`,
    );
  }
}

/** The ids as given, once each, all of people a case can be assigned to. */
async function checkedAnalysts(
  tx: Queryable,
  ids: readonly string[],
  field: string,
): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = new Set((await assignableUsers(tx, ASSIGNABLE_ROLES, unique)).map((u) => u.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const message = `not an analyst or lieutenant a case can be assigned to: ${missing.join(', ')}`;
    throw new HttpError(400, `Invalid body: ${field}: ${message}`, [
      { path: `body.${field}`, message },
    ]);
  }
  return unique;
}

function assignedEvent(c: Case, added: readonly string[], byName: string): CatalogEvent | null {
  return added.length === 0
    ? null
    : {
        type: 'case.assigned',
        payload: { number: c.number, title: c.title, userIds: [...added], byName },
      };
}

export interface NewCase {
  readonly title: string;
  readonly type: CaseType;
  readonly priority: CasePriority;
  readonly leadInvestigator: string | null;
  readonly analystIds: readonly string[];
  readonly dueDate: string | null;
}

/** Opens a case under the next number of the year and assigns its first analysts. */
export async function createCase(
  ctx: ServerContext,
  input: NewCase,
  who: Principal,
): Promise<Case> {
  const actor = actorOfPrincipal(who);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const analystIds = await checkedAnalysts(tx, input.analystIds, 'analystIds');
      const { number } = await issueCaseNumber(tx, at);
      const record = await insertCase(tx, {
        id: randomUUID(),
        number,
        at,
        openedBy: actor.name,
        title: input.title,
        type: input.type,
        status: 'open',
        priority: input.priority,
        leadInvestigator: input.leadInvestigator,
        dueDate: input.dueDate,
        closedAt: null,
      });
      await setAnalysts(tx, record.id, analystIds, at, actor.name);
      return withAnalysts(tx, record);
    },
    audit: (c) =>
      auditBy(actor, {
        action: 'case.create',
        targetType: 'case',
        targetId: c.number,
        outcome: 'success',
        details: {
          after: {
            title: c.title,
            type: c.type,
            status: c.status,
            priority: c.priority,
            leadInvestigator: c.leadInvestigator,
            dueDate: c.dueDate,
            analysts: c.analysts.map((a) => a.id),
          },
        },
      }),
    event: (c) => {
      const events: CatalogEvent[] = [{ type: 'case.opened', payload: { case: c } }];
      const assigned = assignedEvent(
        c,
        c.analysts.map((a) => a.id),
        actor.name,
      );
      if (assigned) events.push(assigned);
      return events;
    },
  });
  return value;
}

const FIELDS = ['title', 'type', 'status', 'priority', 'leadInvestigator', 'dueDate'] as const;
type Field = (typeof FIELDS)[number];

interface Updated {
  readonly c: Case;
  readonly before: Partial<Record<Field, unknown>>;
  readonly after: Partial<Record<Field, unknown>>;
}

/** The case's fields after a patch; closing stamps the time, reopening clears it. */
function patched(prev: CaseRecord, patch: CasePatch, at: Date): CaseFields {
  const status: CaseStatus = patch.status ?? prev.status;
  return {
    title: patch.title ?? prev.title,
    type: patch.type ?? prev.type,
    status,
    priority: patch.priority ?? prev.priority,
    leadInvestigator:
      patch.leadInvestigator !== undefined ? patch.leadInvestigator : prev.leadInvestigator,
    dueDate: patch.dueDate !== undefined ? patch.dueDate : prev.dueDate,
    closedAt:
      status !== 'closed' ? null : prev.status === 'closed' ? prev.closedAt : at.toISOString(),
  };
}

async function applyPatch(
  ctx: ServerContext,
  number: string,
  patch: CasePatch,
  who: Principal,
  check: (tx: Queryable, prev: CaseRecord) => Promise<void>,
): Promise<Case> {
  const actor = actorOfPrincipal(who);
  const { value } = await ctx.record<Updated>({
    apply: async ({ tx, at }) => {
      const prev = await existing(tx, number);
      await check(tx, prev);
      const next = patched(prev, patch, at);
      const changed = FIELDS.filter((f) => next[f] !== prev[f]);
      const record = changed.length > 0 ? await updateCase(tx, prev.id, next, at) : prev;
      return {
        c: await withAnalysts(tx, record),
        before: Object.fromEntries(changed.map((f) => [f, prev[f]])),
        after: Object.fromEntries(changed.map((f) => [f, next[f]])),
      };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'case.update',
        targetType: 'case',
        targetId: v.c.number,
        outcome: 'success',
        details: { before: v.before, after: v.after },
      }),
    event: (v) =>
      Object.keys(v.after).length === 0
        ? null
        : { type: 'case.updated', payload: { case: v.c, changed: Object.keys(v.after) } },
  });
  return value.c;
}

/** A lieutenant's change of a case's fields, its status included. */
export function updateCaseFields(
  ctx: ServerContext,
  number: string,
  patch: CasePatch,
  who: Principal,
): Promise<Case> {
  return applyPatch(ctx, number, patch, who, async () => undefined);
}

/**
 * The status, as the analysts assigned set it while they work. Closing a case, and opening a
 * closed one again, are a lieutenant's.
 */
export function setCaseStatus(
  ctx: ServerContext,
  number: string,
  status: CaseStatus,
  who: Principal,
): Promise<Case> {
  return applyPatch(ctx, number, { status }, who, async (tx, prev) => {
    await requireWorker(tx, who, prev);
    if ((status === 'closed' || prev.status === 'closed') && !mayAssign(who)) {
      throw new HttpError(
        403,
        status === 'closed'
          ? 'Only a lieutenant closes a case.'
          : 'Only a lieutenant opens a closed case again.',
      );
    }
  });
}

interface Assigned {
  readonly c: Case;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

async function applyAssignment(
  ctx: ServerContext,
  number: string,
  who: Principal,
  nextOf: (tx: Queryable, current: readonly string[]) => Promise<string[]>,
): Promise<Case> {
  const actor = actorOfPrincipal(who);
  const { value } = await ctx.record<Assigned>({
    apply: async ({ tx, at }) => {
      const prev = await existing(tx, number);
      const before = ((await analystsOf(tx, [prev.id])).get(prev.id) ?? []).map((a) => a.id);
      const after = await nextOf(tx, before);
      const same = before.length === after.length && before.every((id) => after.includes(id));
      if (same) return { c: await withAnalysts(tx, prev), before, after };
      await setAnalysts(tx, prev.id, after, at, actor.name);
      return { c: await withAnalysts(tx, await touchCase(tx, prev.id, at)), before, after };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'case.assign',
        targetType: 'case',
        targetId: v.c.number,
        outcome: 'success',
        details: {
          before: v.before,
          after: v.after,
          added: v.after.filter((id) => !v.before.includes(id)),
          removed: v.before.filter((id) => !v.after.includes(id)),
        },
      }),
    event: (v) => {
      const added = v.after.filter((id) => !v.before.includes(id));
      const removed = v.before.filter((id) => !v.after.includes(id));
      if (added.length === 0 && removed.length === 0) return null;
      const events: CatalogEvent[] = [
        { type: 'case.updated', payload: { case: v.c, changed: ['analysts'] } },
      ];
      const assigned = assignedEvent(v.c, added, actor.name);
      if (assigned) events.push(assigned);
      return events;
    },
  });
  return value.c;
}

/** Sets who is assigned to a case. */
export function assignCase(
  ctx: ServerContext,
  number: string,
  analystIds: readonly string[],
  who: Principal,
): Promise<Case> {
  return applyAssignment(ctx, number, who, (tx) => checkedAnalysts(tx, analystIds, 'analystIds'));
}

/** Moves a case from one analyst to another (the workload view's drag, or its keyboard move). */
export function reassignCase(
  ctx: ServerContext,
  number: string,
  move: { readonly from: string; readonly to: string },
  who: Principal,
): Promise<Case> {
  return applyAssignment(ctx, number, who, async (tx, current) => {
    if (!current.includes(move.from)) {
      throw new HttpError(409, `Case ${number} is not assigned to that analyst any more.`);
    }
    await checkedAnalysts(tx, [move.to], 'to');
    return [...new Set(current.map((id) => (id === move.from ? move.to : id)))];
  });
}

export async function addCaseNote(
  ctx: ServerContext,
  number: string,
  text: string,
  who: Principal,
): Promise<CaseNote> {
  const actor = actorOfPrincipal(who);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await existing(tx, number);
      await requireWorker(tx, who, found);
      const note = await insertCaseNote(tx, {
        id: randomUUID(),
        caseId: found.id,
        at,
        authorId: actor.id,
        authorName: actor.name,
        text,
      });
      return { note, c: await withAnalysts(tx, await touchCase(tx, found.id, at)) };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'case.note',
        targetType: 'case',
        targetId: v.c.number,
        outcome: 'success',
        details: { noteId: v.note.id },
      }),
    event: (v) => ({ type: 'case.updated', payload: { case: v.c, changed: ['notes'] } }),
  });
  return value.note;
}

const KIND_WORDS: Readonly<Record<CaseLinkKind, string>> = {
  incident: 'incident',
  tip: 'tip',
  alert: 'alert',
};

export async function linkCase(
  ctx: ServerContext,
  number: string,
  link: { readonly kind: CaseLinkKind; readonly ref: string },
  who: Principal,
): Promise<CaseLink> {
  const actor = actorOfPrincipal(who);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await existing(tx, number);
      await requireWorker(tx, who, found);
      if (!(await linkTargetExists(tx, link.kind, link.ref))) {
        const message = `there is no ${KIND_WORDS[link.kind]} with this id`;
        throw new HttpError(400, `Invalid body: ref: ${message}`, [{ path: 'body.ref', message }]);
      }
      const made = await insertCaseLink(tx, { caseId: found.id, ...link, at, by: actor.name });
      const record = made.created ? await touchCase(tx, found.id, at) : found;
      return { ...made, c: await withAnalysts(tx, record) };
    },
    audit: (v) =>
      auditBy(actor, {
        action: 'case.link',
        targetType: 'case',
        targetId: v.c.number,
        outcome: 'success',
        details: { kind: link.kind, ref: link.ref, created: v.created },
      }),
    event: (v) =>
      v.created ? { type: 'case.updated', payload: { case: v.c, changed: ['links'] } } : null,
  });
  return value.link;
}
