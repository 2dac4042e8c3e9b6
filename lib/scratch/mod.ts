/**
 * The MLP from scratch: a multilayer perceptron trained by hand-written
 * back-propagation over Float32Arrays, no framework, with weights that
 * NumPy can load.
 *
 * @example
 * ```ts
 * import { createScratchMlp, evaluateScratchMlp, saveScratchMlp, trainScratchMlp } from "./lib/scratch/mod.ts";
 *
 * const network = createScratchMlp({ seed: 42 });
 * await trainScratchMlp(network, { train, validation }, { epochs: 20 });
 * evaluateScratchMlp(network, test); // { loss, accuracy }
 * await saveScratchMlp(network, "out/models/scratch");
 * ```
 *
 * @module
 */
export * from "./checks.ts";
export * from "./math.ts";
export * from "./network.ts";
export * from "./passes.ts";
export * from "./optimizers.ts";
export * from "./train.ts";
export * from "./evaluate.ts";
export * from "./npy.ts";
export * from "./npz.ts";
export * from "./weights_io.ts";
// The shared types this module's signatures use, so its documentation is complete.
export type { BatchProgress, EpochSummary, TrainingCallbacks } from "../callbacks.ts";
export type { History } from "../results.ts";
export type { LabelledImages } from "../data/mod.ts";
