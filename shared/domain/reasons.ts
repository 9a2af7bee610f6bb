import { z } from 'zod';

/**
 * Why someone looks at video or at a registry owner's contact. A fixed list, because free text
 * ("investigation") is what makes other systems' audit trails useless.
 */
export const VIEW_REASONS = [
  'active_incident',
  'sensor_alert',
  'camera_pull',
  'investigation_follow_up',
  'event_situational_awareness',
] as const;
export const ViewReasonCodeSchema = z.enum(VIEW_REASONS);
export type ViewReasonCode = z.infer<typeof ViewReasonCodeSchema>;

export const VIEW_REASON_LABELS: Readonly<Record<ViewReasonCode, string>> = {
  active_incident: 'Active incident',
  sensor_alert: 'Sensor alert (LPR, gunshot, sensor)',
  camera_pull: 'Camera pull',
  investigation_follow_up: 'Investigation follow-up',
  event_situational_awareness: 'Situational awareness for an event',
};

/** Reasons that stand on their own; every other reason needs a case or incident number. */
const REASONS_WITHOUT_REFERENCE: readonly ViewReasonCode[] = ['event_situational_awareness'];

export function reasonNeedsReference(code: ViewReasonCode): boolean {
  return !REASONS_WITHOUT_REFERENCE.includes(code);
}

/** Case and incident numbers: letters, digits and dashes, as agencies print them. */
export const CaseReferenceSchema = z
  .string()
  .trim()
  .min(3, 'a case or incident number has at least 3 characters')
  .max(40, 'a case or incident number has at most 40 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a case or incident number is letters, digits and dashes');

export const ViewReasonSchema = z
  .object({
    code: ViewReasonCodeSchema,
    reference: CaseReferenceSchema.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((r) => !reasonNeedsReference(r.code) || r.reference !== undefined, {
    message: 'this reason needs a case or incident number',
    path: ['reference'],
  });
export type ViewReason = z.infer<typeof ViewReasonSchema>;
