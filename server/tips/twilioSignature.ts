import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `X-Twilio-Signature` of a webhook, as Twilio computes it: HMAC-SHA1 keyed with the account's
 * auth token over the full URL the provider requested (scheme, host, path and query exactly as
 * configured), followed by every POST parameter's name and value with no separator, the names in
 * sorted order; base64. A name sent several times contributes each of its values, sorted, each
 * after its name. A webhook whose body is JSON is signed differently (a `bodySHA256` query
 * parameter); the tip line receives only form-encoded webhooks (docs/tip-line.md).
 */

export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  const hmac = createHmac('sha1', authToken);
  hmac.update(url, 'utf8');
  // Code-unit order: the names Twilio sends are ASCII, and a byte order would agree on them.
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const v of values) hmac.update(name + v, 'utf8');
  }
  return hmac.digest('base64');
}

/**
 * The URL as given and the same URL with the scheme's default port written out or left out:
 * Twilio's own validators accept either, since a proxy in front of the server may add or drop it.
 */
function urlVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/?#]*)([\s\S]*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  // The port follows the host; an IPv6 literal ends with `]` and so never matches without one.
  const port = /:(\d*)$/.exec(authority);
  if (port) {
    return port[1] === defaultPort
      ? [url, `${scheme}://${authority.slice(0, -port[0].length)}${rest}`]
      : [url];
  }
  return [url, `${scheme}://${authority}:${defaultPort}${rest}`];
}

/**
 * Whether `header` is the signature of this request. False for a missing, empty or garbled
 * header; the comparison takes the same time wherever the header differs.
 */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
  header: string | undefined,
): boolean {
  if (!header || !authToken) return false;
  const given = Buffer.from(header, 'utf8');
  let valid = false;
  for (const variant of urlVariants(url)) {
    const expected = Buffer.from(twilioSignature(authToken, variant, params), 'utf8');
    // Every variant is compared, so the time taken does not tell which one came close.
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}
