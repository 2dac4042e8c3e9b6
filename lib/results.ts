/**
 * What evaluation and reporting need of one trained model, whatever trained it.
 *
 * Training (tfjs or from scratch) produces a `ModelResult`; tables, charts and
 * the report consume lists of them, so they never depend on how a model works.
 *
 * @module
 */
import type { ModelId } from "./config.ts";
import type { History } from "./history.ts";

/** One trained and evaluated model. */
export interface ModelResult {
  /** Which model this is. */
  id: ModelId;
  /** Trainable parameters. */
  params: number;
  /** Epochs trained. */
  epochs: number;
  /** Wall time of training, validation included. */
  trainSeconds: number;
  /** Per-epoch training history. */
  history: History;
  /** Mean categorical cross-entropy on the test set. */
  testLoss: number;
  /** Accuracy on the test set, 0 to 1. */
  testAccuracy: number;
  /** Softmax outputs on the test set, `count * 10`, row-major. */
  probabilities: Float32Array;
  /** Test images classified per second. */
  inferImagesPerSecond: number;
}

/** The images and true labels the results were computed on. */
export interface LabelledImages {
  /** Pixels in [0, 1], `count * 784`, row-major. */
  pixels: Float32Array;
  /** True classes 0 to 9. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}
