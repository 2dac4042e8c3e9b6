import assert from "node:assert/strict";
import { createRandom } from "../../lib/random.ts";
import { softmaxCrossEntropy } from "../../lib/scratch/math.ts";
import { createScratchMlp, listParameters } from "../../lib/scratch/network.ts";
import {
  backwardPass,
  createWorkspace,
  forwardPass,
  setBatchRows,
} from "../../lib/scratch/passes.ts";

const SIZES = [6, 5, 4, 3];
const ROWS = 5;

/**
 * An independent float64 forward pass: the mean cross-entropy of the batch
 * for parameters [W1, b1, W2, b2, ...], each W of shape [inputs, outputs].
 */
function referenceLoss(
  parameters: Float64Array[],
  inputs: Float64Array,
  labels: Uint8Array,
): number {
  let activations = Array.from(
    { length: ROWS },
    (_, i) => [...inputs.subarray(i * SIZES[0], (i + 1) * SIZES[0])],
  );
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const weights = parameters[2 * l], biases = parameters[2 * l + 1], outputs = SIZES[l + 1];
    activations = activations.map((row) =>
      Array.from({ length: outputs }, (_, j) => {
        const z = row.reduce((sum, value, k) => sum + value * weights[k * outputs + j], biases[j]);
        return l + 2 < SIZES.length ? Math.max(z, 0) : z;
      })
    );
  }
  const losses = activations.map((logits, i) => {
    const max = Math.max(...logits);
    const logSumExp = max + Math.log(logits.reduce((sum, z) => sum + Math.exp(z - max), 0));
    return logSumExp - logits[labels[i]];
  });
  return losses.reduce((sum, value) => sum + value, 0) / ROWS;
}

Deno.test("back-propagation matches central differences for every parameter", () => {
  const network = createScratchMlp({ seed: 7, layerSizes: SIZES });
  // Non-zero biases, so that the bias gradients are tested away from the He start.
  const random = createRandom(3);
  for (const layer of network.layers) {
    layer.biases.forEach((_, j) => layer.biases[j] = random() - 0.5);
  }
  const inputs = Float64Array.from(
    { length: ROWS * SIZES[0] },
    () => Math.fround(random() * 2 - 1),
  );
  const labels = Uint8Array.from({ length: ROWS }, (_, i) => i % 3);

  // A workspace larger than the batch, as for the last batch of an epoch.
  const workspace = createWorkspace(network, ROWS + 3, { withGradients: true });
  setBatchRows(workspace, ROWS);
  workspace.input.data.set(inputs);
  workspace.labels.set(labels);
  const loss = softmaxCrossEntropy(forwardPass(network, workspace), workspace.labels) / ROWS;
  backwardPass(network, workspace);

  const parameters = listParameters(network).map((values) => Float64Array.from(values));
  assert.ok(Math.abs(loss - referenceLoss(parameters, inputs, labels)) < 1e-6 * loss);
  const step = 1e-5;
  let checked = 0, nonZero = 0;
  parameters.forEach((values, p) => {
    for (let i = 0; i < values.length; i++) {
      const saved = values[i];
      values[i] = saved + step;
      const above = referenceLoss(parameters, inputs, labels);
      values[i] = saved - step;
      const below = referenceLoss(parameters, inputs, labels);
      values[i] = saved;
      const numerical = (above - below) / (2 * step), analytic = workspace.gradients[p][i];
      const scale = Math.max(Math.abs(numerical), Math.abs(analytic), 1e-7);
      assert.ok(
        Math.abs(numerical - analytic) <= 1e-3 * scale,
        `parameter ${p}[${i}]: back-propagation gives ${analytic}, central differences ${numerical}`,
      );
      checked++;
      if (analytic !== 0) nonZero++;
    }
  });
  assert.equal(checked, 6 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
  assert.ok(nonZero >= 0.8 * checked, `only ${nonZero} of ${checked} gradients are non-zero`);
});
