import assert from "node:assert/strict";
import { gradientTable } from "../../lib/notebook/mod.ts";
import {
  backwardPass,
  createScratchMlp,
  createWorkspace,
  forwardPass,
  setBatchRows,
  softmaxCrossEntropy,
} from "../../lib/scratch/mod.ts";

Deno.test("gradientTable lists each gradient's norm, zero before and positive after a backward pass", () => {
  const network = createScratchMlp({ seed: 3, layerSizes: [4, 3, 2] });
  const workspace = createWorkspace(network, 2, { withGradients: true });
  setBatchRows(workspace, 2);
  workspace.input.data.set([1, 0, 0.5, 0.2, 0, 1, 0.3, 0.9]);
  workspace.labels.set([0, 1]);
  assert.deepEqual(gradientTable(network, workspace).getColumn("norm").toArray(), [0, 0, 0, 0]);
  softmaxCrossEntropy(forwardPass(network, workspace), workspace.labels);
  backwardPass(network, workspace);
  const table = gradientTable(network, workspace);
  assert.deepEqual(table.getColumn("parameter").toArray(), ["W1", "b1", "W2", "b2"]);
  assert.deepEqual(table.getColumn("shape").toArray(), ["[4, 3]", "[3]", "[3, 2]", "[2]"]);
  const expected = Math.hypot(...workspace.gradients[2]);
  assert.ok(Math.abs((table.getColumn("norm").toArray()[2] as number) - expected) < 1e-6);
  assert.ok((table.getColumn("norm").toArray()[3] as number) > 0);
  assert.throws(() => gradientTable(network, createWorkspace(network, 2)), {
    name: "TypeError",
    message:
      "Cannot list gradients: the workspace holds 0 gradient arrays, expected 4 (make it with { withGradients: true })",
  });
});
