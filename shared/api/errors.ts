import { z } from 'zod';

/** Every error reply of the HTTP API has this shape; `message` is written for a person. */
export const ApiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  /** A stable machine-readable reason where a client must act on it (e.g. totp_required). */
  code: z.string().optional(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe('For validation errors: what is wrong and where'),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
