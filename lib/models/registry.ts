/**
 * The registry of models: each id maps to a builder of an untrained model
 * behind the `DigitModel` interface. Training, the command line and the
 * notebooks look models up here, so adding a model is one entry below plus
 * the file of its builder; a user adds their own with `register`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { DEFAULT_TRAINING, type LearningRateScheduleId, type ModelId } from "../config.ts";
import { AUGMENT_PRESETS, type AugmentSettings } from "../data/mod.ts";
import { createScratchMlp, SCRATCH_DEFAULT_EPOCHS } from "../scratch/mod.ts";
import { CNN_DROPOUT_RATE, createCnn } from "./cnn.ts";
import { createDensenet, DEFAULT_DENSENET_EPOCHS } from "./densenet.ts";
import type { CreateModelOptions } from "./initializers.ts";
import { LayersDigitModel } from "./layers_model.ts";
import { createLenet5, DEFAULT_LENET5_EPOCHS } from "./lenet5.ts";
import { createMlp, MLP_DROPOUT_RATE } from "./mlp.ts";
import { createResnet, DEFAULT_RESNET_EPOCHS } from "./resnet.ts";
import type { DigitModel } from "./model.ts";
import { ScratchDigitModel } from "./scratch_model.ts";
import { createVgg, DEFAULT_VGG_EPOCHS, VGG_DROPOUT_RATE } from "./vgg.ts";

/** Options for building a registered model. */
export interface BuildModelOptions {
  /** Seed of the initial weights and of the dropout masks. */
  seed: number;
  /**
   * Share of units the model's dropout layers drop while training, in
   * [0, 1). Default the model's own {@linkcode ModelEntry.dropoutRate}; a
   * model without dropout is never given one.
   */
  dropoutRate?: number;
}

/** One registered model: how to name it, build it and how long it trains by default. */
export interface ModelEntry {
  /** Its id: lower-case letters, digits, `_` and `-`, starting with a letter. */
  id: ModelId;
  /** Its name in tables, charts and the report. */
  label: string;
  /** Epochs it trains for unless told otherwise. Default 15, the original notebooks'. */
  defaultEpochs?: number;
  /**
   * How its learning rate moves over a run unless told otherwise. Default
   * "constant", as in the original notebooks.
   */
  learningRateSchedule?: LearningRateScheduleId;
  /**
   * How its training images are distorted each epoch unless told
   * otherwise. Default none.
   */
  augment?: AugmentSettings;
  /**
   * The rate of its dropout layers when none is asked for; absent for a
   * model without dropout, which then refuses `dropoutRate`.
   */
  dropoutRate?: number;
  /** Builds an untrained model; the same seed builds the same weights. */
  build(options: BuildModelOptions): DigitModel;
}

/** The shape of a tfjs builder such as `createCnn`. */
export type LayersBuilder = (options: CreateModelOptions) => tf.LayersModel;

/**
 * Makes a registry entry of a tfjs layers builder.
 *
 * @example
 * ```ts
 * layersEntry({ id: "cnn", label: "CNN", build: createCnn });
 * ```
 */
export function layersEntry(
  entry: Omit<ModelEntry, "build"> & { build: LayersBuilder },
): ModelEntry {
  return {
    ...entry,
    build: (options) =>
      new LayersDigitModel(entry.build(options), { id: entry.id, label: entry.label }),
  };
}

/** The built-in models, in the order reports list them. */
function builtInEntries(): ModelEntry[] {
  return [
    layersEntry({ id: "mlp", label: "MLP", dropoutRate: MLP_DROPOUT_RATE, build: createMlp }),
    layersEntry({ id: "cnn", label: "CNN", dropoutRate: CNN_DROPOUT_RATE, build: createCnn }),
    {
      id: "scratch",
      label: "MLP from scratch",
      defaultEpochs: SCRATCH_DEFAULT_EPOCHS,
      build: ({ seed }) =>
        new ScratchDigitModel(createScratchMlp({ seed }), {
          id: "scratch",
          label: "MLP from scratch",
        }),
    },
    layersEntry({
      id: "lenet5",
      label: "LeNet-5",
      defaultEpochs: DEFAULT_LENET5_EPOCHS,
      learningRateSchedule: "cosine",
      // LeCun et al. 1998 trained their best LeNet-5 on distorted images too (section III).
      augment: AUGMENT_PRESETS.standard,
      build: createLenet5,
    }),
    layersEntry({
      id: "vgg",
      label: "VGG",
      defaultEpochs: DEFAULT_VGG_EPOCHS,
      learningRateSchedule: "cosine",
      dropoutRate: VGG_DROPOUT_RATE,
      build: createVgg,
    }),
    layersEntry({
      id: "resnet",
      label: "ResNet",
      defaultEpochs: DEFAULT_RESNET_EPOCHS,
      learningRateSchedule: "cosine",
      build: createResnet,
    }),
    layersEntry({
      id: "densenet",
      label: "DenseNet",
      defaultEpochs: DEFAULT_DENSENET_EPOCHS,
      learningRateSchedule: "cosine",
      build: createDensenet,
    }),
  ];
}

/** Named lists of models that `--model` accepts as one word. */
export const MODEL_GROUPS: Readonly<Record<string, readonly ModelId[]>> = {
  all: ["mlp", "cnn", "scratch"],
  zoo: ["mlp", "cnn", "lenet5", "vgg", "resnet", "densenet"],
};

/** What a registry id may look like: it names folders, files and table columns. */
const MODEL_ID = /^[a-z][a-z0-9_-]*$/;

/** The models known by id, built-in ones first. */
export class ModelRegistry {
  readonly #entries = new Map<ModelId, ModelEntry>();

  constructor(entries: readonly ModelEntry[] = []) {
    entries.forEach((entry) => this.register(entry));
  }

  /**
   * Adds a model.
   *
   * @throws {RangeError} when the id is taken, is a group name, or is not a plain id.
   */
  register(entry: ModelEntry): void {
    const taken = this.#entries.has(entry.id) || Object.hasOwn(MODEL_GROUPS, entry.id);
    if (taken || !MODEL_ID.test(entry.id)) {
      const why = taken ? "is taken" : "is not a plain id";
      throw new RangeError(
        `Cannot register model "${entry.id}": the id ${why}, expected a new id of lower-case letters, digits, "_" and "-"`,
      );
    }
    this.#entries.set(entry.id, entry);
  }

  /** Whether a model is registered under `id`. */
  has(id: ModelId): boolean {
    return this.#entries.has(id);
  }

  /**
   * The entry of `id`.
   *
   * @throws {RangeError} naming the ids known, when `id` is not one.
   */
  get(id: ModelId): ModelEntry {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      throw new RangeError(`Unknown model "${id}": expected one of ${this.ids().join(", ")}`);
    }
    return entry;
  }

  /** Every id, in the order registered. */
  ids(): ModelId[] {
    return [...this.#entries.keys()];
  }

  /** The label of `id`, or the id itself for a model this registry does not know. */
  labelOf(id: ModelId): string {
    return this.#entries.get(id)?.label ?? id;
  }

  /**
   * The dropout rate `id` trains with unless told otherwise, or undefined
   * when it has no dropout layer.
   *
   * @throws {RangeError} naming the ids known, when `id` is not one.
   */
  dropoutRateOf(id: ModelId): number | undefined {
    return this.get(id).dropoutRate;
  }

  /**
   * The learning-rate schedule `id` trains with unless told otherwise.
   *
   * @throws {RangeError} naming the ids known, when `id` is not one.
   */
  learningRateScheduleOf(id: ModelId): LearningRateScheduleId {
    return this.get(id).learningRateSchedule ?? "constant";
  }

  /**
   * How `id` distorts its training images unless told otherwise, or
   * undefined when it trains on them as they are.
   *
   * @throws {RangeError} naming the ids known, when `id` is not one.
   */
  augmentOf(id: ModelId): AugmentSettings | undefined {
    return this.get(id).augment;
  }

  /** The epochs `id` trains for unless told otherwise. */
  defaultEpochs(id: ModelId): number {
    return this.get(id).defaultEpochs ?? DEFAULT_TRAINING.epochs;
  }
}

/**
 * Creates a registry holding the built-in models: mlp, cnn and scratch (the
 * original comparison, `--model all`), and lenet5, vgg, resnet and densenet
 * (with mlp and cnn, the architecture zoo, `--model zoo`).
 *
 * @example
 * ```ts
 * const models = createModelRegistry();
 * const cnn = models.get("cnn").build({ seed: 42 });
 * cnn.params; // 225034
 * ```
 */
export function createModelRegistry(): ModelRegistry {
  return new ModelRegistry(builtInEntries());
}
