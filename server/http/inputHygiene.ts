import type { FastifyInstance } from 'fastify';
import { HttpError } from './errorHandler';

/** PostgreSQL text cannot hold NUL; no legitimate value here contains one. */
function findNul(value: unknown, path: string, depth = 0): string | null {
  if (depth > 64) return null; // deeper bodies are refused by their schemas anyway
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const hit = findNul(v, `${path}.${k}`, depth + 1) ?? (k.includes('\u0000') ? path : null);
      if (hit) return hit;
    }
  }
  return null;
}

/** Refuses input that no schema can describe away: NUL characters in any text. */
export function installInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const hit =
      findNul(req.params, 'params') ??
      findNul(req.query, 'querystring') ??
      findNul(req.body, 'body');
    if (hit) throw new HttpError(400, `Invalid ${hit}: text must not contain NUL characters.`);
  });
}
