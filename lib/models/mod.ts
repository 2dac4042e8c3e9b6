/**
 * Models: the one interface every model implements (`DigitModel`), the
 * registry that maps ids to builders, the architectures, and saving and
 * loading. Nothing outside this folder asks which kind of model it holds.
 *
 * @example
 * ```ts
 * import { createModelRegistry, loadModel } from "./lib/models/mod.ts";
 *
 * const cnn = createModelRegistry().get("cnn").build({ seed: 42 });
 * cnn.compile({ learningRate: 1e-3 });
 * await cnn.save("out/models/cnn");
 * const again = await loadModel("out/models/cnn");
 * ```
 *
 * @module
 */
export * from "./model.ts";
export * from "./registry.ts";
export * from "./load_model.ts";
export * from "./layers_model.ts";
export * from "./cross_entropy.ts";
export * from "./scratch_model.ts";
export * from "./layers_io.ts";
export * from "./keras_topology.ts";
export * from "./layer_table.ts";
export * from "./initializers.ts";
export * from "./mlp.ts";
export * from "./cnn.ts";
export * from "./lenet5.ts";
export * from "./vgg.ts";
export * from "./resnet.ts";
export * from "./densenet.ts";
export * from "./zoo_layers.ts";
export * from "./dropout.ts";
export * from "./tensors.ts";
export * from "./batch_progress.ts";
export * from "./train_step.ts";
export * from "./model_file.ts";
