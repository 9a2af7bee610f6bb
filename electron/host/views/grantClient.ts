import type { Logger } from 'pino';
import {
  GrantStatusSchema,
  SharingRefusalSchema,
  StreamGrantSchema,
  type RelaySource,
} from '../../../shared/api/cameras';
import type { ViewRefusal, ViewVariant } from '../../../shared/api/views';
import type { SourceDescriptor } from '../../../shared/domain/cameras';
import type { ViewReason } from '../../../shared/domain/reasons';
import { expectOk, replyError } from '../serverLink/serverErrors';
import type { BackendSession } from '../session/backendSession';
import type { ServerReply } from '../serverLink/serverHttp';

/** A grant as a view holds it: when it lapses, and where the relay serves its camera. */
export interface HeldGrant {
  readonly grantId: string;
  readonly expiresAt: number;
  readonly source: SourceDescriptor;
}

export type GrantAnswer = { readonly grant: HeldGrant } | { readonly refusal: ViewRefusal };

export type RenewAnswer =
  | { readonly kind: 'renewed'; readonly expiresAt: number }
  /** The server refused: the grant has ended and the video must stop. */
  | { readonly kind: 'ended'; readonly reason: string }
  /** The server could not be reached: try again later, the grant may still hold. */
  | { readonly kind: 'deferred' };

/**
 * The stream-grant protocol with the RTCC server (docs/decisions/0013-stream-grants.md): ask with
 * a reason, renew before the grant lapses, end it when the view closes. A grant names relay paths
 * on the server (docs/decisions/0016-camera-credentials-stay-in-the-server.md), turned here into
 * the URLs the gateway's ffmpeg pulls.
 */
export class GrantClient {
  constructor(
    private readonly session: BackendSession,
    private readonly serverUrl: URL,
    private readonly log: Logger,
  ) {}

  async request(
    cameraId: string,
    reason: ViewReason,
    access: 'live' | 'recordings',
    variant: ViewVariant,
  ): Promise<GrantAnswer> {
    const reply = await this.session.request('POST', `/v1/cameras/${cameraId}/grants`, {
      body: { reason, access, variant },
    });
    if (reply.status === 403) {
      const refused = SharingRefusalSchema.safeParse(reply.body);
      if (refused.success) {
        return {
          refusal: {
            kind: 'refused',
            cameraId,
            denial: refused.data.denial,
            message: refused.data.message,
            nextOpen: refused.data.nextOpen,
          },
        };
      }
    }
    const grant = expectOk(reply, StreamGrantSchema, 'The camera could not be opened.');
    return {
      grant: {
        grantId: grant.grantId,
        expiresAt: Date.parse(grant.expiresAt),
        source: relayDescriptor(grant.source, this.serverUrl),
      },
    };
  }

  async renew(grantId: string): Promise<RenewAnswer> {
    let reply: ServerReply;
    try {
      reply = await this.session.request('POST', `/v1/grants/${grantId}/renew`, {
        allowLocked: true,
      });
    } catch (err) {
      // Offline: the video plays on until the grant lapses on the server, where the relay cuts it.
      this.log.debug({ err: err instanceof Error ? err.message : err }, 'grant renewal deferred');
      return { kind: 'deferred' };
    }
    if (reply.status === 200) {
      const status = GrantStatusSchema.parse(reply.body);
      return { kind: 'renewed', expiresAt: Date.parse(status.expiresAt) };
    }
    const refusal = SharingRefusalSchema.safeParse(reply.body);
    return {
      kind: 'ended',
      reason: refusal.success
        ? refusal.data.message
        : replyError(reply, 'The grant could not be renewed.').message,
    };
  }

  /** Ends a grant; quietly, since a view that closes needs no answer. */
  async end(grantId: string): Promise<void> {
    if (!this.session.signedIn) return;
    await this.session
      .request('DELETE', `/v1/grants/${grantId}`, { allowLocked: true })
      .catch(() => undefined);
  }
}

/** The relay's paths as absolute URLs on the server the session talks to. */
export function relayDescriptor(source: RelaySource, serverUrl: URL): SourceDescriptor {
  return {
    protocol: source.protocol,
    url: new URL(source.path, serverUrl).toString(),
    ...(source.substreamPath
      ? { substreamUrl: new URL(source.substreamPath, serverUrl).toString() }
      : {}),
    codecHint: source.codecHint,
    ptz: source.ptz,
  };
}
