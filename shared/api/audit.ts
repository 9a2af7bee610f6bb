import { z } from 'zod';

export const AuditOutcomeSchema = z.enum(['success', 'denied', 'failure']);

export const AuditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: AuditOutcomeSchema,
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRowDto = z.infer<typeof AuditRowSchema>;

export const ChainReportSchema = z.object({
  ok: z.boolean(),
  rowsChecked: z.number().int(),
  lastId: z.number().int().nullable(),
  head: z.object({ id: z.number().int(), hash: z.string(), at: z.string() }).nullable(),
  checkpoints: z.object({
    count: z.number().int(),
    verified: z.boolean(),
    newest: z.object({ id: z.number().int(), at: z.string(), keyId: z.string() }).nullable(),
    rowsAfterNewest: z.number().int(),
  }),
  anchorsChecked: z.number().int(),
  firstBreak: z
    .object({
      kind: z.enum(['edited', 'deleted', 'checkpoint', 'anchor']),
      id: z.number().int().optional(),
      afterId: z.number().int().nullable().optional(),
      message: z.string(),
    })
    .nullable(),
});
