import type { CameraKind } from '../../shared/domain/cameras';
import { KIND_STYLE } from './cameraSymbols';

/** The map symbol of a camera kind, for lists and the layer control. */
export function KindSymbol({ kind }: { readonly kind: CameraKind }) {
  const { color, shape, label } = KIND_STYLE[kind];
  return (
    <svg className="kind-symbol" viewBox="0 0 16 16" role="img" aria-label={label}>
      {shape === 'ring' && (
        <circle cx="8" cy="8" r="5.5" fill="none" stroke={color} strokeWidth="2.5" />
      )}
      {shape === 'diamond' && (
        <path d="M8 1.5 L14.5 8 L8 14.5 L1.5 8 Z" fill={color} stroke="#05070a" />
      )}
      {shape === 'triangle' && (
        <path d="M8 1.5 L14.5 13.5 L1.5 13.5 Z" fill={color} stroke="#05070a" />
      )}
    </svg>
  );
}
