import { LogoSchema } from '../../shared/domain/agency';

/** The logo's file limit: about 256 KB, which its data URL (a third larger) fits in. */
export const MAX_LOGO_BYTES = 256 * 1024;
const LOGO_TYPES = ['image/png', 'image/jpeg'];

/** Why a chosen file cannot be the logo, or null when it can. */
export function logoFileProblem(file: {
  readonly type: string;
  readonly size: number;
}): string | null {
  if (!LOGO_TYPES.includes(file.type)) return 'The logo is a PNG or JPEG image.';
  if (file.size > MAX_LOGO_BYTES) {
    return `The logo is at most 256 KB; this file is ${Math.ceil(file.size / 1024)} KB.`;
  }
  return null;
}

/** Reads a chosen file as the logo's data URL, checked by the same schema the server uses. */
export function readLogo(
  file: File,
): Promise<{ ok: true; dataUrl: string } | { ok: false; message: string }> {
  const problem = logoFileProblem(file);
  if (problem) return Promise.resolve({ ok: false, message: problem });
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onerror = () => resolve({ ok: false, message: 'The file could not be read.' });
    reader.onload = () => {
      const checked = LogoSchema.safeParse(reader.result);
      resolve(
        checked.success
          ? { ok: true, dataUrl: checked.data }
          : { ok: false, message: checked.error.issues[0]!.message },
      );
    };
    reader.readAsDataURL(file);
  });
}
