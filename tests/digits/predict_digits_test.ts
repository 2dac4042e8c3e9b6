import assert from "node:assert/strict";
import { predictDigits } from "../../lib/digits/mod.ts";
import { ScratchDigitModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { createScratchMlp, predictScratchMlp } from "../../lib/scratch/mod.ts";

const model = new ScratchDigitModel(createScratchMlp({ seed: 1 }), { id: "scratch", label: "MLP" });

Deno.test("predictDigits gives each image its most probable digit and all ten probabilities", async () => {
  const random = createRandom(2);
  const pixels = Float32Array.from({ length: 3 * 784 }, () => random());
  const expected = predictScratchMlp(model.network, pixels, 3);
  const predictions = await predictDigits(model, pixels);
  assert.equal(predictions.length, 3);
  assert.deepEqual(predictions.flatMap((p) => p.probabilities), Array.from(expected));
  predictions.forEach((prediction) =>
    assert.equal(
      prediction.digit,
      prediction.probabilities.indexOf(Math.max(...prediction.probabilities)),
    )
  );
});

Deno.test("predictDigits refuses pixels that are not whole images", async () => {
  await assert.rejects(predictDigits(model, new Float32Array(785)), {
    name: "RangeError",
    message: "Cannot predict digits: got 785 pixels, expected a multiple of 784",
  });
  assert.deepEqual(await predictDigits(model, new Float32Array(0)), []);
});
