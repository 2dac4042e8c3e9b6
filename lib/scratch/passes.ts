/**
 * The forward and backward passes of the from-scratch MLP over one batch,
 * in buffers allocated once per network and batch size.
 *
 * Forward, for each layer l: `z_l = a_{l-1} · W_l + b_l`, then
 * `a_l = relu(z_l)` except after the last layer, whose logits go through
 * softmax. Backward, from the last layer down: `δ_L = (p - y) / n`, then
 * `dW_l = a_{l-1}ᵀ · δ_l`, `db_l = Σ_rows δ_l` and
 * `δ_{l-1} = (δ_l · W_lᵀ) ⊙ relu'(z_{l-1})`.
 *
 * @module
 */
import {
  addBias,
  createMatrix,
  matmul,
  matmulTransposeA,
  matmulTransposeB,
  type Matrix,
  relu,
  reluBackward,
  softmaxCrossEntropyGradient,
  sumColumns,
} from "./math.ts";
import type { ScratchMlp } from "./network.ts";

/** The buffers one batch passes through; allocate once, reuse for every batch. */
export interface Workspace {
  /** The most rows (images) a batch may have. */
  capacity: number;
  /** The batch's inputs a_0, [rows, layerSizes[0]]. */
  input: Matrix;
  /** The batch's labels, `capacity` long. */
  labels: Uint8Array;
  /** a_l for each layer: ReLU outputs, then logits or probabilities last. */
  activations: Matrix[];
  /** δ_l = dL/dz_l for each layer (empty when made without gradients). */
  deltas: Matrix[];
  /** dL/dW_l for each layer, shaped like W_l (empty without gradients). */
  weightGradients: Matrix[];
  /** dL/db_l for each layer (empty without gradients). */
  biasGradients: Float32Array[];
  /** The same buffers as dW_1, db_1, dW_2, ..., in the order of `listParameters`. */
  gradients: Float32Array[];
}

/** Options for {@linkcode createWorkspace}. */
export interface WorkspaceOptions {
  /** Also allocate the deltas and gradients that training needs. Default false. */
  withGradients?: boolean;
}

/**
 * Allocates the buffers for batches of up to `capacity` images.
 *
 * @example
 * ```ts
 * const workspace = createWorkspace(createScratchMlp(), 64, { withGradients: true });
 * ```
 */
export function createWorkspace(
  network: ScratchMlp,
  capacity: number,
  options: WorkspaceOptions = {},
): Workspace {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(
      `Cannot create a workspace: capacity is ${capacity}, expected a positive integer`,
    );
  }
  const sizes = network.layerSizes;
  const outputs = sizes.slice(1);
  const layers = options.withGradients ? network.layers : [];
  const weightGradients = layers.map((layer) =>
    createMatrix(layer.weights.rows, layer.weights.cols)
  );
  const biasGradients = layers.map((layer) => new Float32Array(layer.biases.length));
  return {
    capacity,
    input: createMatrix(capacity, sizes[0]),
    labels: new Uint8Array(capacity),
    activations: outputs.map((size) => createMatrix(capacity, size)),
    deltas: layers.map((layer) => createMatrix(capacity, layer.biases.length)),
    weightGradients,
    biasGradients,
    gradients: weightGradients.flatMap((
      matrix,
      l,
    ) => [matrix.data, biasGradients[l]]),
  };
}

/**
 * Sets how many rows of the workspace the next batch fills.
 *
 * @example
 * ```ts
 * setBatchRows(workspace, 48); // the last, shorter batch
 * ```
 */
export function setBatchRows(workspace: Workspace, rows: number): void {
  if (!Number.isInteger(rows) || rows < 1 || rows > workspace.capacity) {
    throw new RangeError(
      `Cannot size a batch: rows is ${rows}, expected an integer from 1 to ${workspace.capacity}`,
    );
  }
  workspace.input.rows = rows;
  for (const matrix of workspace.activations) matrix.rows = rows;
  for (const matrix of workspace.deltas) matrix.rows = rows;
}

/**
 * Runs the batch in `workspace.input` forward and returns the logits
 * `z_L` (the last of `workspace.activations`), before softmax.
 *
 * @example
 * ```ts
 * const logits = forwardPass(network, workspace);
 * ```
 */
export function forwardPass(network: ScratchMlp, workspace: Workspace): Matrix {
  const last = network.layers.length - 1;
  let input = workspace.input;
  for (let l = 0; l <= last; l++) {
    const layer = network.layers[l], z = workspace.activations[l];
    matmul(input, layer.weights, { out: z }); // z = a · W
    addBias(z, layer.biases); // z += b
    if (l < last) relu(z); // a = relu(z)
    input = z;
  }
  return input;
}

/**
 * Back-propagates the mean cross-entropy of the batch and leaves the
 * gradients in `workspace.gradients`. Call it after {@linkcode forwardPass}
 * and `softmaxCrossEntropy`, so that the last activations hold the
 * probabilities p and `workspace.labels` the labels y.
 *
 * @example
 * ```ts
 * backwardPass(network, workspace); // workspace.gradients = [dW1, db1, ...]
 * ```
 */
export function backwardPass(network: ScratchMlp, workspace: Workspace): void {
  const { activations, deltas, weightGradients, biasGradients } = workspace;
  if (deltas.length === 0) {
    throw new TypeError(
      "Cannot back-propagate: the workspace has no gradient buffers, expected one made with { withGradients: true }",
    );
  }
  const last = network.layers.length - 1;
  // δ_L = (p - y) / n
  softmaxCrossEntropyGradient(activations[last], workspace.labels, { out: deltas[last] });
  for (let l = last; l >= 0; l--) {
    const layer = network.layers[l], delta = deltas[l];
    const input = l === 0 ? workspace.input : activations[l - 1];
    matmulTransposeA(input, delta, { out: weightGradients[l] }); // dW = aᵀ · δ
    sumColumns(delta, biasGradients[l]); // db = Σ_rows δ
    if (l > 0) {
      matmulTransposeB(delta, layer.weights, { out: deltas[l - 1] }); // δ · Wᵀ
      reluBackward(deltas[l - 1], activations[l - 1]); // ⊙ relu'(z)
    }
  }
}
