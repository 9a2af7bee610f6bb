/**
 * Hands a file the console made (a report, a CSV) to the browser's download: Electron asks
 * where to save it, a browser saves it as it saves any download.
 */
export function saveFile(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returns; the next task may free the URL.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The bytes of base64 text, as the server sends a generated PDF. */
export function base64Bytes(data: string): Uint8Array<ArrayBuffer> {
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}
