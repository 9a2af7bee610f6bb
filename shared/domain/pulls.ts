import { z } from 'zod';
import { CameraKindSchema, LatitudeSchema, LongitudeSchema } from './cameras';

/**
 * Camera pulls (docs/pulls.md): an officer asks the center by radio for footage of a place and a
 * time; an analyst logs the request, and Watchfloor lists the cameras around it and tracks what
 * came of each.
 */

export const PULL_STATUSES = ['open', 'in_progress', 'fulfilled', 'closed_unfulfilled'] as const;
export const PullStatusSchema = z.enum(PULL_STATUSES);
export type PullStatus = z.infer<typeof PullStatusSchema>;

/** Statuses a pull is still being worked in. */
export const OPEN_PULL_STATUSES: readonly PullStatus[] = ['open', 'in_progress'];

export const PULL_URGENCIES = ['routine', 'priority', 'urgent'] as const;
export const PullUrgencySchema = z.enum(PULL_URGENCIES);
export type PullUrgency = z.infer<typeof PullUrgencySchema>;

export const CANDIDATE_OUTCOMES = [
  'not_contacted',
  'contacted',
  'footage_obtained',
  'no_footage',
  'declined',
  'not_relevant',
] as const;
export const CandidateOutcomeSchema = z.enum(CANDIDATE_OUTCOMES);
export type CandidateOutcome = z.infer<typeof CandidateOutcomeSchema>;

/**
 * What the center can do about a candidate now: fetch the footage itself (an integrated camera
 * whose owner shares recordings for the window), ask the agency's own system (agency cameras),
 * or contact the owner (registered cameras, and integrated ones whose recordings for the window
 * are not shared).
 */
export const CANDIDATE_ACTIONS = ['fetch_now', 'agency', 'contact_owner'] as const;
export const CandidateActionSchema = z.enum(CANDIDATE_ACTIONS);
export type CandidateAction = z.infer<typeof CandidateActionSchema>;

/** The radius a pull looks around its location, in metres. */
export const DEFAULT_PULL_RADIUS_M = 300;
export const MAX_PULL_RADIUS_M = 2000;
export const MIN_PULL_RADIUS_M = 25;
/** The longest time window one pull may ask for. */
export const MAX_PULL_WINDOW_MS = 24 * 3_600_000;

export const PullPositionSchema = z.object({ lat: LatitudeSchema, lon: LongitudeSchema });
export type PullPosition = z.infer<typeof PullPositionSchema>;

/** Who asked, as the analyst heard it on the radio; `userId` when the officer has an account. */
export const PullRequesterSchema = z.object({
  name: z.string().nullable(),
  badge: z.string().nullable(),
  unit: z.string().nullable(),
  userId: z.string().nullable(),
  /** The account's display name, when `userId` is set. */
  userName: z.string().nullable(),
});
export type PullRequester = z.infer<typeof PullRequesterSchema>;

export const PullPersonSchema = z.object({ id: z.string(), name: z.string() });

export const CandidateCountsSchema = z.object({
  total: z.number().int(),
  fetchNow: z.number().int(),
  agency: z.number().int(),
  contactOwner: z.number().int(),
  /** Candidates whose outcome is still "not yet contacted". */
  untouched: z.number().int(),
  footageObtained: z.number().int(),
});
export type CandidateCounts = z.infer<typeof CandidateCountsSchema>;

/** A pull as lists, events and the map show it. */
export const PullSchema = z.object({
  id: z.string(),
  /** The center's number for it, e.g. PULL-000042: the reference an owner-contact reveal names. */
  number: z.string(),
  requester: PullRequesterSchema,
  caseNumber: z.string().nullable(),
  incidentId: z.string().nullable(),
  /** The incident's CAD number, when linked. */
  incidentNumber: z.string().nullable(),
  position: PullPositionSchema,
  address: z.string().nullable(),
  radiusM: z.number(),
  windowStart: z.string(),
  windowEnd: z.string(),
  lookFor: z.string(),
  urgency: PullUrgencySchema,
  status: PullStatusSchema,
  assignedTo: PullPersonSchema,
  loggedBy: PullPersonSchema,
  /** When the officer asked (the radio call), at or before when it was logged. */
  requestedAt: z.string(),
  loggedAt: z.string(),
  updatedAt: z.string(),
  /** When it was fulfilled or closed unfulfilled. */
  closedAt: z.string().nullable(),
  closingNote: z.string().nullable(),
  counts: CandidateCountsSchema,
});
export type Pull = z.infer<typeof PullSchema>;

export const OutcomeChangeSchema = z.object({
  outcome: CandidateOutcomeSchema,
  at: z.string(),
  byId: z.string().nullable(),
  byName: z.string(),
  note: z.string().nullable(),
});
export type OutcomeChange = z.infer<typeof OutcomeChangeSchema>;

/**
 * One camera near the pull, as it was when it was selected: kept with the pull so that its
 * outcome stays on record if the registry later changes.
 */
export const PullCandidateSchema = z.object({
  cameraId: z.string(),
  name: z.string(),
  kind: CameraKindSchema,
  lat: z.number(),
  lng: z.number(),
  address: z.string().nullable(),
  distanceM: z.number(),
  action: CandidateActionSchema,
  /** Why the action is what it is (the owner's policy sentence, retention), or null. */
  actionNote: z.string().nullable(),
  hasOwnerContact: z.boolean(),
  /** 1 is the first to work: by kind of action, then distance. */
  rank: z.number().int(),
  /** False once the pull's location or radius moved and left the camera outside. */
  inRadius: z.boolean(),
  outcome: CandidateOutcomeSchema,
  outcomeAt: z.string().nullable(),
  outcomeBy: z.string().nullable(),
  /** Every outcome it had, oldest first. */
  history: z.array(OutcomeChangeSchema),
});
export type PullCandidate = z.infer<typeof PullCandidateSchema>;

export const PullDetailSchema = z.object({
  pull: PullSchema,
  candidates: z.array(PullCandidateSchema),
});
export type PullDetail = z.infer<typeof PullDetailSchema>;

/** The lieutenants' workload view: open pulls per assigned analyst. */
export const AnalystPullLoadSchema = z.object({
  userId: z.string(),
  name: z.string(),
  open: z.number().int(),
  inProgress: z.number().int(),
  urgent: z.number().int(),
  /** The oldest open pull's request time. */
  oldestRequestedAt: z.string(),
});
export type AnalystPullLoad = z.infer<typeof AnalystPullLoadSchema>;

export const PULL_STATUS_LABELS: Readonly<Record<PullStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  fulfilled: 'Fulfilled',
  closed_unfulfilled: 'Closed unfulfilled',
};

export const CANDIDATE_OUTCOME_LABELS: Readonly<Record<CandidateOutcome, string>> = {
  not_contacted: 'Not yet contacted',
  contacted: 'Contacted',
  footage_obtained: 'Footage obtained',
  no_footage: 'No footage',
  declined: 'Declined',
  not_relevant: 'Not relevant',
};

export const CANDIDATE_ACTION_LABELS: Readonly<Record<CandidateAction, string>> = {
  fetch_now: 'Footage can be fetched now',
  agency: 'Agency camera',
  contact_owner: 'Owner must be contacted',
};
