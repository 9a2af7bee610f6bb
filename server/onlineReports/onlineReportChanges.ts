import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import type { Queryable } from '../store/store';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { enqueueMail } from '../mail/outboxRepository';
import { PORTAL_ACTOR } from '../registrations/registrationChanges';
import { issueCaseNumber } from '../cases/caseNumbers';
import {
  analystsOf,
  assignableUsers,
  caseOf,
  findCaseForUpdate,
  insertCase,
  insertCaseNote,
  touchCase,
} from '../cases/caseRepository';
import { ASSIGNABLE_ROLES } from '../cases/caseChanges';
import type { CatalogEvent } from '../../shared/api/eventCatalog';
import type { OnlineReport } from '../../shared/api/onlineReports';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { CaseType } from '../../shared/domain/cases';
import type { OnlineReportInput, ReportFileType } from '../../shared/domain/onlineReports';
import {
  findReport,
  hashToken,
  insertAddition,
  insertFile,
  insertReport,
  insertStatusLink,
  newStatusToken,
  newTempNumber,
  reportIdByFormToken,
  reportIdByLink,
  setReportState,
} from './onlineReportRepository';
import { approvedMail, infoRequestMail, receivedMail, rejectedMail } from './onlineReportMail';
import type { ReportLocation } from './reportLocation';

/** How long a reporter's link to their report works. */
export const STATUS_LINK_DAYS = 180;
const DAY_MS = 86_400_000;

export const REPORT_LINK_GONE = 'This link has expired or does not open a report.';

export const statusUrl = (ctx: ServerContext, token: string) =>
  `${ctx.config.publicUrl}/portal/reports/status?token=${token}`;

export const categoryLabelOf = (agency: AgencyConfig) => (key: string) =>
  agency.onlineReports.categories.find((c) => c.key === key)?.label ?? key;

/** A new link for an email: each message carries its own, and every one opens the report. */
async function statusLink(ctx: ServerContext, tx: Queryable, at: Date, id: string) {
  const link = newStatusToken();
  await insertStatusLink(tx, at, id, link.hash, new Date(at.getTime() + STATUS_LINK_DAYS * DAY_MS));
  return statusUrl(ctx, link.token);
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly contentType: ReportFileType;
  readonly fileName: string;
}

/**
 * Keeps a report from the portal with its files (already in the media store) and where it
 * happened, as placed and checked by `locateReport`, and queues the reporter's copy, in one
 * transaction. The form's token makes it idempotent: a second post of the same form answers the
 * report the first made, and nothing more is stored or sent.
 */
export async function submitReport(
  ctx: ServerContext,
  input: OnlineReportInput,
  location: ReportLocation,
  files: readonly StoredFile[],
  formToken: string,
): Promise<{ report: OnlineReport; created: boolean }> {
  const formTokenHash = hashToken(formToken);
  const existing = await reportIdByFormToken(ctx.store, formTokenHash);
  if (existing) return { report: await requireReport(ctx.store, existing), created: false };
  const id = randomUUID();
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      const made = await insertReport(tx, at, {
        id,
        tempNumber: newTempNumber(at),
        formTokenHash,
        category: input.category,
        dueAt: new Date(at.getTime() + agency.onlineReports.reviewHours * 3_600_000),
        reporterName: input.reporter.name,
        reporterEmail: input.reporter.email,
        occurredAt: input.occurredAt,
        lat: location.lat,
        lng: location.lng,
        address: input.address || null,
        locationCheck: location.check,
        details: {
          occurredUntil: input.occurredUntil ?? null,
          narrative: input.narrative,
          suspect: input.suspect || null,
          property: input.property || null,
          vehicle: input.vehicle || null,
          supplementsCase: input.caseNumber || null,
          reporterPhone: input.reporter.phone || null,
          reporterAddress: input.reporter.address || null,
          dateOfBirth: input.reporter.dateOfBirth,
        },
      });
      // Two posts of one form at the same moment: the second finds the first once it commits.
      if (!made) return { report: null };
      for (const [i, f] of files.entries()) await insertFile(tx, id, { n: i + 1, ...f });
      const report = (await findReport(tx, id, categoryLabelOf(agency)))!;
      const url = await statusLink(ctx, tx, at, id);
      await enqueueMail(tx, at, 'onlineReport.received', receivedMail(agency, report, url));
      return { report };
    },
    audit: (v) =>
      auditBy(PORTAL_ACTOR, {
        action: 'onlineReport.submit',
        targetType: 'online_report',
        targetId: id,
        outcome: v.report ? 'success' : 'failure',
        details: v.report
          ? {
              tempNumber: v.report.tempNumber,
              category: input.category,
              files: files.length,
              locationCheck: location.check,
            }
          : { duplicateForm: true },
      }),
    event: (v) =>
      v.report ? { type: 'onlineReport.submitted', payload: { report: v.report } } : null,
  });
  if (value.report) return { report: value.report, created: true };
  const first = await reportIdByFormToken(ctx.store, formTokenHash);
  return { report: await requireReport(ctx.store, first!), created: false };
}

async function requireReport(db: Queryable, id: string): Promise<OnlineReport> {
  const agency = await getAgency(db);
  const r = await findReport(db, id, categoryLabelOf(agency));
  if (!r) throw new HttpError(404, 'There is no online report with this id.');
  return r;
}

/** The report a reporter's link opens, or null. */
export async function reportForReporter(
  ctx: ServerContext,
  token: string,
): Promise<OnlineReport | null> {
  const id = await reportIdByLink(ctx.store, token, new Date(ctx.clock.now()));
  return id ? requireReport(ctx.store, id) : null;
}

type Decision = 'approve' | 'requestInfo' | 'forward' | 'reject';

/** Which states each decision may be taken from (a decided report is decided for good). */
const FROM: Readonly<Record<Decision, readonly OnlineReport['state'][]>> = {
  approve: ['submitted', 'forwarded', 'needs_info'],
  requestInfo: ['submitted', 'forwarded'],
  forward: ['submitted', 'forwarded', 'needs_info'],
  reject: ['submitted', 'forwarded', 'needs_info'],
};

const STATE_WORDS: Readonly<Record<OnlineReport['state'], string>> = {
  submitted: 'waiting for review',
  needs_info: 'waiting on its reporter',
  forwarded: 'with an investigator',
  approved: 'already approved',
  rejected: 'already rejected',
};

/**
 * One reviewer's decision, in one transaction with its audit entry, its email and its event:
 * the report is read locked, so two reviewers deciding at once are taken one after the other and
 * the second is told what the first did.
 */
async function decide(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  decision: Decision,
  apply: (
    tx: Queryable,
    at: Date,
    r: OnlineReport,
    agency: AgencyConfig,
  ) => Promise<{ details: Record<string, unknown>; events?: CatalogEvent[] }>,
): Promise<OnlineReport> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const agency = await getAgency(tx);
      const before = await findReport(tx, id, categoryLabelOf(agency), true);
      if (!before) throw new HttpError(404, 'There is no online report with this id.');
      if (!FROM[decision].includes(before.state)) {
        throw new HttpError(409, `This report is ${STATE_WORDS[before.state]}.`);
      }
      const done = await apply(tx, at, before, agency);
      const report = (await findReport(tx, id, categoryLabelOf(agency)))!;
      return { report, before: before.state, ...done };
    },
    audit: (v) =>
      auditBy(actor, {
        action: `onlineReport.${decision}`,
        targetType: 'online_report',
        targetId: id,
        outcome: 'success',
        details: {
          tempNumber: v.report.tempNumber,
          before: v.before,
          after: v.report.state,
          ...v.details,
        },
      }),
    event: (v) => [
      ...(v.events ?? []),
      { type: 'onlineReport.updated', payload: { report: v.report } },
    ],
  });
  return value.report;
}

/** The case type an approved report opens, from its category. */
function caseTypeOf(category: string): CaseType {
  if (category === 'fraud' || category === 'identity_theft') return 'fraud';
  if (category === 'vandalism') return 'vandalism';
  if (category === 'traffic_complaint') return 'traffic';
  if (/theft|shoplifting|lost_property/.test(category)) return 'theft';
  return 'other';
}

/**
 * Approves a report: it gets a permanent number, either a new case's (issued by the cases
 * module in the agency's format) or that of the existing case it joins, with a note on the
 * case either way; the reporter is emailed the number.
 */
export function approveReport(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  join: { caseNumber?: string | undefined },
): Promise<OnlineReport> {
  return decide(ctx, actor, id, 'approve', async (tx, at, r, agency) => {
    let record;
    let opened = false;
    if (join.caseNumber) {
      const found = await findCaseForUpdate(tx, join.caseNumber);
      if (!found) {
        const message = 'there is no case with this number';
        throw new HttpError(400, `Invalid body: caseNumber: ${message}`, [
          { path: 'body.caseNumber', message },
        ]);
      }
      record = await touchCase(tx, found.id, at);
    } else {
      const { number } = await issueCaseNumber(tx, at);
      record = await insertCase(tx, {
        id: randomUUID(),
        number,
        at,
        openedBy: actor.name,
        title: `Online report ${r.tempNumber}: ${r.categoryLabel}`.slice(0, 200),
        type: caseTypeOf(r.category),
        status: 'open',
        priority: 'low',
        leadInvestigator: r.assignedTo?.name ?? null,
        dueDate: null,
        closedAt: null,
      });
      opened = true;
    }
    await insertCaseNote(tx, {
      id: randomUUID(),
      caseId: record.id,
      at,
      authorId: actor.id,
      authorName: actor.name,
      text: `Online report ${r.tempNumber} (${r.categoryLabel}) approved under this case.\n\n${r.narrative}`.slice(
        0,
        8000,
      ),
    });
    await setReportState(tx, id, at, {
      state: 'approved',
      outcome: 'approved',
      decidedBy: actor.name,
      caseNumber: record.number,
      infoRequest: null,
    });
    const approved = (await findReport(tx, id, categoryLabelOf(agency)))!;
    const url = await statusLink(ctx, tx, at, id);
    await enqueueMail(tx, at, 'onlineReport.approved', approvedMail(agency, approved, url));
    const c = caseOf(record, (await analystsOf(tx, [record.id])).get(record.id) ?? []);
    return {
      details: { caseNumber: record.number, caseOpened: opened },
      events: [
        opened
          ? { type: 'case.opened', payload: { case: c } }
          : { type: 'case.updated', payload: { case: c, changed: ['notes'] } },
      ],
    };
  });
}

/** Asks the reporter for more: the email's link opens a form to add it; the clock shows it waits. */
export function requestInfo(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  message: string,
): Promise<OnlineReport> {
  return decide(ctx, actor, id, 'requestInfo', async (tx, at, r, agency) => {
    await setReportState(tx, id, at, { state: 'needs_info', infoRequest: message });
    const url = await statusLink(ctx, tx, at, id);
    await enqueueMail(tx, at, 'onlineReport.infoRequest', infoRequestMail(agency, r, message, url));
    return { details: { message } };
  });
}

/** Forwards the report to an investigator (an analyst or lieutenant) before approval. */
export function forwardReport(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  userId: string,
): Promise<OnlineReport> {
  return decide(ctx, actor, id, 'forward', async (tx, at) => {
    const [user] = await assignableUsers(tx, ASSIGNABLE_ROLES, [userId]);
    if (!user) {
      const message = 'not an active analyst or lieutenant';
      throw new HttpError(400, `Invalid body: userId: ${message}`, [
        { path: 'body.userId', message },
      ]);
    }
    await setReportState(tx, id, at, {
      state: 'forwarded',
      assignedTo: user.id,
      infoRequest: null,
    });
    return { details: { assignedTo: user.id } };
  });
}

/** Rejects the report as ineligible; the reporter is told to contact the department. */
export function rejectReport(
  ctx: ServerContext,
  actor: Actor,
  id: string,
  reason: string,
): Promise<OnlineReport> {
  return decide(ctx, actor, id, 'reject', async (tx, at, _r, agency) => {
    await setReportState(tx, id, at, {
      state: 'rejected',
      outcome: 'rejected',
      decidedBy: actor.name,
      rejectionReason: reason,
      infoRequest: null,
    });
    const rejected = (await findReport(tx, id, categoryLabelOf(agency)))!;
    const url = await statusLink(ctx, tx, at, id);
    await enqueueMail(tx, at, 'onlineReport.rejected', rejectedMail(agency, rejected, url));
    return { details: { reason } };
  });
}

/**
 * The reporter adds what was asked for through their link: the report goes back to the queue
 * (forwarded reports go back to their investigator's state). Refused unless it waits on them.
 */
export async function addInformation(
  ctx: ServerContext,
  token: string,
  text: string,
): Promise<OnlineReport> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const id = await reportIdByLink(tx, token, at, true);
      if (!id) throw new HttpError(404, REPORT_LINK_GONE);
      const agency = await getAgency(tx);
      const before = (await findReport(tx, id, categoryLabelOf(agency)))!;
      if (before.state !== 'needs_info') {
        throw new HttpError(409, 'This report is not waiting for more information.');
      }
      const n = await insertAddition(tx, id, at, text);
      await setReportState(tx, id, at, {
        state: before.assignedTo ? 'forwarded' : 'submitted',
        infoRequest: null,
      });
      return { report: (await findReport(tx, id, categoryLabelOf(agency)))!, n };
    },
    audit: (v) =>
      auditBy(PORTAL_ACTOR, {
        action: 'onlineReport.addInformation',
        targetType: 'online_report',
        targetId: v.report.id,
        outcome: 'success',
        details: { tempNumber: v.report.tempNumber, addition: v.n, characters: text.length },
      }),
    event: (v) => ({ type: 'onlineReport.submitted', payload: { report: v.report } }),
  });
  return value.report;
}

/** How long an opening of a report's files lets its reviewer fetch them. */
export const FILES_GRANT_MS = 15 * 60_000;

/**
 * Opens a report's files for the reviewer, as an alert's evidence and a tip's media are opened:
 * the audit row is the grant, and the file route serves them to that reviewer while the opening
 * is younger than FILES_GRANT_MS. No reason is asked: reviewing the queue is the reason, and the
 * row names the report.
 */
export async function openReportFiles(
  ctx: ServerContext,
  actor: Actor,
  id: string,
): Promise<{ reportId: string; expiresAt: string }> {
  const report = await requireReport(ctx.store, id);
  const { value } = await ctx.record({
    apply: async ({ at }) => new Date(at.getTime() + FILES_GRANT_MS),
    audit: auditBy(actor, {
      action: 'onlineReport.files.view',
      targetType: 'online_report',
      targetId: id,
      outcome: 'success',
      details: {
        tempNumber: report.tempNumber,
        state: report.state,
        files: report.files.map((f) => ({ n: f.n, contentType: f.contentType, size: f.size })),
      },
    }),
    event: null,
  });
  return { reportId: id, expiresAt: value.toISOString() };
}
