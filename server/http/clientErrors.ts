import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from './errorHandler';

/**
 * URLs longer than this are refused with 414. Node refuses a request head (request line and
 * headers together) above 16 KiB with 431 before any route sees it; this keeps a long URL from
 * reaching the router and the logs well before that.
 */
export const MAX_URL_LENGTH = 8 * 1024;

/** The reply to a request the HTTP parser refused, in the API's error shape. */
function clientErrorReply(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        message: 'The request line and headers together exceed 16 KiB; send a shorter request.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'The request took too long to arrive.' };
    default:
      return { status: 400, message: 'The request is not valid HTTP.' };
  }
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a head too large, a
 * malformed request line). Fastify answers those on the socket itself; this gives them the same
 * error shape as every other answer and closes the connection, which the parser cannot resume.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: Error & { code?: string },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, message } = clientErrorReply(err.code);
  this.log.debug({ err }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(apiError(status, message));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/** Errors the router raises before any route or hook runs (URL a path parameter overflows). */
export function frameworkErrors(
  err: FastifyError,
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send(apiError(414, 'A value in the URL path is longer than allowed.'));
    return;
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send(apiError(400, 'The URL path is not validly encoded.'));
    return;
  }
  const status = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 400;
  void reply.status(status).send(apiError(status, 'The request could not be routed.'));
}

/** Refuses URLs over MAX_URL_LENGTH with 414 before routing and parsing the query. */
export function installUrlLimit(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > MAX_URL_LENGTH) {
      return reply
        .status(414)
        .send(apiError(414, `The URL is longer than ${MAX_URL_LENGTH} characters.`));
    }
    return undefined;
  });
}
