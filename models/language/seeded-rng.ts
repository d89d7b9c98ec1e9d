/**
 * A small seeded random number generator (mulberry32) for reproducible LM sampling, and the one
 * PRNG of the test and benchmark fixtures (random weights, inputs): the same seed draws the same
 * numbers on every machine. Changing the algorithm changes every seeded fixture.
 *
 *   const rng = seededRng(42);
 *   rng();   // uniform in [0, 1)
 */
export function seededRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
