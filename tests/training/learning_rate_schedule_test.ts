import assert from "node:assert/strict";
import { scheduledLearningRate } from "../../lib/training/mod.ts";

Deno.test("cosine gives PyTorch's CosineAnnealingLR values, stepped once an epoch", () => {
  // torch.optim.lr_scheduler.CosineAnnealingLR(SGD(lr=0.1), T_max=10): get_last_lr()
  // before each of the 10 epochs.
  const expected = [
    0.1,
    0.09755282581475769,
    0.09045084971874738,
    0.07938926261462367,
    0.06545084971874739,
    0.05000000000000001,
    0.03454915028125264,
    0.020610737385376353,
    0.009549150281252635,
    0.002447174185242324,
  ];
  expected.forEach((rate, i) => {
    const found = scheduledLearningRate("cosine", { learningRate: 0.1, epoch: i + 1, epochs: 10 });
    assert.ok(Math.abs(found - rate) < 1e-12, `epoch ${i + 1}: ${found}, expected ${rate}`);
  });
});

Deno.test("constant keeps the learning rate; an epoch outside the run is refused", () => {
  assert.equal(
    scheduledLearningRate("constant", { learningRate: 3e-4, epoch: 7, epochs: 7 }),
    3e-4,
  );
  for (const epoch of [0, 8, 1.5]) {
    assert.throws(
      () => scheduledLearningRate("cosine", { learningRate: 1e-3, epoch, epochs: 7 }),
      new RegExp(
        `Cannot schedule the learning rate: epoch is ${epoch} of 7, expected a whole number`,
      ),
    );
  }
});
