import assert from "node:assert/strict";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { ScratchDigitModel } from "../../lib/models/mod.ts";
import { createRandom, shuffledIndices } from "../../lib/random.ts";
import { createScratchMlp, trainScratchMlp } from "../../lib/scratch/mod.ts";

const random = createRandom(9);
const set = (count: number) => ({
  pixels: Float32Array.from({ length: count * IMAGE_PIXELS }, () => random()),
  labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
  count,
});
const data = { train: set(100), validation: set(20) };

Deno.test("an epoch through the interface trains exactly as trainScratchMlp's first epoch", async () => {
  const reference = createScratchMlp({ seed: 1 });
  const history = await trainScratchMlp(reference, data, { epochs: 1, batchSize: 32, seed: 7 });
  const model = new ScratchDigitModel(createScratchMlp({ seed: 1 }), { id: "scratch", label: "S" });
  model.compile({ learningRate: 1e-3 });
  const logs = await model.trainEpoch(data.train, {
    batchSize: 32,
    order: shuffledIndices(100, createRandom(7)),
    epoch: 1,
    epochs: 1,
  });
  assert.equal(logs.loss, history.loss[0]);
  assert.equal(logs.accuracy, history.accuracy[0]);
  assert.deepEqual(model.network.layers[0].weights.data, reference.layers[0].weights.data);
  const evaluation = await model.evaluate(data.validation);
  assert.equal(evaluation.loss, history.valLoss[0]);
  assert.equal(evaluation.accuracy, history.valAccuracy[0]);
  assert.deepEqual(evaluation.probabilities, await model.predict(data.validation.pixels, 20));
});

Deno.test("training before compile is a TypeError naming the model", () => {
  const model = new ScratchDigitModel(createScratchMlp({ seed: 1 }), { id: "scratch", label: "S" });
  assert.throws(
    () =>
      model.trainEpoch(data.train, {
        batchSize: 32,
        order: shuffledIndices(100, createRandom(1)),
        epoch: 1,
        epochs: 1,
      }),
    {
      name: "TypeError",
      message: "Cannot train scratch: it is not compiled, expected compile() first",
    },
  );
});
