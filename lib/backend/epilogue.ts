/**
 * Bias and activation of FusedConv2D and _FusedMatMul outputs.
 *
 * With no activation or a ReLU, the product writes its output (BLAS
 * beta = 0) and one SIMD pass, split across the wasm threads, adds the bias
 * and applies the ReLU in place. Before, the bias was copied into every
 * output row for the product to accumulate onto, and the stock Relu ran a
 * second pass on one thread: on the CNN's first layer (64x26x26x32 floats)
 * the copy alone took a twentieth of a training step. With ReLU6 the bias
 * is still written first and the stock kernel's loop runs after.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, offsetOf, type TensorInfo } from "./heap.ts";
import { addBiasRows } from "./bias_add.ts";

/** The fused activations computed here; others fall back to stock kernels. */
export type FusableActivation = "linear" | "relu" | "relu6";

/**
 * Whether `activation` (a kernel attribute) is computed here.
 *
 * @example
 * ```ts
 * isFusableActivation("relu"); // true
 * isFusableActivation("elu"); // false: the stock kernel runs
 * ```
 */
export function isFusableActivation(
  activation: unknown,
): activation is FusableActivation {
  return activation == null || activation === "linear" ||
    activation === "relu" || activation === "relu6";
}

/**
 * Fills `rows` rows of `columns` floats at heap index `out` with the bias
 * at heap index `bias`.
 *
 * @example
 * ```ts
 * fillRowsWithBias(heapF32(backend), { out, rows: 64, columns: 128, bias });
 * ```
 */
export function fillRowsWithBias(
  heap: Float32Array,
  target: { out: number; rows: number; columns: number; bias: number },
): void {
  const { out, rows, columns, bias } = target;
  if (rows === 0 || columns === 0) return;
  heap.copyWithin(out, bias, bias + columns);
  const total = rows * columns;
  for (let filled = columns; filled < total; filled *= 2) {
    heap.copyWithin(out + filled, out, out + Math.min(filled, total - filled));
  }
}

type UnaryInPlace = (id: number, dtype: number, outId: number) => void;

interface CwrapModule {
  cwrap(name: string, returns: null, args: string[]): UnaryInPlace;
}

const compiled = new WeakMap<BackendWasm, Map<string, UnaryInPlace>>();

/** The stock wasm module's unary function `name` (Relu, Relu6). */
function unaryOf(backend: BackendWasm, name: string): UnaryInPlace {
  let functions = compiled.get(backend);
  if (functions === undefined) {
    functions = new Map();
    compiled.set(backend, functions);
  }
  let unary = functions.get(name);
  if (unary === undefined) {
    const module = backend.wasm as unknown as CwrapModule;
    unary = module.cwrap(name, null, ["number", "number", "number"]);
    functions.set(name, unary);
  }
  return unary;
}

const FLOAT32 = 0;

/**
 * Applies `activation` to a float32 tensor in place.
 *
 * @example
 * ```ts
 * activateInPlace(backend, out, "relu");
 * ```
 */
export function activateInPlace(
  backend: BackendWasm,
  out: TensorInfo,
  activation: FusableActivation | undefined,
): void {
  if (activation !== "relu" && activation !== "relu6") return;
  const id = backend.dataIdMap.get(out.dataId).id;
  unaryOf(backend, activation === "relu" ? "Relu" : "Relu6")(id, FLOAT32, id);
}

/** What follows a product: a bias, an activation, both or neither. */
export interface Epilogue {
  /** Heap index of a bias of one value per output column, or -1. */
  bias: number;
  activation: FusableActivation | undefined;
}

/**
 * Fills `out` with the bias rows when the bias must come before the product
 * (with ReLU6); returns the BLAS beta to use (1 then, else 0).
 *
 * @example
 * ```ts
 * const beta = prepareOutput(backend, { at, rows, columns }, { bias, activation: "relu" });
 * ```
 */
export function prepareOutput(
  backend: BackendWasm,
  out: { at: number; rows: number; columns: number },
  epilogue: Epilogue,
): number {
  if (!biasFirst(epilogue)) return 0;
  fillRowsWithBias(heapF32(backend), {
    out: out.at,
    rows: out.rows,
    columns: out.columns,
    bias: epilogue.bias,
  });
  return 1;
}

/**
 * Completes `out` after the product: adds the bias (unless
 * {@linkcode prepareOutput} wrote it first) and applies the activation, in
 * place; `out` is `[..., columns]` with the bias' columns.
 *
 * @example
 * ```ts
 * finishOutput(backend, out, { bias, activation: "relu" });
 * ```
 */
export function finishOutput(backend: BackendWasm, out: TensorInfo, epilogue: Epilogue): void {
  if (epilogue.bias < 0 || biasFirst(epilogue)) {
    activateInPlace(backend, out, epilogue.activation);
    return;
  }
  const at = offsetOf(backend, out);
  addBiasRows(backend, {
    out: at,
    x: at,
    bias: epilogue.bias,
    shape: out.shape,
    relu: epilogue.activation === "relu",
  });
}

/** Whether the bias goes into the output before the product (only with ReLU6). */
function biasFirst(epilogue: Epilogue): boolean {
  return epilogue.bias >= 0 && epilogue.activation === "relu6";
}
