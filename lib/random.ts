/**
 * A small seeded pseudo-random generator, so that shuffles and splits repeat
 * exactly for a given seed (tfjs' own shuffle uses Math.random).
 *
 * @module
 */

/** A function returning uniform floats in [0, 1). */
export type RandomSource = () => number;

/**
 * Creates a seeded generator (mulberry32: 32-bit state, fast, good enough
 * for shuffling; not for cryptography).
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // the same first value for seed 42, every time
 * ```
 */
export function createRandom(seed: number): RandomSource {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns the indices 0..count-1 in an order drawn by a Fisher-Yates shuffle.
 *
 * @example
 * ```ts
 * shuffledIndices(5, createRandom(1)); // e.g. Uint32Array [3, 0, 4, 1, 2]
 * ```
 */
export function shuffledIndices(count: number, random: RandomSource): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = indices[i];
    indices[i] = indices[j];
    indices[j] = swap;
  }
  return indices;
}
