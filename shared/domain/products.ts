import { z } from 'zod';
import { CaseReferenceSchema } from './reasons';
import { IncidentNumberSchema } from './incidents';

/**
 * The center's standard products (docs/products.md): an assist report (what the center did for
 * an incident) and a bulletin (e.g. attempt to identify), made from a case or an incident, with
 * stills, approved by a lieutenant, printed in the shared layout and kept with the case.
 */

export const PRODUCT_KINDS = ['assist_report', 'bulletin'] as const;
export const ProductKindSchema = z.enum(PRODUCT_KINDS);
export type ProductKind = z.infer<typeof ProductKindSchema>;

export const PRODUCT_KIND_LABELS: Readonly<Record<ProductKind, string>> = {
  assist_report: 'Assist report',
  bulletin: 'Bulletin',
};

/** A still as the console sends it: a PNG or JPEG data URL of at most about 1.5 MB. */
export const StillDataUrlSchema = z
  .string()
  .max(2_000_000, 'a still is at most about 1.5 MB')
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/, 'a still is a PNG or JPEG data URL');

const StillCaptionSchema = z.string().trim().max(300).default('');

/**
 * A still as the console sends it: an image (a frame from a live tile or a replay, or a file),
 * or a still already kept with the case's evidence (taken from exported footage), by its id.
 */
export const NewStillSchema = z.union([
  z.strictObject({ dataUrl: StillDataUrlSchema, caption: StillCaptionSchema }),
  z.strictObject({ evidenceFileId: z.uuid('an evidence file id'), caption: StillCaptionSchema }),
]);
export type NewStill = z.infer<typeof NewStillSchema>;

export const ProductStillSchema = z.object({
  id: z.string(),
  caption: z.string(),
  contentType: z.enum(['image/png', 'image/jpeg']),
  bytes: z.number().int(),
});

export const ProductSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: ProductKindSchema,
  title: z.string(),
  caseNumber: z.string().nullable(),
  incidentNumber: z.string().nullable(),
  status: z.enum(['draft', 'approved']),
  authorName: z.string(),
  createdAt: z.string(),
  approvedAt: z.string().nullable(),
  approvedByName: z.string().nullable(),
});
export type ProductSummary = z.infer<typeof ProductSummarySchema>;

export const ProductSchema = ProductSummarySchema.extend({
  /** The analyst's text: what the center did (assist report) or the subject (bulletin). */
  text: z.string(),
  stills: z.array(ProductStillSchema),
});
export type Product = z.infer<typeof ProductSchema>;

export const NewProductSchema = z
  .object({
    kind: ProductKindSchema,
    title: z.string().trim().min(1).max(200),
    caseNumber: CaseReferenceSchema.optional(),
    incidentNumber: IncidentNumberSchema.optional(),
    text: z.string().trim().max(8000).default(''),
    stills: z.array(NewStillSchema).max(6, 'at most 6 stills').default([]),
  })
  .refine((p) => p.caseNumber !== undefined || p.incidentNumber !== undefined, {
    message: 'a product is made from a case number, an incident number or both',
    path: ['caseNumber'],
  });
export type NewProduct = z.infer<typeof NewProductSchema>;

/** AR-2026-0007: the kind's prefix, the year (agency's zone) and a counter that restarts yearly. */
export function productNumber(kind: ProductKind, year: number, seq: number): string {
  return `${kind === 'assist_report' ? 'AR' : 'BL'}-${year}-${String(seq).padStart(4, '0')}`;
}
