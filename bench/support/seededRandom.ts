/**
 * A repeatable pseudo-random sequence in [0, 1) (a linear congruential generator), so a
 * benchmark's cameras and query points are the same on every run and every machine.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
