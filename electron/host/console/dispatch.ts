import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  WATCHFLOOR_CALLS,
  isCallName,
  type CallError,
  type CallName,
  type CallOutcome,
  type CallResult,
  type ParsedCallArgs,
  type WatchfloorCalls,
} from '../../../shared/api/watchfloorApi';
import type { Endpoint } from '../../../shared/api/contract';
import { HostCallError } from '../calls/hostCallError';
import { isServerCall, proxyToServer, type AuthenticatedRequests } from './serverProxy';

/** The calls the host answers itself; every other call is proxied to the server. */
export type HostCallName = {
  [N in CallName]: WatchfloorCalls[N] extends { readonly endpoint: Endpoint } ? never : N;
}[CallName];

/** One handler per host call of the contract; the compiler insists on every one. */
export type CallHandler<N extends CallName, C> = (
  args: ParsedCallArgs<N>,
  connection: C,
) => Promise<CallResult<N>> | CallResult<N>;

export type CallHandlers<C> = { readonly [N in HostCallName]: CallHandler<N, C> };

/** A connection the dispatcher can proxy server calls through. */
export interface DispatchConnection {
  readonly session: AuthenticatedRequests;
}

function issuesOf(error: z.ZodError): NonNullable<CallError['issues']> {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(arguments)',
    message: issue.message,
  }));
}

function failure(error: CallError): CallOutcome<CallName> {
  return { ok: false, error };
}

/**
 * Runs one call from the renderer: the name must be in the contract, the arguments must parse
 * with the call's schema; a server call goes through the generic proxy, a host call to its
 * handler; and the reply is parsed with the result schema before it leaves, which
 * drops any field the contract does not name (so nothing the host holds can slip into a reply).
 * Never throws: every failure is a CallError value.
 */
export async function dispatchCall<C extends DispatchConnection>(
  handlers: CallHandlers<C>,
  connection: C,
  name: unknown,
  args: unknown,
  log: Logger,
): Promise<CallOutcome<CallName>> {
  if (!isCallName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : typeof name;
    return failure({ code: 'unknown_call', message: `There is no call named ${shown}.` });
  }
  const definition = WATCHFLOOR_CALLS[name];
  const parsed = definition.args.safeParse(args === undefined ? {} : args);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const first = issues[0];
    return failure({
      code: 'invalid_args',
      message: `${name}: ${first ? `${first.path}: ${first.message}` : 'the arguments are not valid'}`,
      issues,
    });
  }
  let value: unknown;
  try {
    if (isServerCall(definition)) {
      value = await proxyToServer(name, definition, parsed.data, connection.session);
    } else {
      const handler = handlers[name as HostCallName] as CallHandler<CallName, C>;
      value = await handler(parsed.data as ParsedCallArgs<CallName>, connection);
    }
  } catch (err) {
    if (err instanceof HostCallError) return failure(err.toCallError());
    log.error({ err, call: name }, 'a call failed');
    return failure({ code: 'failed', message: `${name} failed; the host logged why.` });
  }
  const checked = definition.result.safeParse(value);
  if (!checked.success) {
    log.error(
      { call: name, issues: issuesOf(checked.error) },
      'a reply did not match the contract',
    );
    return failure({ code: 'failed', message: `${name} failed; the host logged why.` });
  }
  return { ok: true, value: checked.data } as CallOutcome<CallName>;
}
