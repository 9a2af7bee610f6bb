/**
 * The Content-Disposition of a stored file that is saved rather than shown (a reporter's PDF):
 * `attachment` with the file's name, made safe to put in a header. The plain `filename` keeps
 * letters, digits, spaces and `._()-` of ASCII only (anything else becomes `_`), so no quote,
 * backslash, semicolon or line break of a name can end the parameter or the header; `filename*`
 * (RFC 6266, RFC 8187) carries the name as the reporter gave it, percent-encoded, for browsers
 * that read it.
 */
export function attachmentDisposition(fileName: string, fallback: string): string {
  const name = fileName.normalize('NFC').trim().slice(0, 120) || fallback;
  const plain = name.replace(/[^A-Za-z0-9 ._()-]/g, '_').replace(/^[. ]+/, '') || fallback;
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}
