/**
 * Bias and activation of FusedConv2D and _FusedMatMul outputs.
 *
 * The bias is written into every output row before the product, which then
 * accumulates onto it (BLAS beta = 1): a doubling memory copy instead of a
 * pass of additions. The activation then runs in place with the stock wasm
 * kernel's compiled loop.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, type TensorInfo } from "./heap.ts";

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

/** Bias first (then accumulate the product onto it), activation last. */
export interface Epilogue {
  /** Heap index of a bias of one value per output column, or -1. */
  bias: number;
  activation: FusableActivation | undefined;
}

/**
 * Fills `out` with the bias rows, if any; returns the BLAS beta to use.
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
  if (epilogue.bias < 0) return 0;
  fillRowsWithBias(heapF32(backend), {
    out: out.at,
    rows: out.rows,
    columns: out.columns,
    bias: epilogue.bias,
  });
  return 1;
}
