import assert from "node:assert/strict";
import { fitTemperature, scaleTemperature } from "../../lib/evaluation/mod.ts";
import { createRandom, type RandomSource } from "../../lib/random.ts";

/** A standard normal draw (Box-Muller). */
function normal(random: RandomSource): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Synthetic outputs: random logits z per image, labels drawn from softmax(z),
 * so softmax(z) is calibrated by construction; the outputs given are
 * softmax(sharpness * z), over-confident when sharpness > 1.
 */
function syntheticSet(count: number, sharpness: number, seed: number) {
  const random = createRandom(seed);
  const probabilities = new Float32Array(count * 10);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const logits = Array.from({ length: 10 }, () => 2 * normal(random));
    const softmax = (scale: number) => {
      const e = logits.map((z) => Math.exp(scale * z));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const truth = softmax(1);
    let u = random(), label = 0;
    while (label < 9 && u >= truth[label]) u -= truth[label++];
    labels[i] = label;
    probabilities.set(softmax(sharpness), i * 10);
  }
  return { probabilities, labels };
}

Deno.test("fitTemperature finds T = 1 for calibrated outputs", () => {
  const { probabilities, labels } = syntheticSet(4000, 1, 7);
  const fit = fitTemperature(probabilities, labels);
  assert.ok(Math.abs(fit.temperature - 1) < 0.08, `T = ${fit.temperature}, expected about 1`);
  assert.ok(fit.lossAfter <= fit.lossBefore);
});

Deno.test("fitTemperature finds T > 1, near the sharpening, for over-confident outputs", () => {
  const { probabilities, labels } = syntheticSet(4000, 3, 8);
  const fit = fitTemperature(probabilities, labels);
  assert.ok(Math.abs(fit.temperature - 3) < 0.3, `T = ${fit.temperature}, expected about 3`);
  assert.ok(fit.lossAfter < fit.lossBefore - 0.1, `${fit.lossAfter} vs ${fit.lossBefore}`);
});

Deno.test("scaleTemperature: T = 1 keeps the probabilities, T = 2 takes square roots", () => {
  const p = Float32Array.of(0.5, 0.25, 0.125, 0.125, 0, 0, 0, 0, 0, 0);
  const same = scaleTemperature(p, 1);
  p.forEach((value, k) => assert.ok(Math.abs(same[k] - value) < 1e-7, `class ${k}`));
  const softer = scaleTemperature(p, 2);
  // softmax(log p / 2) is sqrt(p) normalised; the zero classes get sqrt(1e-30) = 1e-15.
  const roots = [...p].map((v) => Math.sqrt(Math.max(v, 1e-30)));
  const sum = roots.reduce((a, b) => a + b, 0);
  roots.forEach((root, k) => assert.ok(Math.abs(softer[k] - root / sum) < 1e-6, `class ${k}`));
});

Deno.test("scaleTemperature and fitTemperature reject bad input", () => {
  const p = new Float32Array(10).fill(0.1);
  assert.throws(
    () => scaleTemperature(p, 0),
    new RangeError(
      "Cannot scale probabilities by a temperature: temperature is 0, expected a positive finite number",
    ),
  );
  assert.throws(
    () => fitTemperature(p, Uint8Array.of(1, 2)),
    new RangeError("Cannot fit a temperature: probabilities has 10 values, expected 2 x 10 = 20"),
  );
});
