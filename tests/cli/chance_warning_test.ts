import assert from "node:assert/strict";
import { formatChanceWarning } from "../../lib/cli/mod.ts";

Deno.test("formatChanceWarning blames the moving statistics when the training images were learnt", () => {
  const finding = {
    id: "vgg",
    testAccuracy: 0.1135,
    testChance: 0.1135,
    validationAccuracy: 0.09,
    validationChance: 0.115,
    trainAccuracy: 0.5022,
    atChance: ["validation" as const, "test" as const],
  };
  assert.equal(
    formatChanceWarning(finding, { steps: 29 }),
    "warning: vgg: validation accuracy 9.00% (chance 11.50%) and test accuracy 11.35% " +
      "(chance 11.35%) are within 5 points of chance (the share of the split's most frequent " +
      "class) while its training accuracy was 50.22%: after only 29 training steps a " +
      "batch-normalised model's moving means and variances, which it classifies held-out " +
      "images with, have not settled; train on more images or for more epochs " +
      "(a larger --limit, or --epochs)",
  );
});

Deno.test("formatChanceWarning names only the splits at chance, and says when nothing was learnt", () => {
  const finding = {
    id: "mine",
    testAccuracy: 0.3,
    testChance: 0.1135,
    validationAccuracy: 0.12,
    validationChance: 0.11,
    trainAccuracy: 0.15,
    atChance: ["validation" as const],
  };
  assert.equal(
    formatChanceWarning(finding, { steps: 5, seed: 43 }),
    "warning: mine seed 43: validation accuracy 12.00% (chance 11.00%) is within 5 points of " +
      "chance (the share of the split's most frequent class) after 5 training steps: it has " +
      "not learnt yet; train on more images or for more epochs (a larger --limit, or --epochs)",
  );
});

Deno.test("formatChanceWarning says one training step, and the margin it was given", () => {
  const finding = {
    id: "mlp",
    testAccuracy: 0.2,
    testChance: 0.1135,
    trainAccuracy: 0.1,
    atChance: ["test" as const],
  };
  assert.match(
    formatChanceWarning(finding, { steps: 1, margin: 0.1 }),
    /is within 10 points of chance .* after 1 training step: it has not learnt yet/,
  );
});
