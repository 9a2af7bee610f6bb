import type { Camera } from '../../../renderer/cameras/cameraStore';

/** A camera as the console holds it: an active agency camera in the demo city, unless overridden. */
export function testCamera(id: string, over: Partial<Camera> = {}): Camera {
  return {
    id,
    kind: 'agency',
    status: 'active',
    name: `Camera ${id}`,
    lat: 36.1,
    lng: -80.24,
    address: null,
    notes: null,
    retentionDays: null,
    hasOwnerContact: false,
    sharing: null,
    alarmActive: false,
    ptz: false,
    hasSubstream: true,
    hasRecordings: false,
    bearingDeg: null,
    fovDeg: null,
    rangeM: null,
    createdAt: '2026-11-21T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    ...over,
  };
}
