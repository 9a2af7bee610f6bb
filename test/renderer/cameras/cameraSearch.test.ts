import { describe, expect, it } from 'vitest';
import { searchCameras, sortByName } from '../../../renderer/cameras/cameraSearch';
import type { Camera } from '../../../renderer/cameras/cameraStore';
import { testCamera } from '../support/cameraFixture';

const cam = (id: string, name: string, address: string | null = null): Camera =>
  testCamera(id, { name, address, hasSubstream: false });

const cameras = sortByName([
  cam('1', 'Traffic camera 4', '100 block N Main St'),
  cam('2', 'Main St garage', null),
  cam('3', 'Bank 10', '500 block Stadium Dr'),
  cam('4', 'Apartments 13', '3300 block Patterson Ave'),
  cam('5', 'Bank 9', null),
]);

describe('camera search', () => {
  it('matches every word in the name or address, case-blind, names starting with the first word first', () => {
    const r = searchCameras(cameras, 'main', 10);
    expect(r.items.map((c) => c.id)).toEqual(['2', '1']);
    expect(r.total).toBe(2);
    expect(searchCameras(cameras, 'STADIUM bank', 10).items.map((c) => c.id)).toEqual(['3']);
    expect(searchCameras(cameras, 'bank patterson', 10).total).toBe(0);
  });

  it('an empty query lists all by name, up to the limit, and counts them all', () => {
    const r = searchCameras(cameras, '  ', 3);
    expect(r.total).toBe(5);
    // Numbers in names sort as numbers.
    expect(r.items.map((c) => c.name)).toEqual(['Apartments 13', 'Bank 9', 'Bank 10']);
  });
});
