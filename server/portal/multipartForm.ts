import { HttpError } from '../http/errorHandler';
import {
  MAX_REPORT_FILES,
  MAX_REPORT_FILE_BYTES,
  type ReportFileType,
} from '../../shared/domain/onlineReports';
import type { FormFields } from './registrationForm';

/**
 * A form with files (multipart/form-data), read with the platform's own parser (the Fetch API's
 * `formData()`) once the whole body has arrived within the route's size limit. The files are
 * checked here: how many, how large, and what they are by their first bytes (a name or a
 * declared type proves nothing).
 */

export interface UploadedFile {
  readonly fileName: string;
  readonly contentType: ReportFileType;
  readonly bytes: Buffer;
}

export interface MultipartForm {
  readonly fields: FormFields;
  readonly files: readonly UploadedFile[];
  /** A message for the files' field when one is refused (the rest of the form is still read). */
  readonly filesError: string | null;
}

const MAX_FIELDS = 100;

/** What a file's first bytes say it is, among the types a report accepts. */
export function sniffFileType(bytes: Uint8Array): ReportFileType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') {
    return 'application/pdf';
  }
  return null;
}

/** A file's name as shown to reviewers: its last path segment, printable, at most 120 chars. */
function cleanName(name: string, n: number): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const printable = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120);
  return printable.replace(/^[.\s]+/, '') || `file-${n}`;
}

export async function parseMultipart(body: Buffer, contentType: string): Promise<MultipartForm> {
  let data: FormData;
  try {
    // A copy in a plain ArrayBuffer, which both the DOM's and Node's typings take as a body.
    const bytes = new Uint8Array(body);
    data = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new HttpError(400, 'The form could not be read. Send it again from this site’s pages.');
  }
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let filesError: string | null = null;
  let count = 0;
  const entries: [string, FormData extends { get(n: string): infer V } ? NonNullable<V> : never][] =
    [];
  data.forEach((value, name) => entries.push([name, value]));
  for (const [name, value] of entries) {
    count += 1;
    if (count > MAX_FIELDS) throw new HttpError(413, 'The form has too many fields.');
    if (typeof value === 'string') {
      if (Object.hasOwn(fields, name)) throw new HttpError(400, `The field ${name} is repeated.`);
      if (name.includes('\u0000') || value.includes('\u0000')) {
        throw new HttpError(400, 'The form holds characters that no field accepts.');
      }
      fields[name] = value;
      continue;
    }
    if (name !== 'files') throw new HttpError(400, `The field ${name} does not take a file.`);
    // A file input left empty sends a nameless, empty part.
    if (value.size === 0 && value.name === '') continue;
    if (files.length >= MAX_REPORT_FILES) {
      filesError = `Attach at most ${MAX_REPORT_FILES} files`;
      continue;
    }
    if (value.size > MAX_REPORT_FILE_BYTES) {
      filesError = `${cleanName(value.name, files.length + 1)} is larger than 4 MB`;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    const type = sniffFileType(bytes);
    if (type === null) {
      filesError = `${cleanName(value.name, files.length + 1)} is not a JPEG or PNG photo or a PDF document`;
      continue;
    }
    files.push({ fileName: cleanName(value.name, files.length + 1), contentType: type, bytes });
  }
  return { fields, files, filesError };
}
