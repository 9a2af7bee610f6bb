import type { Camera } from '../../shared/domain/cameras';
import type { Permission } from '../../shared/domain/roles';

/**
 * Whether a tile offers PTZ controls for its camera (docs/ptz.md): the camera has PTZ, the
 * analyst's role may steer, and the owner's policy shares PTZ (with live video, which PTZ rides
 * on); the agency's own cameras need no owner's leave. The server decides again on every command.
 */
export function offersPtz(
  camera: Pick<Camera, 'kind' | 'ptz' | 'sharing'> | undefined,
  permissions: readonly Permission[],
): boolean {
  if (!camera?.ptz || !permissions.includes('streams.ptz')) return false;
  if (camera.kind === 'agency') return true;
  if (camera.kind !== 'integrated' || !camera.sharing) return false;
  return camera.sharing.ptz && camera.sharing.live && !camera.sharing.withdrawn;
}
