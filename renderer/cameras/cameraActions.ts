import type { OwnerContact } from '../../shared/domain/cameras';
import type { Snapshot } from '../../shared/api/views';
import { call } from '../app/watchfloor';
import { reasonFor } from '../wall/reasonStore';
import { openViewOf } from '../wall/viewRegistry';
import { useCameraStore } from './cameraStore';

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const fail = (message: string): Outcome<never> => ({ ok: false, message });

/**
 * A still from a camera for its map pop-up. A camera already on the wall gives it from its open
 * view; any other is opened briefly (substream), for a stated reason like any view.
 */
export async function liveSnapshot(
  cameraId: string,
  ask: boolean,
): Promise<Outcome<Snapshot> | null> {
  const open = openViewOf(cameraId);
  if (open) {
    const r = await call('views.snapshot', { viewId: open });
    return r.ok ? { ok: true, value: r.value } : fail(r.error.message);
  }
  if (!ask) return null;
  const camera = useCameraStore.getState().byId.get(cameraId);
  if (!camera) return fail('That camera is no longer in the registry.');
  const reason = await reasonFor({
    cameraIds: [cameraId],
    cameraNames: [camera.name],
    purpose: 'snapshot',
  });
  if (!reason) return null;
  const opened = await call('views.open', { cameraId, reason, variant: 'sub' });
  if (!opened.ok) return fail(opened.error.message);
  if (opened.value.kind === 'refused') return fail(opened.value.message);
  const viewId = opened.value.view.viewId;
  try {
    const r = await call('views.snapshot', { viewId });
    return r.ok ? { ok: true, value: r.value } : fail(r.error.message);
  } finally {
    void call('views.close', { viewId });
  }
}

/** A registry owner's contact, for a reason asked every time (each reveal is audited). */
export async function revealOwnerContact(cameraId: string): Promise<Outcome<OwnerContact> | null> {
  const camera = useCameraStore.getState().byId.get(cameraId);
  if (!camera) return fail('That camera is no longer in the registry.');
  const reason = await reasonFor({
    cameraIds: [cameraId],
    cameraNames: [camera.name],
    purpose: 'owner_contact',
  });
  if (!reason) return null;
  const r = await call('cameras.ownerContact', { cameraId, reason });
  return r.ok ? { ok: true, value: r.value.owner } : fail(r.error.message);
}
