/**
 * Removes source credentials from text that may reach a log or an event (ffmpeg's stderr quotes
 * the input URL, user info included).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** Scheme, host and port of a URL: enough to tell sources apart in a log, with nothing secret. */
export function describeSource(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an unreadable URL';
  }
}
