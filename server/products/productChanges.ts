import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../context';
import { auditBy, type Actor } from '../audit/actor';
import { HttpError } from '../http/errorHandler';
import { getAgency } from '../agency/agencyRepository';
import { findIncidentByNumberForUpdate } from '../incidents/incidentRepository';
import { productNumber, type NewProduct, type Product } from '../../shared/domain/products';
import { findEvidenceFile } from '../evidence/evidenceRepository';
import type { MediaStore } from '../media/mediaStore';
import { zonedDateTime } from '../../shared/time/zonedTime';
import {
  findProduct,
  insertProduct,
  insertStill,
  markApproved,
  nextProductSeq,
  type ProductRecord,
} from './productRepository';

/** A still's bytes, checked to be the image its data URL says it is. */
function stillBytes(
  dataUrl: string,
  index: number,
): { type: 'image/png' | 'image/jpeg'; data: Buffer } {
  const m = /^data:(image\/(?:png|jpeg));base64,(.*)$/s.exec(dataUrl)!;
  const type = m[1] as 'image/png' | 'image/jpeg';
  const data = Buffer.from(m[2]!, 'base64');
  const png = data
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  if ((type === 'image/png' && !png) || (type === 'image/jpeg' && !jpeg)) {
    const field = `body.stills.${index}.dataUrl`;
    throw new HttpError(
      400,
      `Invalid body: ${field}: the data is not a ${type === 'image/png' ? 'PNG' : 'JPEG'} image.`,
      [{ path: field, message: `not a ${type} image` }],
    );
  }
  return { type, data };
}

/** Where a product's stills come from besides the request: the evidence media store. */
export interface StillSources {
  media(): Promise<MediaStore>;
}

type StillImage = { type: 'image/png' | 'image/jpeg'; data: Buffer; caption: string };

/**
 * A still kept with the case's evidence (taken from exported footage): it must be a still of the
 * product's own case, and its stored copy must still hash to what the chain of custody says.
 */
async function evidenceStill(
  ctx: ServerContext,
  sources: StillSources,
  body: NewProduct,
  fileId: string,
  index: number,
): Promise<Omit<StillImage, 'caption'>> {
  const file = await findEvidenceFile(ctx.store, fileId);
  if (!file) throw new HttpError(404, `There is no evidence file ${fileId}.`);
  if (file.contentType !== 'image/jpeg') {
    const field = `body.stills.${index}.evidenceFileId`;
    throw new HttpError(400, `Invalid body: ${field}: that evidence file is not a still.`, [
      { path: field, message: 'not a still' },
    ]);
  }
  if (file.caseNumber !== body.caseNumber) {
    throw new HttpError(
      409,
      `That still is evidence of case ${file.caseNumber}; a product takes stills of its own case.`,
    );
  }
  const media = await sources.media();
  if (!(await media.verify(file.sha256))) {
    throw new HttpError(409, 'The stored still no longer matches its SHA-256: it cannot be used.');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of media.openRead(file.sha256)) chunks.push(chunk as Buffer);
  return { type: 'image/jpeg', data: Buffer.concat(chunks) };
}

async function stillImages(
  ctx: ServerContext,
  sources: StillSources,
  body: NewProduct,
): Promise<StillImage[]> {
  const images: StillImage[] = [];
  for (const [i, s] of body.stills.entries()) {
    const image: Omit<StillImage, 'caption'> =
      'dataUrl' in s
        ? stillBytes(s.dataUrl, i)
        : await evidenceStill(ctx, sources, body, s.evidenceFileId, i);
    images.push({ ...image, caption: s.caption });
  }
  return images;
}

const publicOf = (r: ProductRecord): Product => {
  const { incidentId: _incident, authorId: _author, ...product } = r;
  return product;
};

export async function createProduct(
  ctx: ServerContext,
  sources: StillSources,
  actor: Actor,
  body: NewProduct,
): Promise<Product> {
  const stills = await stillImages(ctx, sources, body);
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      let incident: { id: string; number: string } | null = null;
      if (body.incidentNumber !== undefined) {
        incident = await findIncidentByNumberForUpdate(tx, body.incidentNumber);
        if (!incident) {
          throw new HttpError(404, `There is no incident ${body.incidentNumber} on file.`);
        }
      }
      const agency = await getAgency(tx);
      const year = zonedDateTime(at.getTime(), agency.timeZone).year;
      const prefix = productNumber(body.kind, year, 0).replace(/0+$/, '');
      const id = randomUUID();
      await insertProduct(tx, {
        id,
        number: productNumber(body.kind, year, await nextProductSeq(tx, prefix)),
        kind: body.kind,
        title: body.title,
        caseNumber: body.caseNumber ?? null,
        incidentId: incident?.id ?? null,
        incidentNumber: incident?.number ?? null,
        text: body.text,
        authorId: actor.id,
        authorName: actor.name,
        at,
      });
      for (const [position, s] of stills.entries()) {
        await insertStill(tx, {
          id: randomUUID(),
          productId: id,
          position,
          caption: s.caption,
          contentType: s.type,
          data: s.data,
        });
      }
      return (await findProduct(tx, id))!;
    },
    audit: (p) =>
      auditBy(actor, {
        action: 'product.create',
        targetType: 'product',
        targetId: p.id,
        outcome: 'success',
        details: {
          number: p.number,
          kind: p.kind,
          caseNumber: p.caseNumber,
          incidentId: p.incidentId,
          stills: p.stills.length,
        },
      }),
    event: (p) => ({ type: 'product.created', payload: { product: summary(p) } }),
  });
  return publicOf(value);
}

export async function approveProduct(
  ctx: ServerContext,
  actor: Actor,
  id: string,
): Promise<Product> {
  const { value } = await ctx.record({
    apply: async ({ tx, at }) => {
      const found = await findProduct(tx, id);
      if (!found) throw new HttpError(404, 'There is no such product.');
      if (found.approvedAt !== null) {
        throw new HttpError(
          409,
          `${found.number} was approved by ${found.approvedByName} at ${found.approvedAt}.`,
        );
      }
      if (found.authorId !== null && found.authorId === actor.id) {
        throw new HttpError(409, `${found.number} is yours: another lieutenant approves it.`);
      }
      if (!(await markApproved(tx, id, { id: actor.id, name: actor.name, at }))) {
        throw new HttpError(409, `${found.number} was approved meanwhile.`);
      }
      return (await findProduct(tx, id))!;
    },
    audit: (p) =>
      auditBy(actor, {
        action: 'product.approve',
        targetType: 'product',
        targetId: p.id,
        outcome: 'success',
        details: { number: p.number, caseNumber: p.caseNumber, incidentId: p.incidentId },
      }),
    event: (p) => ({ type: 'product.approved', payload: { product: summary(p) } }),
  });
  return publicOf(value);
}

function summary(p: ProductRecord) {
  const { text: _t, stills: _s, incidentId: _i, authorId: _a, ...rest } = p;
  return rest;
}
