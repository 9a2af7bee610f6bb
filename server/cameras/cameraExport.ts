import type { Queryable } from '../store/store';
import type { CameraKind, CameraStatus } from '../../shared/domain/cameras';
import type { CameraFeatureCollection } from '../../shared/api/cameras';
import { cameraFromRow, PUBLIC_CAMERA_COLUMNS, type CameraRow } from './cameraRows';
import { columnsOfCamera } from './cameraColumns';

export interface ExportFilter {
  readonly status: CameraStatus | 'all';
  readonly kinds?: readonly CameraKind[] | undefined;
}

/**
 * The registry as GeoJSON: public fields only, under the importer's column names, so a file can
 * be edited in a GIS tool and imported again (owner contacts and sources are never exported).
 */
export async function exportCameras(
  db: Queryable,
  filter: ExportFilter,
): Promise<CameraFeatureCollection> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status !== 'all') {
    params.push(filter.status);
    where.push(`status = $${params.length}`);
  }
  if (filter.kinds) {
    params.push(filter.kinds);
    where.push(`kind = any($${params.length}::text[])`);
  }
  const res = await db.query<CameraRow>(
    `select ${PUBLIC_CAMERA_COLUMNS} from cameras
     ${where.length ? `where ${where.join(' and ')}` : ''} order by id`,
    params,
  );
  return {
    type: 'FeatureCollection',
    features: res.rows.map((row) => {
      const camera = cameraFromRow(row);
      return {
        type: 'Feature' as const,
        id: camera.id,
        geometry: { type: 'Point' as const, coordinates: [camera.lng, camera.lat] },
        properties: columnsOfCamera(camera),
      };
    }),
  };
}
