/**
 * Tells "the database cannot be reached" apart from every other failure, so that the error
 * handler answers 503 for it (the caller can retry, the server recovers by itself) and 500 only
 * for our own faults. Both drivers' ways of saying it are recognised here and nowhere else.
 */

/** Thrown by a store that could not get a connection at all. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database cannot be reached: ${cause instanceof Error ? cause.message : cause}`, {
      cause,
    });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * SQLSTATE codes that mean the connection or the server, not the statement: class 08
 * (connection exception), 57P01-57P03 (the server is shutting down, crashed or starting up),
 * 53300 (too many connections) and 3D000 (the database itself is gone).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300|3D000)$/;

/** Node's socket errors: the server is down, unreachable or hung up. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Messages the drivers raise without a code: pg when its socket closes under a query or a pool
 * wait times out, PGlite once it has been closed.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated due to connection timeout$/,
  /^PGlite is closed$/,
];

export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || SOCKET_ERRORS.has(code))) {
    return true;
  }
  if (UNAVAILABLE_MESSAGES.some((m) => m.test(err.message))) return true;
  // A failed connect of several addresses (localhost as ::1 and 127.0.0.1) comes as one.
  if (err instanceof AggregateError) return err.errors.some(isStoreUnavailable);
  return false;
}
