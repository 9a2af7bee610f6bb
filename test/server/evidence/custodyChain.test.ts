import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CustodyEntry } from '../../../shared/api/evidence';
import {
  findCustodyBreak,
  GENESIS_HASH,
  hashCustodyEntry,
} from '../../../server/evidence/custodyChain';

/** A case's custody chain, each entry linked to and hashed over the one before. */
function chainOf(bodies: readonly Omit<CustodyEntry, 'seq' | 'prevHash' | 'hash'>[]) {
  const entries: CustodyEntry[] = [];
  for (const [i, body] of bodies.entries()) {
    const linked = { ...body, seq: i + 1, prevHash: entries.at(-1)?.hash ?? GENESIS_HASH };
    entries.push({ ...linked, hash: hashCustodyEntry(linked) });
  }
  return entries;
}

const REQUESTED = {
  caseNumber: 'RTCC-2026-0042',
  at: '2026-11-29T14:00:00.000Z',
  action: 'requested' as const,
  actor: 'Analyst Ada',
  fileId: null,
  details: { camera: 'cam-17', range: ['14:00', '14:05'] },
};
const FETCHED = {
  ...REQUESTED,
  at: '2026-11-29T14:00:09.000Z',
  action: 'fetched' as const,
  fileId: 'f-1',
  details: { bytes: 1024 },
};
const HASHED = {
  ...FETCHED,
  at: '2026-11-29T14:00:10.000Z',
  action: 'hashed' as const,
  details: { sha256: 'ab'.repeat(32) },
};

describe('chain of custody', () => {
  it('hashes an entry as SHA-256 of its canonical JSON, every field and the link included', () => {
    // A package's custody.jsonl is checked with nothing but itself, by anyone's tools: the
    // encoding is pinned here byte for byte.
    const entry = { ...REQUESTED, seq: 1, prevHash: GENESIS_HASH };
    const body =
      '{"action":"requested","actor":"Analyst Ada","at":"2026-11-29T14:00:00.000Z",' +
      '"caseNumber":"RTCC-2026-0042","details":{"camera":"cam-17","range":["14:00","14:05"]},' +
      `"fileId":null,"prevHash":"${GENESIS_HASH}","seq":1}`;
    expect(hashCustodyEntry(entry)).toBe(createHash('sha256').update(body).digest('hex'));
    // A field outside the entry's content does not count (the hash itself, when rehashing a row).
    expect(hashCustodyEntry({ ...entry, hash: 'x' } as CustodyEntry)).toBe(hashCustodyEntry(entry));
  });

  it('accepts an intact chain, and an empty one', () => {
    expect(findCustodyBreak(chainOf([REQUESTED, FETCHED, HASHED]))).toBeNull();
    expect(findCustodyBreak([])).toBeNull();
  });

  it('finds an entry changed after it was written, whatever field was changed', () => {
    const changes: Partial<CustodyEntry>[] = [
      { caseNumber: 'RTCC-2026-0043' },
      { at: '2026-11-29T14:00:11.000Z' },
      { action: 'exported' },
      { actor: 'Officer Bob' },
      { fileId: 'f-2' },
      { details: { sha256: 'cd'.repeat(32) } },
    ];
    for (const change of changes) {
      const entries = chainOf([REQUESTED, FETCHED, HASHED]);
      entries[2] = { ...entries[2]!, ...change };
      expect(findCustodyBreak(entries), JSON.stringify(change)).toEqual({
        entry: 3,
        problem: 'was changed after it was written (its hash does not match)',
      });
    }
  });

  it('finds an entry removed or moved by its number', () => {
    const entries = chainOf([REQUESTED, FETCHED, HASHED]);
    expect(findCustodyBreak([entries[0]!, entries[2]!])).toEqual({
      entry: 2,
      problem: 'is numbered 3: an entry before it is missing or moved',
    });
    expect(findCustodyBreak(entries.slice(1))).toEqual({
      entry: 1,
      problem: 'is numbered 2: an entry before it is missing or moved',
    });
  });

  it('finds an entry renumbered into place by its broken link', () => {
    const entries = chainOf([REQUESTED, FETCHED, HASHED]);
    // The second entry dropped and the third renumbered and rehashed: its link still names the
    // dropped entry.
    const renumbered = { ...entries[2]!, seq: 2 };
    const forged = { ...renumbered, hash: hashCustodyEntry(renumbered) };
    expect(findCustodyBreak([entries[0]!, forged])).toEqual({
      entry: 2,
      problem: 'does not follow the entry before it (its link is broken)',
    });
    // A chain that does not start from the genesis hash is broken at its first entry.
    const first = { ...entries[0]!, prevHash: entries[1]!.hash };
    expect(findCustodyBreak([{ ...first, hash: hashCustodyEntry(first) }])).toEqual({
      entry: 1,
      problem: 'does not follow the entry before it (its link is broken)',
    });
  });
});
