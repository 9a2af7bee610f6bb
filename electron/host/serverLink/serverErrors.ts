import { ApiErrorSchema } from '../../../shared/api/errors';
import type { ServerReply } from './serverHttp';
import { HostCallError } from '../calls/hostCallError';

/** The server's message in an error reply, or the fallback when the body is not one. */
export function replyMessage(body: unknown, fallback: string): string {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.message : fallback;
}

/**
 * A server reply that is not a success, as the error the renderer is given. The server's messages
 * are written for a person and carry no secrets, so they are passed on as they are.
 */
export function replyError(reply: ServerReply, fallback: string): HostCallError {
  const parsed = ApiErrorSchema.safeParse(reply.body);
  const message = parsed.success ? parsed.data.message : fallback;
  const issues = parsed.success ? parsed.data.issues : undefined;
  switch (reply.status) {
    case 400:
    case 413:
      return new HostCallError('invalid_args', message, issues);
    case 401:
      return new HostCallError('signed_out', message);
    case 403:
      return new HostCallError('forbidden', message);
    case 404:
    case 410:
      return new HostCallError('not_found', message);
    case 409:
      return new HostCallError('conflict', message);
    default:
      return new HostCallError('failed', message);
  }
}

/** Reads a success reply with its schema, or throws the reply's error. */
export function expectOk<T>(
  reply: ServerReply,
  schema: { parse(value: unknown): T },
  fallback: string,
  okStatus: readonly number[] = [200],
): T {
  if (!okStatus.includes(reply.status)) throw replyError(reply, fallback);
  return schema.parse(reply.body);
}
