import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The camera did not take a PTZ command; `message` is a sentence for the analyst. */
export class PtzSendError extends Error {}

/** How long a camera has to answer: a step the analyst does not see is worse than none. */
const PTZ_TIMEOUT_MS = 3000;

/** A PTZ answer is small: a camera that sends a megabyte is not answering the command. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Posts a PTZ request to a camera and reads its answer (docs/ptz.md). A camera's certificate is
 * its own, so HTTPS does not check it; redirects are not followed. Failures to reach the camera
 * or to hear it out are PtzSendErrors in words for the analyst; what the status means is the
 * caller's to say.
 */
export function postToCamera(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<{ readonly status: number; readonly text: string }> {
  const sent = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const options = { method: 'POST', headers: sent, timeout: PTZ_TIMEOUT_MS };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, rejectUnauthorized: false })
        : httpRequest(url, options);
    req.once('timeout', () => req.destroy(new PtzSendError('the camera did not answer')));
    req.once('error', (err) =>
      reject(err instanceof PtzSendError ? err : new PtzSendError('the camera is unreachable')),
    );
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new PtzSendError('the camera answered too much'));
        else chunks.push(c);
      });
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.once('error', () => reject(new PtzSendError('the camera broke off its answer')));
    });
    req.end(body);
  });
}
