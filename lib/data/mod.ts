/**
 * Data: reading MNIST and its kin from IDX, gzip and CSV files, and
 * preparing splits for the models (pixels scaled to [0, 1], a validation
 * split taken from the end of the training set), and seeded augmentation of
 * training images.
 *
 * @example
 * ```ts
 * import { loadDataset, prepareData } from "./lib/data/mod.ts";
 *
 * const prepared = prepareData(await loadDataset({ dataset: "mnist" }), { validationSplit: 0.1 });
 * prepared.train.count; // 54000
 * ```
 *
 * @module
 */
export * from "./sets.ts";
export * from "./idx.ts";
export * from "./gzip.ts";
export * from "./mnist_csv.ts";
export * from "./datasets.ts";
export * from "./preprocess.ts";
export * from "./class_balance.ts";
export * from "./augment.ts";
