import { describe, expect, it } from 'vitest';
import { CameraIndex, type IndexedCamera } from '../../../renderer/cameras/cameraIndex';
import { CameraClusters } from '../../../renderer/cameras/cameraClusters';
import { distanceMeters } from '../../../shared/geo';
import type { CameraKind } from '../../../shared/domain/cameras';

const CENTER = { lat: 36.0999, lng: -80.2442 };
const KINDS: CameraKind[] = ['registered', 'integrated', 'agency'];

/** A deterministic scatter over about 20 km around the centre. */
function scatter(n: number): IndexedCamera[] {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    kind: KINDS[i % 3]!,
    lat: CENTER.lat + (rand() - 0.5) * 0.2,
    lng: CENTER.lng + (rand() - 0.5) * 0.25,
  }));
}

describe('camera index', () => {
  const cameras = scatter(20_000);
  const index = new CameraIndex(cameras);

  it('finds exactly the cameras a linear scan finds, nearest first', () => {
    for (const radius of [50, 300, 1500]) {
      const got = index.within(CENTER, radius);
      const want = cameras.filter((c) => distanceMeters(CENTER, c) <= radius);
      expect(got.map((h) => h.camera.id).sort()).toEqual(want.map((c) => c.id).sort());
      for (let i = 1; i < got.length; i++)
        expect(got[i]!.distanceM).toBeGreaterThanOrEqual(got[i - 1]!.distanceM);
    }
  });

  it('filters by kind and limits to the nearest n', () => {
    const hits = index.nearest(CENTER, 4, 2000, new Set<CameraKind>(['agency']));
    expect(hits).toHaveLength(4);
    expect(hits.every((h) => h.camera.kind === 'agency')).toBe(true);
    const all = index.within(CENTER, 2000, new Set<CameraKind>(['agency']));
    expect(hits.map((h) => h.camera.id)).toEqual(all.slice(0, 4).map((h) => h.camera.id));
  });

  it('answers nothing for an empty set or a zero radius', () => {
    expect(new CameraIndex([]).within(CENTER, 300)).toEqual([]);
    expect(index.within(CENTER, 0)).toEqual([]);
  });
});

describe('camera clusters', () => {
  const cameras = scatter(9_000);
  const clusters = new CameraClusters(cameras);
  const box = { west: -80.4, south: 35.95, east: -80.1, north: 36.25 };

  it('accounts for every camera of the shown kinds in a view that holds them all', () => {
    const items = clusters.itemsIn(box, 11, new Set<CameraKind>(['integrated', 'agency']));
    const total = items.reduce((n, it) => n + (it.type === 'cluster' ? it.count : 1), 0);
    expect(total).toBe(cameras.filter((c) => c.kind !== 'registered').length);
    const registered = items.reduce(
      (n, it) =>
        n + (it.type === 'cluster' ? it.counts.registered : it.kind === 'registered' ? 1 : 0),
      0,
    );
    expect(registered).toBe(0);
    // Clustered: far fewer things to draw than cameras.
    expect(items.length).toBeLessThan(total / 5);
  });

  it('clusters across kinds, each cluster counting its cameras of every kind', () => {
    const items = clusters.itemsIn(box, 11, new Set<CameraKind>(KINDS));
    const groups = items.filter((it) => it.type === 'cluster');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      if (g.type !== 'cluster') continue;
      expect(g.counts.registered + g.counts.integrated + g.counts.agency).toBe(g.count);
    }
    // Mixed clusters exist: the kinds no longer sit in separate clusters on top of one another.
    expect(
      groups.some((g) => g.type === 'cluster' && KINDS.filter((k) => g.counts[k] > 0).length > 1),
    ).toBe(true);
    const byKind = Object.fromEntries(
      KINDS.map((k) => [
        k,
        items.reduce(
          (n, it) => n + (it.type === 'cluster' ? it.counts[k] : it.kind === k ? 1 : 0),
          0,
        ),
      ]),
    );
    expect(byKind).toEqual(
      Object.fromEntries(KINDS.map((k) => [k, cameras.filter((c) => c.kind === k).length])),
    );
  });

  it('draws single cameras past the cluster zoom', () => {
    const small = { west: -80.246, south: 36.098, east: -80.242, north: 36.102 };
    const items = clusters.itemsIn(small, 18, new Set<CameraKind>(KINDS));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((it) => it.type === 'camera')).toBe(true);
  });

  it('says at which zoom a cluster comes apart', () => {
    const agencyOnly = new Set<CameraKind>(['agency']);
    const items = clusters.itemsIn(box, 10, agencyOnly);
    const cluster = items.find((it) => it.type === 'cluster');
    expect(cluster).toBeDefined();
    if (cluster?.type === 'cluster')
      expect(clusters.expansionZoom(agencyOnly, cluster.clusterId)).toBeGreaterThan(10);
  });
});
