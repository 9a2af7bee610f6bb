import { describe, expect, it } from 'vitest';
import { CAMERA_EVENT_REDUCERS } from '../../../renderer/cameras/cameraEvents';
import { countByKind, withUpserts } from '../../../renderer/cameras/cameraStore';
import { testCamera } from '../support/cameraFixture';

const camera = testCamera;

describe('camera event reducers', () => {
  it('created and updated upsert the camera', () => {
    expect(CAMERA_EVENT_REDUCERS['camera.created']({ camera: camera('a') })).toEqual({
      type: 'upsert',
      cameras: [camera('a')],
    });
    expect(
      CAMERA_EVENT_REDUCERS['camera.updated']({ camera: camera('a'), changed: ['name'] }).type,
    ).toBe('upsert');
    expect(
      CAMERA_EVENT_REDUCERS['camera.alarm']({ cameraId: 'a', active: true, camera: camera('a') })
        .type,
    ).toBe('upsert');
  });

  it('retired removes it; an import reloads', () => {
    expect(
      CAMERA_EVENT_REDUCERS['camera.retired']({ camera: camera('a', { status: 'retired' }) }),
    ).toEqual({
      type: 'remove',
      ids: ['a'],
    });
    expect(
      CAMERA_EVENT_REDUCERS['cameras.imported']({ source: 'csv', created: 3, rejected: 0 }),
    ).toEqual({ type: 'reload' });
  });

  it('upserts keep counts per kind, and a retired camera leaves', () => {
    let byId = withUpserts(new Map(), [camera('a'), camera('b', { kind: 'registered' })]);
    expect(countByKind(byId.values())).toEqual({ registered: 1, integrated: 0, agency: 1 });
    byId = withUpserts(byId, [camera('a', { status: 'retired' })]);
    expect(countByKind(byId.values())).toEqual({ registered: 1, integrated: 0, agency: 0 });
  });
});
