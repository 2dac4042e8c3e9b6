/**
 * The gradients a backward pass of the from-scratch MLP left in its
 * workspace, as a table for notebook 02.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ScratchMlp, Workspace } from "../scratch/mod.ts";

/**
 * Lists the gradients a backward pass left in a workspace, one row per
 * parameter array: `parameter` (W1, b1, W2, ...), `shape`, and `norm`, the
 * gradient's Euclidean length, which shows how strongly each array is pulled.
 *
 * @example
 * ```ts
 * backwardPass(network, workspace);
 * gradientTable(network, workspace);
 * ```
 */
export function gradientTable(network: ScratchMlp, workspace: Workspace): pl.DataFrame {
  if (workspace.gradients.length !== network.layers.length * 2) {
    throw new TypeError(
      `Cannot list gradients: the workspace holds ${workspace.gradients.length} gradient arrays, expected ${
        network.layers.length * 2
      } (make it with { withGradients: true })`,
    );
  }
  const names = network.layers.flatMap((_, l) => [`W${l + 1}`, `b${l + 1}`]);
  const shapes = network.layers.flatMap((layer) => [
    `[${layer.weights.rows}, ${layer.weights.cols}]`,
    `[${layer.biases.length}]`,
  ]);
  const norms = workspace.gradients.map((gradient) =>
    Math.sqrt(gradient.reduce((sum, g) => sum + g * g, 0))
  );
  return pl.DataFrame([
    pl.Series("parameter", names, pl.String),
    pl.Series("shape", shapes, pl.String),
    pl.Series("norm", norms, pl.Float64),
  ]);
}
