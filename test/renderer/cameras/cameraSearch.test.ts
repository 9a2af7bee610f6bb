import { describe, expect, it } from 'vitest';
import { searchCameras, searchIndex, sortByName } from '../../../renderer/cameras/cameraSearch';
import type { Camera } from '../../../renderer/cameras/cameraStore';
import { testCamera } from '../support/cameraFixture';

const cam = (id: string, name: string, address: string | null = null, more: Partial<Camera> = {}) =>
  testCamera(id, { name, address, hasSubstream: false, ...more });

const index = searchIndex(
  sortByName([
    cam('1', 'Traffic camera 4', '100 block N Main St'),
    cam('2', 'Main St garage', null),
    cam('3', 'Bank 10', '500 block Stadium Dr'),
    cam('4', 'Apartments 13', '3300 block Patterson Ave'),
    cam('5', 'Bank 9', null),
  ]),
);

const ids = (r: { items: Camera[] }) => r.items.map((c) => c.id);

describe('camera search', () => {
  it('matches every word in the name or address, case-blind, name matches before address matches', () => {
    const r = searchCameras(index, 'main', 10);
    expect(ids(r)).toEqual(['2', '1']);
    expect(r.ranks).toEqual(['prefix', 'address']);
    expect(r.total).toBe(2);
    expect(ids(searchCameras(index, 'STADIUM bank', 10))).toEqual(['3']);
    expect(searchCameras(index, 'bank patterson', 10).total).toBe(0);
  });

  it('an empty query lists all by name, up to the limit, and counts them all', () => {
    const r = searchCameras(index, '  ', 3);
    expect(r.total).toBe(5);
    // Numbers in names sort as numbers.
    expect(r.items.map((c) => c.name)).toEqual(['Apartments 13', 'Bank 9', 'Bank 10']);
  });

  it('puts the camera named as typed first, not one whose address holds the digits', () => {
    const city = searchIndex(
      sortByName([
        cam('c14', 'Church 14', '1300 block Liberty St'),
        cam('c30', 'Church 30', '800 block Waughtown St'),
        cam('c3', 'Church 3', '300 block Main St'),
      ]),
    );
    const r = searchCameras(city, 'church 30', 10);
    // "30" starts a word of Church 3's address ("300"), and starts no word of Church 14's (it
    // is inside "1300"): that one comes last, as a partial match.
    expect(ids(r)).toEqual(['c30', 'c3', 'c14']);
    expect(r.ranks).toEqual(['exact', 'address', 'partial']);
  });

  it('lists the exact name first, then names that start with it, then the rest by name', () => {
    const homes = searchIndex(
      sortByName([
        cam('r1', 'Residence camera 1', '33 block Elm St'),
        cam('r2', 'Residence camera 2'),
        cam('r3', 'Residence camera 3'),
        cam('r30', 'Residence camera 30'),
        cam('x', 'Camera 3 at the residence'),
      ]),
    );
    const r = searchCameras(homes, 'residence camera 3', 10);
    expect(ids(r)).toEqual(['r3', 'r30', 'x', 'r1']);
    expect(r.ranks).toEqual(['exact', 'prefix', 'name', 'address']);
  });

  it('matches kind and state words as well as names', () => {
    const mixed = searchIndex(
      sortByName([
        cam('a', 'Bank 1', null, { kind: 'agency' }),
        cam('i', 'Bank 2', null, { kind: 'integrated', alarmActive: true }),
        cam('r', 'Bank 3', null, { kind: 'registered' }),
        cam('n', 'Agency garage', null, { kind: 'integrated' }),
      ]),
    );
    expect(ids(searchCameras(mixed, 'agency bank', 10))).toEqual(['a']);
    expect(ids(searchCameras(mixed, 'integrated', 10))).toEqual(['n', 'i']);
    expect(ids(searchCameras(mixed, 'alarm', 10))).toEqual(['i']);
    // A keyword is also a word: "agency" finds the camera named so, whatever its kind.
    expect(ids(searchCameras(mixed, 'agency', 10))).toEqual(['n', 'a']);
  });

  it('keeps the best matches when more match than the limit', () => {
    const many = searchIndex(
      sortByName([
        ...Array.from({ length: 20 }, (_, i) => cam(`p${i}`, `Park ${i}`, '1 Oak St')),
        cam('oak', 'Oak St', null),
      ]),
    );
    const r = searchCameras(many, 'oak st', 3);
    expect(r.total).toBe(21);
    expect(ids(r)[0]).toBe('oak');
    expect(r.items).toHaveLength(3);
  });
});
