import type { FastifyRequest } from 'fastify';

/** The bearer token of a request's Authorization header, or null when it has none. */
export function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/.exec(header.trim());
  return m ? m[1]! : null;
}
