import { useMemo } from 'react';
import { encode } from 'uqr';

/**
 * A QR code drawn as SVG from the text it carries (here an otpauth:// URI), for an
 * authenticator app to scan off the screen. Dark modules on white with the quiet zone the
 * standard asks for, whatever the console's theme, or phones fail to read it.
 */
export function QrCode({
  text,
  size = 200,
  label,
  testId,
}: {
  readonly text: string;
  readonly size?: number;
  readonly label: string;
  readonly testId?: string;
}) {
  const path = useMemo(() => {
    const { data } = encode(text, { ecc: 'M', border: 0 });
    // One path of unit squares: a few hundred rects would be as correct, and slower to draw.
    const cells: string[] = [];
    data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) cells.push(`M${x + 4} ${y + 4}h1v1h-1z`);
      }),
    );
    return { d: cells.join(''), modules: data.length + 8 };
  }, [text]);
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid={testId}
      width={size}
      height={size}
      viewBox={`0 0 ${path.modules} ${path.modules}`}
      shapeRendering="crispEdges"
      style={{ background: '#fff', display: 'block' }}
    >
      <rect width={path.modules} height={path.modules} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
