/**
 * The hyperparameters a sweep may vary: the training settings `deno task
 * train` has flags for, with their kinds, and the parsing of one grid
 * dimension (`learningRate=3e-4,1e-3`) or one range (`learningRate=1e-4..1e-2`).
 * Numeric settings take lists or ranges; categorical ones (the optimizer,
 * the augmentation preset, the learning-rate schedule) take lists, drawn from uniformly by `--random`.
 *
 * @module
 */
import { LEARNING_RATE_SCHEDULE_IDS } from "../config.ts";
import { AUGMENT_PRESET_IDS } from "../data/mod.ts";
import { OPTIMIZER_IDS } from "../models/mod.ts";

/** A training setting a sweep may vary. */
export type SweepKey =
  | "learningRate"
  | "batchSize"
  | "epochs"
  | "dropoutRate"
  | "optimizer"
  | "augment"
  | "learningRateSchedule";

/** A setting's value: a number, or the id of a choice ("sgd", "light"). */
export type SweepValue = number | string;

/** How a setting is passed to `deno task train`, checked and drawn at random. */
export interface SweepKeySpec {
  /** The train command's flag. */
  flag: string;
  /** The values of a categorical setting, in their natural order; absent for a numeric one. */
  choices?: readonly string[];
  /** Whether it must be a whole number. */
  whole: boolean;
  /** Whether random draws are log-uniform (a scale parameter) rather than uniform. */
  logScale: boolean;
  /** Whether 0 is allowed; otherwise a number must be above 0. */
  zero?: boolean;
  /** A bound the number must stay below, exclusive; default none. */
  below?: number;
}

/** Every key a sweep accepts, with its flag and kind. */
export const SWEEP_KEYS: Readonly<Record<SweepKey, SweepKeySpec>> = {
  learningRate: { flag: "--learning-rate", whole: false, logScale: true },
  batchSize: { flag: "--batch-size", whole: true, logScale: true },
  epochs: { flag: "--epochs", whole: true, logScale: false },
  dropoutRate: { flag: "--dropout-rate", whole: false, logScale: false, zero: true, below: 1 },
  optimizer: { flag: "--optimizer", choices: OPTIMIZER_IDS, whole: false, logScale: false },
  augment: { flag: "--augment", choices: AUGMENT_PRESET_IDS, whole: false, logScale: false },
  learningRateSchedule: {
    flag: "--learning-rate-schedule",
    choices: LEARNING_RATE_SCHEDULE_IDS,
    whole: false,
    logScale: false,
  },
};

/** One dimension of a sweep: a list of values, or a range `[low, high]` for random draws. */
export interface SweepAxis {
  /** The setting varied. */
  key: SweepKey;
  /** The values of a grid, in the order given. */
  values?: SweepValue[];
  /** The bounds of a random draw of a numeric setting, inclusive. */
  range?: [number, number];
}

function isSweepKey(key: string): key is SweepKey {
  return Object.hasOwn(SWEEP_KEYS, key);
}

/**
 * Whether a setting is categorical (the optimizer, the augmentation preset)
 * rather than numeric.
 *
 * @example
 * ```ts
 * isCategorical("optimizer"); // true
 * isCategorical("learningRate"); // false
 * ```
 */
export function isCategorical(key: SweepKey): boolean {
  return SWEEP_KEYS[key].choices !== undefined;
}

/** Parses one value of a key, as the train command would check it. */
function parseValue(key: SweepKey, text: string): SweepValue {
  const { choices, whole, zero, below } = SWEEP_KEYS[key];
  if (choices !== undefined) {
    if (!choices.includes(text)) {
      throw new TypeError(
        `Cannot read ${key}: found "${text}", expected one of ${choices.join(", ")}`,
      );
    }
    return text;
  }
  const value = Number(text);
  const low = zero ? value >= 0 : value > 0;
  if (
    text.trim() === "" || !Number.isFinite(value) || !low || value >= (below ?? Infinity) ||
    (whole && !Number.isInteger(value))
  ) {
    const kind = whole ? "a whole number" : "a number";
    const range = below === undefined
      ? `${zero ? "0 or" : ""} above 0`.trim()
      : `from ${zero ? "0" : "above 0"} up to ${below}, exclusive`;
    throw new TypeError(`Cannot read ${key}: found "${text}", expected ${kind} ${range}`);
  }
  return value;
}

/** Parses `low..high` of a numeric key. */
function parseRange(key: SweepKey, text: string, bounds: string[]): [number, number] {
  if (isCategorical(key)) {
    throw new TypeError(
      `Cannot read range "${text}": ${key} is a choice, expected a list such as ${key}=${
        SWEEP_KEYS[key].choices!.join(",")
      }`,
    );
  }
  const range = bounds.map((bound) => parseValue(key, bound.trim())) as [number, number];
  if (range[0] > range[1]) {
    throw new TypeError(
      `Cannot read range "${text}": ${range[0]} is above ${range[1]}, expected low..high`,
    );
  }
  return range;
}

/**
 * Parses `key=v1,v2,...` (a grid dimension) or `key=low..high` (a range of
 * a numeric key, for `--random`).
 *
 * @throws {RangeError} for an unknown key, an empty list, or a value given
 *   twice (`learningRate=1e-3,0.001`).
 * @throws {TypeError} for a value of the wrong type or outside the key's
 *   choices, a range of a categorical key, or a range whose low end is above
 *   its high end.
 *
 * @example
 * ```ts
 * parseSweepAxis("learningRate=3e-4,1e-3"); // { key: "learningRate", values: [0.0003, 0.001] }
 * parseSweepAxis("batchSize=16..256"); // { key: "batchSize", range: [16, 256] }
 * parseSweepAxis("optimizer=adam,sgd"); // { key: "optimizer", values: ["adam", "sgd"] }
 * ```
 */
export function parseSweepAxis(text: string): SweepAxis {
  const equals = text.indexOf("=");
  const key = (equals < 0 ? text : text.slice(0, equals)).trim();
  if (!isSweepKey(key)) {
    throw new RangeError(
      `Cannot read grid "${text}": unknown key "${key}", expected one of ${
        Object.keys(SWEEP_KEYS).join(", ")
      }`,
    );
  }
  const list = equals < 0 ? "" : text.slice(equals + 1).trim();
  if (list === "" || list.split(",").every((word) => word.trim() === "")) {
    throw new RangeError(
      `Cannot read grid "${text}": the list of ${key} is empty, expected key=v1,v2`,
    );
  }
  const bounds = list.split("..");
  if (bounds.length === 2) return { key, range: parseRange(key, text, bounds) };
  const words = list.split(",").map((word) => word.trim());
  const values = words.map((word) => parseValue(key, word));
  const repeat = values.findIndex((value, index) => values.indexOf(value) !== index);
  if (repeat >= 0) {
    // Two equal values would be one trial twice over: refused, as --seeds refuses a repeated seed.
    const first = words[values.indexOf(values[repeat])];
    const spelt = first === words[repeat] ? "" : ` ("${first}" and "${words[repeat]}")`;
    throw new RangeError(
      `Cannot read grid "${text}": ${key} ${
        values[repeat]
      } comes twice${spelt}, expected each value once`,
    );
  }
  return { key, values };
}
