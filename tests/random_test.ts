import assert from "node:assert/strict";
import { createRandom, shuffledIndices } from "../lib/random.ts";

/** Draws `count` values from a generator. */
function draw(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

/**
 * mulberry32 as its author published it (Tommy Ettinger; the common JS
 * port), seeded with the state createRandom derives from its seed.
 */
function referenceMulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("createRandom gives the same sequence for the same seed", () => {
  assert.deepEqual(draw(createRandom(42), 1000), draw(createRandom(42), 1000));
});

Deno.test("createRandom gives different sequences for different seeds", () => {
  const sequences = [0, 1, 2, 42, 43, 2 ** 31].map((seed) => draw(createRandom(seed), 20));
  for (let i = 0; i < sequences.length; i++) {
    for (let j = i + 1; j < sequences.length; j++) {
      assert.notDeepEqual(sequences[i], sequences[j], `seeds #${i} and #${j}`);
    }
  }
});

Deno.test("createRandom matches the reference mulberry32", () => {
  for (const seed of [0, 1, 42, 123456789]) {
    const reference = referenceMulberry32((seed >>> 0) ^ 0x9e3779b9);
    assert.deepEqual(draw(createRandom(seed), 500), draw(reference, 500), `seed ${seed}`);
  }
});

Deno.test("createRandom draws in [0, 1) with a uniform spread", () => {
  const values = draw(createRandom(7), 20_000);
  assert.ok(values.every((value) => value >= 0 && value < 1));
  // Each tenth of [0, 1) should get 2,000 draws; 5 standard deviations is ~212.
  const bins = new Array(10).fill(0);
  for (const value of values) bins[Math.floor(value * 10)]++;
  for (const count of bins) assert.ok(Math.abs(count - 2000) < 212, `bin count ${count}`);
});

Deno.test("shuffledIndices returns a permutation of 0..count-1", () => {
  for (const count of [0, 1, 2, 10, 1000]) {
    const indices = shuffledIndices(count, createRandom(count));
    assert.ok(indices instanceof Uint32Array);
    assert.deepEqual(Array.from(indices).sort((a, b) => a - b), [...Array(count).keys()]);
  }
  assert.notDeepEqual(Array.from(shuffledIndices(1000, createRandom(3))), [...Array(1000).keys()]);
});

Deno.test("shuffledIndices repeats for a seed and differs between seeds", () => {
  assert.deepEqual(shuffledIndices(500, createRandom(9)), shuffledIndices(500, createRandom(9)));
  assert.notDeepEqual(
    shuffledIndices(500, createRandom(9)),
    shuffledIndices(500, createRandom(10)),
  );
});

Deno.test("shuffledIndices draws each order of three items equally often", () => {
  // The classic mistake of swapping with any index, not only 0..i, draws
  // these orders 8,889 or 11,111 times; a fair shuffle gives 10,000 each
  // (standard deviation ~91).
  const random = createRandom(11);
  const counts = new Map<string, number>();
  for (let i = 0; i < 60_000; i++) {
    const order = shuffledIndices(3, random).join("");
    counts.set(order, (counts.get(order) ?? 0) + 1);
  }
  assert.equal(counts.size, 6);
  for (const [order, count] of counts) {
    assert.ok(Math.abs(count - 10_000) < 500, `order ${order} drawn ${count} times`);
  }
});
