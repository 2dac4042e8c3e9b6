/**
 * The from-scratch MLP (`lib/scratch/`) behind the project's model
 * interface, so that it trains, evaluates, saves and predicts exactly where
 * the tfjs models do.
 *
 * @module
 */
import type { ModelId } from "../config.ts";
import type { LabelledImages } from "../data/mod.ts";
import {
  countScratchParams,
  createScratchTrainer,
  evaluateScratchMlp,
  predictScratchMlp,
  saveScratchMlp,
  type ScratchMlp,
  type ScratchTrainer,
  trainScratchEpoch,
} from "../scratch/mod.ts";
import type {
  CompileOptions,
  DigitModel,
  EpochLogs,
  EpochOptions,
  Evaluation,
  LayerSummary,
} from "./model.ts";

/** What names a wrapped from-scratch MLP. */
export interface ScratchDigitModelOptions {
  /** Its registry id. */
  id: ModelId;
  /** Its name in tables and charts. */
  label: string;
}

/** The from-scratch MLP as a `DigitModel`; `network` is its weights, for the notebook's look inside. */
export class ScratchDigitModel implements DigitModel {
  readonly id: ModelId;
  readonly label: string;
  /** The network's weights, updated in place by training. */
  readonly network: ScratchMlp;
  #compiled?: CompileOptions;
  #trainer?: ScratchTrainer;

  constructor(network: ScratchMlp, options: ScratchDigitModelOptions) {
    this.network = network;
    this.id = options.id;
    this.label = options.label;
  }

  get params(): number {
    return countScratchParams(this.network);
  }

  compile(options: CompileOptions): void {
    this.#compiled = options;
    this.#trainer = undefined;
  }

  trainEpoch(images: LabelledImages, options: EpochOptions): Promise<EpochLogs> {
    if (this.#compiled === undefined) {
      throw new TypeError(`Cannot train ${this.id}: it is not compiled, expected compile() first`);
    }
    // The trainer's buffers are sized by the batch, which only the first epoch tells.
    if (this.#trainer?.settings.batchSize !== options.batchSize) {
      this.#trainer = createScratchTrainer(this.network, {
        ...this.#compiled,
        batchSize: options.batchSize,
      });
    }
    return trainScratchEpoch(this.network, images, this.#trainer, options);
  }

  evaluate(images: LabelledImages): Promise<Evaluation> {
    return Promise.resolve(evaluateScratchMlp(this.network, images));
  }

  predict(pixels: Float32Array, count: number): Promise<Float32Array> {
    return Promise.resolve(predictScratchMlp(this.network, pixels, count));
  }

  save(directory: string): Promise<void> {
    return saveScratchMlp(this.network, directory);
  }

  summary(): LayerSummary[] {
    const last = this.network.layers.length - 1;
    return this.network.layers.map((layer, l) => ({
      name: `W${l + 1} [${layer.weights.rows}, ${layer.weights.cols}], b${
        l + 1
      } [${layer.biases.length}]`,
      type: l === last ? "Dense, softmax" : "Dense, ReLU",
      outputShape: [null, layer.weights.cols],
      params: layer.weights.data.length + layer.biases.length,
    }));
  }

  dispose(): void {
    // Typed arrays only: the garbage collector frees them.
  }
}
