import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ApiError } from '../../shared/api/errors';
import { isStoreUnavailable } from '../store/storeUnavailable';

/** An error whose message is meant for the person who made the request. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues?: ApiError['issues'],
    readonly code?: string,
  ) {
    super(message);
  }
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function apiError(
  statusCode: number,
  message: string,
  issues?: ApiError['issues'],
  code?: string,
): ApiError {
  return {
    statusCode,
    error: STATUS_NAMES[statusCode] ?? 'Error',
    message,
    ...(code ? { code } : {}),
    ...(issues ? { issues } : {}),
  };
}

/** What a person sees while the database is away; the server needs no restart to recover. */
export const STORE_UNAVAILABLE_MESSAGE =
  'The database cannot be reached right now, so nothing was read or saved. The server reconnects ' +
  'by itself: try again in a few seconds. If this lasts, tell whoever runs the server that its ' +
  'database is down or refusing connections.';

const RETRY_AFTER_SECONDS = 5;

/**
 * Bad input is the caller's problem and is told as such (4xx, what is wrong and where); only
 * our own faults are 5xx, and those never carry a stack trace or internal message.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: `${where}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`,
        message: v.message ?? 'is invalid',
      }));
      const summary = issues
        .slice(0, 3)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ');
      return reply.status(400).send(apiError(400, `Invalid ${where}: ${summary}`, issues));
    }
    if (err instanceof HttpError) {
      return reply
        .status(err.statusCode)
        .send(apiError(err.statusCode, err.message, err.issues, err.code));
    }
    if (isStoreUnavailable(err)) {
      // The database is away (restarting, failing over, unreachable). Not the caller's fault and
      // not a bug: say so, and that it is worth trying again; the pool reconnects by itself.
      req.log.warn({ err }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(apiError(503, STORE_UNAVAILABLE_MESSAGE, undefined, 'database_unavailable'));
    }
    if (typeof err.code === 'string' && /^22[0-9A-Z]{3}$/.test(err.code)) {
      // SQLSTATE class 22 (data exception): a value the schema let through but the database
      // cannot take, such as a number out of range. Still the caller's input, still a 400.
      return reply
        .status(400)
        .send(apiError(400, 'A value in the request is out of the range this field accepts.'));
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, body too large, bad content type).
      return reply.status(status).send(apiError(status, clientMessage(err)));
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send(apiError(500, 'The server could not complete this request.'));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(apiError(404, `No route ${req.method} ${req.url.split('?')[0]}`));
  });
}

function clientMessage(err: FastifyError): string {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this endpoint accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'This endpoint does not accept that content type.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request says it carries JSON but the body is empty.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    default:
      if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        return 'The request body is not valid JSON.';
      }
      return err.message;
  }
}
