/**
 * Views of the wasm backend's heap, temporary buffers on it and calls into
 * the stock wasm kernels.
 *
 * The heap's ArrayBuffer is replaced whenever the heap grows, which detaches
 * every older view. So kernels allocate everything first and take views
 * last, and offsets (not views) are what outlive an allocation.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/** A tensor's data on a wasm backend. */
export type TensorInfo = tf.TensorInfo;

/** The parts of the Emscripten module used here (its types are not bundled). */
interface EmscriptenHeap {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

function moduleOf(backend: BackendWasm): EmscriptenHeap {
  return backend.wasm as unknown as EmscriptenHeap;
}

/**
 * The float32 view of the whole heap, valid until the next allocation.
 *
 * @example
 * ```ts
 * const heap = heapF32(backend); // after the last allocation
 * heap[offsetOf(backend, x)]; // x's first value
 * ```
 */
export function heapF32(backend: BackendWasm): Float32Array {
  const buffer = moduleOf(backend).HEAPU8.buffer;
  const cached = heapViews.get(backend);
  if (cached !== undefined && cached.buffer === buffer) return cached;
  const view = new Float32Array(buffer);
  heapViews.set(backend, view);
  return view;
}

const heapViews = new WeakMap<BackendWasm, Float32Array>();

/**
 * The index of a float32 tensor's first element in {@linkcode heapF32}.
 *
 * @example
 * ```ts
 * const first = heapF32(backend)[offsetOf(backend, x)];
 * ```
 */
export function offsetOf(backend: BackendWasm, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset >>> 2;
}

/**
 * The backend's number for the current contents of a tensor's data: the
 * key of the compiled module's own caches (XNNPACK operators hold packed
 * filters by it). {@linkcode renumberData} changes it after the data is
 * overwritten in place.
 *
 * @example
 * ```ts
 * const version = dataNumberOf(backend, x);
 * ```
 */
export function dataNumberOf(backend: BackendWasm, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).id;
}

/**
 * Gives a tensor's data, just overwritten in place, a new number, so that
 * nothing cached for its old contents is used again: the compiled module
 * forgets the old number (running its disposal callbacks, which drop
 * XNNPACK operators packed from it) without freeing the memory, and
 * registers the same memory under the new one.
 *
 * @example
 * ```ts
 * renumberData(backend, weights); // after writing new weights into its buffer
 * ```
 */
export function renumberData(backend: BackendWasm, info: TensorInfo): void {
  if (!canRenumberData(backend)) {
    throw new TypeError(
      "Cannot renumber tensor data: the wasm backend has no dataIdNextNumber counter, " +
        "expected @tensorflow/tfjs-backend-wasm 4.x",
    );
  }
  const data = backend.dataIdMap.get(info.dataId);
  const internals = backend as unknown as { dataIdNextNumber: number };
  const module = backend.wasm as unknown as {
    tfjs: {
      disposeData(id: number): void;
      registerTensor(id: number, size: number, memoryOffset: number): void;
    };
  };
  module.tfjs.disposeData(data.id);
  const id = internals.dataIdNextNumber++;
  module.tfjs.registerTensor(id, tf.util.sizeFromShape(data.shape), data.memoryOffset);
  data.id = id;
}

/**
 * Whether {@linkcode renumberData} works on this backend: it needs the
 * counter the wasm backend numbers its data with (tfjs-backend-wasm 4.x).
 *
 * @example
 * ```ts
 * if (canRenumberData(backend)) renumberData(backend, weights);
 * ```
 */
export function canRenumberData(backend: BackendWasm): boolean {
  return typeof (backend as unknown as { dataIdNextNumber?: unknown }).dataIdNextNumber ===
    "number";
}

/**
 * Allocates a float32 output tensor that the engine will own.
 *
 * @example
 * ```ts
 * const out = makeFloatOutput(backend, [64, 128]);
 * ```
 */
export function makeFloatOutput(
  backend: BackendWasm,
  shape: number[],
): TensorInfo {
  return backend.makeOutput(shape, "float32");
}

/**
 * Releases a temporary tensor made inside a kernel.
 *
 * @example
 * ```ts
 * const t = transpose2d(backend, w);
 * // ... use t ...
 * disposeTemporary(backend, t);
 * ```
 */
export function disposeTemporary(
  backend: BackendWasm,
  info: TensorInfo,
): void {
  backend.disposeData(info.dataId);
}

/** Inputs, attributes and backend as the engine passes them to a kernel. */
export interface KernelArgs {
  /** Optional inputs (bias, preluActivationWeights) may be null at run time. */
  inputs: Record<string, TensorInfo>;
  attrs?: tf.NamedAttrMap;
  backend: BackendWasm;
}

/**
 * Runs a stock wasm kernel directly, outside the engine, for composing
 * kernels from the backend's fast operations.
 *
 * @example
 * ```ts
 * const y = runStockKernel("Relu", { inputs: { x }, backend });
 * ```
 */
export function runStockKernel(
  kernelName: string,
  args: KernelArgs,
): TensorInfo {
  const config = tf.getKernel(kernelName, "wasm");
  if (config === undefined) {
    throw new TypeError(
      `Cannot run wasm kernel '${kernelName}': it is not registered, ` +
        `expected the stock @tensorflow/tfjs-backend-wasm kernel`,
    );
  }
  return config.kernelFunc({
    inputs: args.inputs as tf.NamedTensorInfoMap,
    attrs: args.attrs ?? {},
    backend: args.backend,
  }) as TensorInfo;
}

/**
 * Transposes a 2-D tensor with the stock kernel into a new temporary.
 *
 * @example
 * ```ts
 * const wT = transpose2d(backend, w); // [k, n] -> [n, k]
 * ```
 */
export function transpose2d(
  backend: BackendWasm,
  x: TensorInfo,
): TensorInfo {
  return runStockKernel("Transpose", {
    inputs: { x },
    attrs: { perm: [1, 0] },
    backend,
  });
}

/**
 * A tensor info that shares `x`'s data under another shape.
 *
 * @example
 * ```ts
 * const flat = reshapeView(backend, dy, [rows, channels]);
 * disposeTemporary(backend, flat); // drops the extra reference only
 * ```
 */
export function reshapeView(
  backend: BackendWasm,
  x: TensorInfo,
  shape: number[],
): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * Allocates `count` floats on the heap; returns the index of the first.
 *
 * @example
 * ```ts
 * const scratch = allocateFloats(backend, 1024);
 * freeFloats(backend, scratch);
 * ```
 */
export function allocateFloats(backend: BackendWasm, count: number): number {
  const bytes = Math.max(4, count * 4);
  return (moduleOf(backend)._malloc(bytes) >>> 0) >>> 2;
}

/**
 * Frees floats that {@linkcode allocateFloats} returned.
 *
 * @example
 * ```ts
 * freeFloats(backend, allocateFloats(backend, 16));
 * ```
 */
export function freeFloats(backend: BackendWasm, first: number): void {
  moduleOf(backend)._free(first * 4);
}

/**
 * Brings every input onto `args.backend` (the engine moves data between
 * backends lazily, allocating as it goes), so that later heap views stay
 * valid. Kernels call it first.
 *
 * @example
 * ```ts
 * function kernel(args: KernelArgs) {
 *   touchInputs(args);
 *   // ... allocate outputs, then take heap views ...
 * }
 * ```
 */
export function touchInputs(args: KernelArgs): void {
  for (const input of Object.values(args.inputs)) {
    if (input != null) args.backend.dataIdMap.get(input.dataId);
  }
}
