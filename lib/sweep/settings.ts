/**
 * The hyperparameters a sweep may vary: the training settings `deno task
 * train` has flags for, with their kinds, and the parsing of one grid
 * dimension (`learningRate=3e-4,1e-3`) or one range (`learningRate=1e-4..1e-2`).
 *
 * @module
 */

/** A training setting a sweep may vary. */
export type SweepKey = "learningRate" | "batchSize" | "epochs";

/** How a setting is passed to `deno task train` and drawn at random. */
export interface SweepKeySpec {
  /** The train command's flag. */
  flag: string;
  /** Whether it must be a whole number. */
  whole: boolean;
  /** Whether random draws are log-uniform (a scale parameter) rather than uniform. */
  logScale: boolean;
}

/** Every key a sweep accepts, with its flag and kind. */
export const SWEEP_KEYS: Readonly<Record<SweepKey, SweepKeySpec>> = {
  learningRate: { flag: "--learning-rate", whole: false, logScale: true },
  batchSize: { flag: "--batch-size", whole: true, logScale: true },
  epochs: { flag: "--epochs", whole: true, logScale: false },
};

/** One dimension of a sweep: a list of values, or a range `[low, high]` for random draws. */
export interface SweepAxis {
  /** The setting varied. */
  key: SweepKey;
  /** The values of a grid, in the order given. */
  values?: number[];
  /** The bounds of a random draw, inclusive. */
  range?: [number, number];
}

function isSweepKey(key: string): key is SweepKey {
  return Object.hasOwn(SWEEP_KEYS, key);
}

/** Parses one value of a key, as the train command would check it. */
function parseValue(key: SweepKey, text: string): number {
  const value = Number(text);
  const { whole } = SWEEP_KEYS[key];
  if (
    text.trim() === "" || !Number.isFinite(value) || value <= 0 ||
    (whole && !Number.isInteger(value))
  ) {
    throw new TypeError(
      `Cannot read ${key}: found "${text}", expected ${
        whole ? "a whole number" : "a number"
      } above 0`,
    );
  }
  return value;
}

/**
 * Parses `key=v1,v2,...` (a grid dimension) or `key=low..high` (a range for
 * `--random`).
 *
 * @throws {RangeError} for an unknown key or an empty list.
 * @throws {TypeError} for a value of the wrong type, or a range whose low end is above its high end.
 *
 * @example
 * ```ts
 * parseSweepAxis("learningRate=3e-4,1e-3"); // { key: "learningRate", values: [0.0003, 0.001] }
 * parseSweepAxis("batchSize=16..256"); // { key: "batchSize", range: [16, 256] }
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
  if (bounds.length === 2) {
    const range = bounds.map((bound) => parseValue(key, bound.trim())) as [number, number];
    if (range[0] > range[1]) {
      throw new TypeError(
        `Cannot read range "${text}": ${range[0]} is above ${range[1]}, expected low..high`,
      );
    }
    return { key, range };
  }
  const values = list.split(",").map((word) => parseValue(key, word.trim()));
  return { key, values: [...new Set(values)] };
}
