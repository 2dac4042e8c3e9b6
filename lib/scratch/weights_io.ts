/**
 * Saving and loading the from-scratch MLP as `weights.npz`: float32 arrays
 * W1, b1, W2, b2, ... with each Wk of shape [inputs, outputs], so that in
 * NumPy a forward pass is `relu(x @ W1 + b1)` and so on, x = pixels / 255.
 *
 * @module
 */
import { join } from "node:path";
import { createMatrix } from "./math.ts";
import {
  checkLayerSizes,
  DEFAULT_LAYER_SIZES,
  type DenseLayer,
  type ScratchMlp,
} from "./network.ts";
import type { NpyArray } from "./npy.ts";
import { decodeNpz, encodeNpz } from "./npz.ts";

/** The file name under the model directory. */
export const SCRATCH_WEIGHTS_FILE = "weights.npz";

/** Options for {@linkcode scratchMlpFromArrays}. */
export interface ScratchMlpFromArraysOptions {
  /** Where the arrays came from, for error messages. */
  source?: string;
  /** The architecture the arrays must have. Default {@linkcode DEFAULT_LAYER_SIZES}. */
  layerSizes?: readonly number[];
}

/** Options for {@linkcode loadScratchMlp}. */
export interface LoadScratchMlpOptions {
  /** The architecture the file must hold. Default {@linkcode DEFAULT_LAYER_SIZES}. */
  layerSizes?: readonly number[];
}

/**
 * Lists the network's parameters as named arrays, sharing its buffers.
 *
 * @example
 * ```ts
 * const arrays = scratchMlpToArrays(createScratchMlp());
 * arrays.W1.shape; // [784, 256]
 * ```
 */
export function scratchMlpToArrays(network: ScratchMlp): Record<string, NpyArray> {
  const arrays: Record<string, NpyArray> = {};
  network.layers.forEach((layer, l) => {
    arrays[`W${l + 1}`] = {
      data: layer.weights.data,
      shape: [layer.weights.rows, layer.weights.cols],
    };
    arrays[`b${l + 1}`] = { data: layer.biases, shape: [layer.biases.length] };
  });
  return arrays;
}

/** The shape each array must have, by name: W1 [inputs, outputs], b1 [outputs], ... */
function expectedShapes(layerSizes: readonly number[]): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    shapes.set(`W${l + 1}`, [layerSizes[l], layerSizes[l + 1]]);
    shapes.set(`b${l + 1}`, [layerSizes[l + 1]]);
  }
  return shapes;
}

/** Throws unless the arrays have exactly the expected names and shapes, and finite values. */
function checkArrays(
  arrays: Record<string, NpyArray>,
  shapes: Map<string, number[]>,
  source: string,
): void {
  const action = `Cannot load the scratch MLP from ${source}`;
  const names = [...shapes.keys()];
  const missing = names.find((name) => !(name in arrays));
  if (missing) {
    throw new TypeError(
      `${action}: array ${missing} is missing, expected arrays ${names.join(", ")}`,
    );
  }
  const extra = Object.keys(arrays).find((name) => !shapes.has(name));
  if (extra) {
    throw new TypeError(
      `${action}: found an extra array ${extra}, expected only ${names.join(", ")}`,
    );
  }
  for (const [name, shape] of shapes) {
    const { data, shape: found } = arrays[name];
    if (found.length !== shape.length || found.some((size, i) => size !== shape[i])) {
      throw new TypeError(`${action}: ${name} has shape [${found}], expected [${shape}]`);
    }
    const index = data.findIndex((value) => !Number.isFinite(value));
    if (index >= 0) {
      throw new RangeError(
        `${action}: ${name}[${index}] is ${data[index]}, expected finite numbers`,
      );
    }
  }
}

/**
 * Builds a network from named arrays (as {@linkcode scratchMlpToArrays}
 * makes them), checking names, shapes and values, and copying the data.
 *
 * @example
 * ```ts
 * const copy = scratchMlpFromArrays(scratchMlpToArrays(network));
 * ```
 */
export function scratchMlpFromArrays(
  arrays: Record<string, NpyArray>,
  options: ScratchMlpFromArraysOptions = {},
): ScratchMlp {
  const source = options.source ?? "arrays";
  const layerSizes = [...(options.layerSizes ?? DEFAULT_LAYER_SIZES)];
  checkLayerSizes("load the scratch MLP", layerSizes);
  checkArrays(arrays, expectedShapes(layerSizes), source);
  const layers: DenseLayer[] = [];
  for (let l = 1; l < layerSizes.length; l++) {
    const weights = createMatrix(layerSizes[l - 1], layerSizes[l]);
    weights.data.set(arrays[`W${l}`].data);
    layers.push({ weights, biases: arrays[`b${l}`].data.slice() });
  }
  return { layerSizes, layers };
}

/**
 * Writes `<directory>/weights.npz`, creating the directory. The file is
 * written beside and then renamed, so an interrupted save never leaves half
 * a file under the real name.
 *
 * @example
 * ```ts
 * await saveScratchMlp(network, "out/models/scratch");
 * ```
 */
export async function saveScratchMlp(network: ScratchMlp, directory: string): Promise<void> {
  const path = join(directory, SCRATCH_WEIGHTS_FILE);
  await Deno.mkdir(directory, { recursive: true });
  await Deno.writeFile(`${path}.partial`, encodeNpz(scratchMlpToArrays(network)));
  await Deno.rename(`${path}.partial`, path);
}

/**
 * Reads `<directory>/weights.npz` back into a network, with an error that
 * names the file, the array, what was found and what was expected when
 * the file is not what {@linkcode saveScratchMlp} writes.
 *
 * @example
 * ```ts
 * const network = await loadScratchMlp("out/models/scratch");
 * ```
 */
export async function loadScratchMlp(
  directory: string,
  options: LoadScratchMlpOptions = {},
): Promise<ScratchMlp> {
  const path = join(directory, SCRATCH_WEIGHTS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new Deno.errors.NotFound(
      `Cannot load the scratch MLP: ${path} does not exist, expected a file written by saveScratchMlp`,
      { cause: error },
    );
  }
  return scratchMlpFromArrays(decodeNpz(bytes, { source: path }), { source: path, ...options });
}
