/**
 * Inference with the from-scratch MLP: class probabilities for images, and
 * the loss and accuracy on a labelled set.
 *
 * @module
 */
import type { LabelledImages } from "../data/mod.ts";
import { checkImageSet } from "./checks.ts";
import { countCorrect, softmax, softmaxCrossEntropy } from "./math.ts";
import type { ScratchMlp } from "./network.ts";
import { createWorkspace, forwardPass, setBatchRows, type Workspace } from "./passes.ts";

/** Images per forward pass at inference: large enough to be fast, small enough to stay in cache. */
const INFERENCE_BATCH = 256;

/** The loss, accuracy and outputs of a network on a labelled set. */
export interface ScratchEvaluation {
  /** Mean cross-entropy, -mean log p(true class), computed from the logits. */
  loss: number;
  /** Fraction of images whose most probable class is the label, 0 to 1. */
  accuracy: number;
  /** Softmax outputs, probabilities in [0, 1], shape [count, classes], row-major. */
  probabilities: Float32Array;
}

/**
 * Runs `count` images through the network in chunks, calling `visit` with
 * the logits of each chunk and the index of its first image.
 */
function forEachChunk(
  network: ScratchMlp,
  pixels: Float32Array,
  visit: (workspace: Workspace, start: number) => void,
): void {
  const inputs = network.layerSizes[0], count = pixels.length / inputs;
  const workspace = createWorkspace(network, Math.min(INFERENCE_BATCH, count));
  for (let start = 0; start < count; start += workspace.capacity) {
    const rows = Math.min(workspace.capacity, count - start);
    setBatchRows(workspace, rows);
    workspace.input.data.set(
      pixels.subarray(start * inputs, (start + rows) * inputs),
    );
    forwardPass(network, workspace);
    visit(workspace, start);
  }
}

/**
 * Returns the softmax probabilities of `count` images, `count * classes`
 * values, row by row.
 *
 * @example
 * ```ts
 * const probabilities = predictScratchMlp(network, test.pixels, test.count);
 * probabilities.length; // test.count * 10
 * ```
 */
export function predictScratchMlp(
  network: ScratchMlp,
  pixels: Float32Array,
  count: number,
): Float32Array {
  checkImageSet(network, { pixels, count }, { action: "predict with the scratch MLP" });
  const classes = network.layerSizes.at(-1)!;
  const probabilities = new Float32Array(count * classes);
  forEachChunk(network, pixels, (workspace, start) => {
    const logits = workspace.activations.at(-1)!;
    softmax(logits);
    probabilities.set(
      logits.data.subarray(0, logits.rows * classes),
      start * classes,
    );
  });
  return probabilities;
}

/**
 * Measures the mean cross-entropy, the accuracy and the probabilities on a
 * labelled set, in one forward pass.
 *
 * @example
 * ```ts
 * const { loss, accuracy } = evaluateScratchMlp(network, prepared.test);
 * ```
 */
export function evaluateScratchMlp(
  network: ScratchMlp,
  set: LabelledImages,
): ScratchEvaluation {
  checkImageSet(network, set, { action: "evaluate the scratch MLP" });
  const classes = network.layerSizes.at(-1)!;
  const probabilities = new Float32Array(set.count * classes);
  let loss = 0, correct = 0;
  forEachChunk(network, set.pixels, (workspace, start) => {
    const logits = workspace.activations.at(-1)!;
    const labels = set.labels.subarray(start, start + logits.rows);
    loss += softmaxCrossEntropy(logits, labels); // logits become probabilities
    correct += countCorrect(logits, labels);
    probabilities.set(logits.data.subarray(0, logits.rows * classes), start * classes);
  });
  return { loss: loss / set.count, accuracy: correct / set.count, probabilities };
}
