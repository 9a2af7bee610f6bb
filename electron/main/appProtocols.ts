import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { toWebResponse } from '../host/gateway/index';
import type { MediaResponse } from '../host/gateway/index';
import { readStaticFile } from '../host/console/staticFiles';
import type { TipMediaAnswer } from '../host/console/tipMedia';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  MEDIA_SCHEME,
  TIP_MEDIA_HOST,
  electronCsp,
} from './contentSecurity';

/** Must run before the app is ready: both schemes behave like https (secure, fetchable). */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: MEDIA_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        stream: true,
      },
    },
  ]);
}

function securityHeaders(imageSources: readonly string[]): Readonly<Record<string, string>> {
  return {
    'content-security-policy': electronCsp(imageSources),
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
}

export interface MediaSource {
  handleMediaRequest(
    path: string,
    query: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<MediaResponse>;
  ownsMedia(mediaId: string): boolean;
  /** One file of a tip's media, for a grant this session opened (host/console/tipMedia.ts). */
  tipMedia(path: string, range: string | undefined, signal?: AbortSignal): Promise<TipMediaAnswer>;
}

function tipMediaResponse(answer: TipMediaAnswer): Response {
  const body =
    typeof answer.body === 'string'
      ? answer.body
      : (Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>);
  const headers = new Headers(answer.headers);
  headers.set('access-control-allow-origin', APP_ORIGIN);
  return new Response(answer.status === 416 || answer.body === '' ? null : body, {
    status: answer.status,
    headers,
  });
}

/**
 * wf-app://console/... serves the built renderer; wf-media://media/<id>/<name> serves the
 * gateway's media, only for ids handed to one of our windows. Both refuse anything else.
 */
export function handleProtocols(
  rendererDir: string,
  media: MediaSource,
  imageSources: readonly string[] = [],
): void {
  const SECURITY_HEADERS = securityHeaders(imageSources);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('not found', { status: 404 });
    }
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
    return new Response(new Uint8Array(file.body), {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'content-type': file.contentType,
        'cache-control': file.cacheControl,
      },
    });
  });

  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/+/, '');
    const cors = { 'access-control-allow-origin': APP_ORIGIN };
    // wf-media://tip-media/<token>/<n>/<variant>: a tip's photo or video, from the server, or
    // wf-media://tip-media/alert/<id>/<n>/original: an alert's image, or
    // wf-media://tip-media/online-report/<id>/<n>/original: a report's file (host/console/tipMedia.ts).
    if (url.host === TIP_MEDIA_HOST && request.method === 'GET') {
      const answer = await media.tipMedia(
        path,
        request.headers.get('range') ?? undefined,
        request.signal,
      );
      return tipMediaResponse(answer);
    }
    const mediaId = path.split('/')[0] ?? '';
    if (url.host !== 'media' || request.method !== 'GET' || !media.ownsMedia(mediaId)) {
      return new Response('no such media', { status: 404, headers: cors });
    }
    const answer = await media.handleMediaRequest(path, url.searchParams, request.signal);
    const response = toWebResponse(answer);
    response.headers.set('access-control-allow-origin', APP_ORIGIN);
    return response;
  });
}
