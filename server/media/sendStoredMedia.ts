import { relative } from 'node:path';
import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/errorHandler';
import type { MediaStore } from './mediaStore';

/**
 * Stored media is never a page: a file opened on its own (a new tab, a download) runs nothing,
 * loads nothing and cannot be framed.
 */
export const STORED_MEDIA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * Sends one file of the media store to a console that holds a grant to it (a tip's photo, an
 * alert's plate image, an online report's file): with ranges for video seeking, never cached,
 * never sniffed, never run, with the type the store recorded rather than one guessed from the
 * bytes. Shown inline unless the caller gives another disposition (a document to save).
 */
export async function sendStoredMedia(
  req: FastifyRequest,
  reply: FastifyReply,
  store: MediaStore,
  file: {
    readonly sha256: string;
    readonly contentType: string;
    readonly disposition?: string;
  },
): Promise<FastifyReply> {
  const sent = await send(req.raw, relative(store.dir, store.pathOf(file.sha256)), {
    root: store.dir,
    dotfiles: 'deny',
    etag: true,
    lastModified: false,
    cacheControl: false,
    acceptRanges: true,
  });
  if (sent.type === 'error') throw new HttpError(404, 'That file is missing from the media store.');
  reply.status(sent.statusCode);
  for (const [name, value] of Object.entries(sent.headers)) reply.header(name, value);
  return reply
    .header('content-type', file.contentType)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', STORED_MEDIA_CSP)
    .header('content-disposition', file.disposition ?? 'inline')
    .send(sent.stream);
}
