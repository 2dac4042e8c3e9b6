import assert from "node:assert/strict";
import { formatEpochLine, formatProgressBar } from "../../lib/training/progress.ts";

Deno.test("formatProgressBar fills the bar in proportion and shows the figures", () => {
  const line = formatProgressBar(
    {
      epoch: 2,
      epochs: 15,
      batch: 422,
      batches: 844,
      loss: 0.31,
      accuracy: 0.91,
      imagesPerSecond: 1500.4,
    },
    { label: "cnn", width: 10 },
  );
  assert.equal(line, "cnn epoch 2/15 [#####-----] 422/844 loss 0.3100 acc 0.9100 1500 img/s");
});

Deno.test("formatEpochLine sums up an epoch", () => {
  const line = formatEpochLine({
    epoch: 1,
    epochs: 15,
    loss: 0.2,
    accuracy: 0.94,
    valLoss: 0.08,
    valAccuracy: 0.976,
    learningRate: 5e-4,
    seconds: 31.24,
    imagesPerSecond: 1731.2,
  }, "cnn");
  assert.equal(
    line,
    "cnn epoch 1/15 loss 0.2000 acc 0.9400 val_loss 0.0800 val_acc 0.9760 lr 5.0e-4 31.2 s 1731 img/s",
  );
});
