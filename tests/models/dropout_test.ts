import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createDropout } from "../../lib/models/dropout.ts";

function masks(seed: number, steps: number): number[][] {
  const layer = createDropout({ rate: 0.5, seed });
  const ones = tf.ones([4, 32]);
  const drawn = Array.from(
    { length: steps },
    () =>
      tf.tidy(() => Array.from((layer.apply(ones, { training: true }) as tf.Tensor).dataSync())),
  );
  ones.dispose();
  return drawn;
}

Deno.test("createDropout draws a new mask on every training step", () => {
  const [first, second] = masks(1, 2);
  assert.notDeepEqual(first, second);
  const dropped = first.filter((value) => value === 0).length;
  assert.ok(dropped > 30 && dropped < 98, `dropped ${dropped} of 128 units at rate 0.5`);
  assert.ok(
    first.every((value) => value === 0 || Math.abs(value - 2) < 1e-6),
    "kept units are scaled by 2",
  );
});

Deno.test("createDropout repeats its masks for a seed and differs across seeds", () => {
  assert.deepEqual(masks(5, 3), masks(5, 3));
  assert.notDeepEqual(masks(5, 1), masks(6, 1));
});

Deno.test("createDropout passes inputs through at inference and saves as a stock Dropout", () => {
  const layer = createDropout({ rate: 0.5, seed: 1 });
  const input = tf.tensor2d([[1, 2, 3]]);
  assert.deepEqual(Array.from((layer.apply(input) as tf.Tensor).dataSync()), [1, 2, 3]);
  assert.equal(layer.getClassName(), "Dropout");
  input.dispose();
});
