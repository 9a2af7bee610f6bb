import type { z } from 'zod';
import {
  defaultRequest,
  requestUrl,
  type CallDefinition,
  type Endpoint,
  type HttpMethod,
} from '../../../shared/api/contract';
import type { ServerReply } from '../serverLink/serverHttp';
import { expectOk } from '../serverLink/serverErrors';

/** What the proxy needs of the signed-in session: an authenticated request. */
export interface AuthenticatedRequests {
  request(
    method: HttpMethod,
    path: string,
    options?: { readonly body?: unknown },
  ): Promise<ServerReply>;
}

export type ServerCallDefinition = CallDefinition & { readonly endpoint: Endpoint };

export function isServerCall(definition: CallDefinition): definition is ServerCallDefinition {
  return definition.endpoint !== undefined;
}

/**
 * The one handler of every call the server answers (docs/architecture.md, "The module recipe"):
 * the call's arguments become the endpoint's request, sent through the signed-in session, and the
 * reply is read with the endpoint's own response schema. Errors come back as the server wrote
 * them (serverErrors.ts).
 */
export async function proxyToServer(
  name: string,
  definition: ServerCallDefinition,
  args: z.output<z.ZodType>,
  session: AuthenticatedRequests,
): Promise<unknown> {
  const e = definition.endpoint;
  const request = definition.toRequest
    ? definition.toRequest(args)
    : defaultRequest(e, (args ?? {}) as Record<string, unknown>);
  const reply = await session.request(
    e.method,
    requestUrl(e, request),
    request.body === undefined ? {} : { body: request.body },
  );
  return expectOk(reply, e.response, `${name} could not be done.`, [e.status]);
}
