/**
 * The hand-written WebAssembly SIMD loops (simd/kernels.wat), instantiated
 * on the heap of each wasm-derived backend: the memory-bound passes whose
 * JS loops cost more than the matrix products around them.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { allocateFloats, freeFloats, heapF32 } from "./heap.ts";
import {
  col2im,
  type ColumnsRange,
  columnsRowLength,
  columnsRowsPerImage,
  type ConvInfo,
  geometryWords,
  im2col,
} from "./im2col.ts";
import { decodeBase64 } from "./simd/base64.ts";
import { KERNELS_WASM_BASE64 } from "./simd/kernels_wasm.ts";
import { KERNELS_MODULE, maybeThreadsOf } from "./threads.ts";

/** The exported loops; every pointer is a byte offset into the tfjs heap. */
export interface SimdKernels {
  /** One Adam step over `count` floats (see kernels.wat for the formula). */
  adam(
    w0: number,
    g0: number,
    m0: number,
    v0: number,
    w1: number,
    m1: number,
    v1: number,
    count: number,
    beta1: number,
    beta2: number,
    step: number,
    scale: number,
    epsilon: number,
  ): void;
  /**
   * out[r, c] = x[r, c] + bias[c] over `rows` rows of `columns` floats,
   * then max(., 0) (NaN kept) when `relu` is 1.
   */
  add_bias(out: number, x: number, bias: number, rows: number, columns: number, relu: number): void;
  /** out[c] += x[r, c] summed over `rows` rows of `columns` floats. */
  column_sum(out: number, x: number, rows: number, columns: number): void;
  /** out[c] += sum over rows r of (x[r, c] - mean[c]) * y[r, c]. */
  column_centred_products(
    out: number,
    x: number,
    y: number,
    mean: number,
    rows: number,
    columns: number,
  ): void;
  /** out[r, c] = x[r, c] * scale[c] + shift[c]. */
  scale_shift(
    out: number,
    x: number,
    scale: number,
    shift: number,
    rows: number,
    columns: number,
  ): void;
  /**
   * out[r, c] = a[c] * dy[r, c] + b[c] * (x[r, c] - mean[c]) + k[c], with
   * a, b and k back to back at `coefficients`.
   */
  batch_norm_dx(
    out: number,
    dy: number,
    x: number,
    mean: number,
    coefficients: number,
    rows: number,
    columns: number,
  ): void;
  /** Zeroes `count` floats from byte offset `at`. */
  zero(at: number, count: number): void;
  /** out = dy * step(x) over `count` floats: ReLU's gradient. */
  relu_grad(out: number, dy: number, x: number, count: number): void;
  /** col2im of one NHWC image, dilation 1; returns the byte offset after its rows. */
  col2im_image(dx: number, columns: number, geometry: number): number;
  /** im2col of one NHWC image, dilation 1; returns the byte offset after its rows. */
  im2col_image(x: number, columns: number, geometry: number): number;
  /** MaxPool of one NHWC image; `geometry` points to 11 int32 values. */
  max_pool_image(x: number, out: number, geometry: number): void;
  /**
   * MaxPool of one NHWC image in full, disjoint 2x2 windows (channels a
   * multiple of 4), also writing one winner byte per output to `winners`.
   */
  max_pool_2x2_winners_image(x: number, out: number, winners: number, geometry: number): void;
  /**
   * `max_pool_grad_image`'s results for an image pooled by
   * `max_pool_2x2_winners_image`, from its winner bytes and `dy` alone.
   */
  max_pool_grad_winners_image(
    winners: number,
    dy: number,
    dx: number,
    masked: number,
    sums: number,
    zero: number,
    geometry: number,
  ): void;
  /**
   * MaxPoolGrad of one NHWC image, `y` being `max_pool_image` of `x`;
   * `geometry` points to 11 int32 values. Unless `masked` is 0, full 2x2
   * windows also write the gradient times step(x) there, and unless `sums`
   * is 0 too, that gradient's column sums are added to `sums`. Unless
   * `zero` is 0, the image's `dx` and `masked` are zeroed first.
   */
  max_pool_grad_image(
    x: number,
    y: number,
    dy: number,
    dx: number,
    masked: number,
    sums: number,
    zero: number,
    geometry: number,
  ): void;
}

let compiled: WebAssembly.Module | undefined;
const instances = new WeakMap<BackendWasm, SimdKernels>();

/**
 * The SIMD loops running on `backend`'s heap, instantiated on first use.
 *
 * @example
 * ```ts
 * simdKernelsOf(backend).relu_grad(outBytes, dyBytes, xBytes, count);
 * ```
 */
export function simdKernelsOf(backend: BackendWasm): SimdKernels {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    compiled ??= new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    const exports = backend.wasm as unknown as {
      asm: { memory: WebAssembly.Memory };
    };
    const instance = new WebAssembly.Instance(compiled, {
      env: { memory: exports.asm.memory },
    });
    kernels = instance.exports as unknown as SimdKernels;
    instances.set(backend, kernels);
  }
  return kernels;
}

/**
 * Zeroes `count` floats of `backend`'s heap from float index `at`, with
 * memory.fill: several times faster than `Float32Array.fill` on the shared
 * heap for the megabytes of a layer's gradient.
 *
 * @example
 * ```ts
 * zeroFloats(backend, offsetOf(backend, dx), tf.util.sizeFromShape(dx.shape));
 * ```
 */
export function zeroFloats(backend: BackendWasm, at: number, count: number): void {
  if (count > 0) simdKernelsOf(backend).zero(at * 4, count);
}

/**
 * Fills the column matrix of `range`: with the compiled loop when the
 * filter is not dilated, else with the JS one.
 *
 * @example
 * ```ts
 * fillColumns(backend, info, { image: xAt, columns: at, firstImage: 0, imageCount: 64 });
 * ```
 */
export function fillColumns(
  backend: BackendWasm,
  info: ConvInfo,
  range: ColumnsRange,
): void {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    im2col(heapF32(backend), info, range);
    return;
  }
  forEachImage(backend, info, range, "im2col_image");
}

/**
 * Adds the column matrix of `range` back onto the zeroed input gradient at
 * `range.image`: with the compiled loop when the filter is not dilated,
 * else with the JS one.
 *
 * @example
 * ```ts
 * addColumns(backend, info, { image: dxAt, columns: at, firstImage: 0, imageCount: 64 });
 * ```
 */
export function addColumns(
  backend: BackendWasm,
  info: ConvInfo,
  range: ColumnsRange,
): void {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    col2im(heapF32(backend), info, range);
    return;
  }
  forEachImage(backend, info, range, "col2im_image");
}

/** Runs a per-image loop of the module over the images of `range`, split across threads. */
function forEachImage(
  backend: BackendWasm,
  info: ConvInfo,
  range: ColumnsRange,
  name: "im2col_image" | "col2im_image",
): void {
  const geometry = allocateFloats(backend, 11);
  const heap = heapF32(backend);
  new Int32Array(heap.buffer, geometry * 4, 11).set(geometryWords(info));
  const imageSize = info.inHeight * info.inWidth * info.inChannels;
  const columnsSize = columnsRowsPerImage(info) * columnsRowLength(info);
  runSplit(backend, {
    name,
    args: [(range.image + range.firstImage * imageSize) * 4, range.columns * 4, geometry * 4],
    strides: [imageSize * 4, columnsSize * 4, 0],
    items: range.imageCount,
    floats: range.imageCount * (imageSize + columnsSize),
  });
  freeFloats(backend, geometry);
}

/**
 * Passes over fewer floats than this (read and written) stay on the
 * calling thread: a round trip to the workers costs 8 to 20 µs, about as
 * long as a pass over 64K floats.
 */
export const THREADED_PASS_MIN_FLOATS = 64 * 1024;

/** A kernel call repeated over items (images, rows), to split across threads. */
export interface SplitCall {
  /** The export of kernels.wat. */
  name: keyof SimdKernels;
  /** Arguments for the first item. */
  args: number[];
  /** Added to each argument per item. */
  strides: number[];
  /** Items in all. */
  items: number;
  /**
   * When set, the argument at this index is an item count: each thread
   * makes one call for its items (rows of add_bias, say), instead of one
   * call per item.
   */
  countArgument?: number;
  /** Items per thread are a multiple of this; default 1. */
  multiple?: number;
  /** Floats the whole pass reads and writes, to judge whether threads pay. */
  floats: number;
}

/**
 * Runs a kernel over all items of `call`, split into runs of items across
 * the backend's threads when the pass is large enough. Items must write
 * disjoint memory.
 *
 * @example
 * ```ts
 * runSplit(backend, {
 *   name: "relu_grad", args: [out, dy, x, 0], strides: [4, 4, 4, 0],
 *   items: count, countArgument: 3, multiple: 16, floats: 3 * count,
 * });
 * ```
 */
export function runSplit(backend: BackendWasm, call: SplitCall): void {
  if (call.items <= 0) return;
  const job = { ...call, module: KERNELS_MODULE };
  const pool = maybeThreadsOf(backend);
  if (pool !== undefined) {
    pool.run({ ...job, threads: call.floats < THREADED_PASS_MIN_FLOATS ? 1 : pool.threads });
    return;
  }
  const f = simdKernelsOf(backend)[call.name] as (...args: number[]) => unknown;
  const args = [...call.args];
  if (call.countArgument !== undefined) {
    args[call.countArgument] = call.items;
    f(...args);
    return;
  }
  for (let item = 0; item < call.items; item++) {
    f(...args);
    for (let i = 0; i < args.length; i++) args[i] += call.strides[i];
  }
}
