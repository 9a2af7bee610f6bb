import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import type { AgencyConfig } from '../../shared/domain/agency';
import type { FormCheck, FormGuard } from './formGuard';
import type { MultipartForm } from './multipartForm';
import type { FormFields } from './registrationForm';

/**
 * What the portal's routes (server/portal/routes.ts) lend the modules that add pages to it: the
 * online reports, the owners' pages and the forms that email a link. Every page registered
 * through it has the portal's guards (docs/portal.md): the limit per address on every post, the
 * forms' own encoding, the CSP and the readable refusals.
 */
export interface PortalKit {
  readonly ctx: ServerContext;
  readonly guard: FormGuard;
  agency(): Promise<AgencyConfig>;
  send(reply: FastifyReply, status: number, page: string): FastifyReply;
  get(
    url: string,
    handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    opts?: { quiet?: boolean },
  ): void;
  post(
    url: string,
    handler: (req: FastifyRequest, reply: FastifyReply, fields: FormFields) => Promise<unknown>,
  ): void;
  /** A post with files: the same limit and checks as `post`, the body read as multipart. */
  postMultipart(
    url: string,
    bodyLimit: number,
    handler: (req: FastifyRequest, reply: FastifyReply, form: MultipartForm) => Promise<unknown>,
  ): void;
  /**
   * Refuses a post whose token is not this browser's and this form's, and says whether it did.
   * (A boolean, not the reply: a reply is thenable, and awaiting it would lose it.)
   */
  refused(reply: FastifyReply, a: AgencyConfig, check: FormCheck): boolean;
  /**
   * Answers 503 when the server cannot send email (WF_SMTP_URL unset), with `sentence` or the
   * portal's own words, and says whether it answered.
   */
  noMail(reply: FastifyReply, a: AgencyConfig, sentence?: string): boolean;
  /** What a data-entry form sent too fast, or left open too long, is told. */
  timingMessage(check: 'too_fast' | 'expired'): string;
}
