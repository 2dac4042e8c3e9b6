/**
 * Conv2D, FusedConv2D and both Conv2D gradients as im2col plus one BLAS
 * product per chunk of images, or as oneDNN's direct convolutions where
 * the library has a JIT kernel for the geometry (onednn_convolution.ts).
 *
 * Shapes, with M output pixels, K = filterHeight * filterWidth * inChannels
 * and N output channels:
 *   forward          out[M, N]   = columns[M, K] * filter[K, N]
 *   filter gradient  dW[K, N]    = columns[M, K]^T * dy[M, N]
 *   input gradient   dcols[M, K] = dy[M, N] * filter[K, N]^T, then col2im
 *                    (the filter transposed in a copy first)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { type ColumnsCache, createColumnsCache } from "./columns_cache.ts";
import {
  allocateFloats,
  freeFloats,
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  runStockKernel,
  type TensorInfo,
  touchInputs,
} from "./heap.ts";
import type { HeapGemm } from "./heap_gemm.ts";
import { addColumns, fillColumns, zeroFloats } from "./simd_kernels.ts";
import { recordReluOutput } from "./relu_pool_gradient.ts";
import { columnsRowLength, columnsRowsPerImage, type ConvInfo } from "./im2col.ts";
import {
  finishOutput,
  type FusableActivation,
  isFusableActivation,
  prepareOutput,
} from "./epilogue.ts";

/**
 * A batch whose column matrix fits in this many floats (16 MiB) has it built
 * at once and kept for the filter gradient; larger ones (inference) are
 * streamed in chunks of {@linkcode STREAMED_CHUNK_FLOATS}.
 */
export const MAX_COLUMNS_FLOATS = 4 * 1024 * 1024;

/**
 * Chunks of 2 MiB keep a chunk's columns in cache between im2col and the
 * product: 15 to 20% faster inference than 16 MiB chunks (measured).
 */
export const STREAMED_CHUNK_FLOATS = 512 * 1024;

/**
 * The input gradient's column matrix is made and consumed a few images at
 * a time (1.5 MiB of columns), so that col2im reads it from cache while
 * each chunk's product stays large enough for BLAS threads (see
 * heap_gemm.ts). Measured on the CNN's second layer, batch 64, caches
 * flushed between calls: 1.8 ms a gradient, against 3.0 ms with 0.5 MiB
 * chunks (single-threaded products) and 1.9 ms with one chunk per batch.
 */
export const INPUT_GRADIENT_CHUNK_FLOATS = 384 * 1024;

/** Options for {@linkcode createBlasConvKernels}. */
export interface BlasConvOptions {
  /** Most floats in one chunk's column matrix; default {@linkcode MAX_COLUMNS_FLOATS}. */
  maxColumnsFloats?: number;
}

const caches = new WeakMap<BackendWasm, ColumnsCache>();

function cacheOf(backend: BackendWasm): ColumnsCache {
  let cache = caches.get(backend);
  if (cache === undefined) {
    cache = createColumnsCache(backend);
    caches.set(backend, cache);
  }
  return cache;
}

/** Whether the columns are the input itself: a 1x1 filter, stride 1, no padding. */
function isPointwise(info: ConvInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 &&
    info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.padInfo.bottom === 0 && info.padInfo.right === 0;
}

/** Images per chunk so that a chunk's columns stay under `limit` floats. */
function imagesPerChunk(info: ConvInfo, limit: number): number {
  const perImage = columnsRowsPerImage(info) * columnsRowLength(info);
  return Math.max(1, Math.floor(limit / perImage));
}

/**
 * Calls `visit` with heap columns for each chunk of images of `x`: the
 * input itself for pointwise filters, the whole batch's columns (cached
 * for the filter gradient) when they fit the limit, else a scratch buffer
 * refilled per chunk.
 */
function forEachColumnsChunk(
  backend: BackendWasm,
  x: TensorInfo,
  info: ConvInfo,
  limit: number,
  visit: (columns: number, firstImage: number, imageCount: number) => void,
): void {
  const rowFloats = columnsRowsPerImage(info) * columnsRowLength(info);
  if (isPointwise(info)) {
    visit(offsetOf(backend, x), 0, info.batchSize);
    return;
  }
  if (rowFloats * info.batchSize <= limit) {
    const cache = cacheOf(backend);
    let at = cache.find(x, info);
    if (at === undefined) {
      at = cache.allocate(x, info, rowFloats * info.batchSize);
      const range = { image: offsetOf(backend, x), columns: at };
      fillColumns(backend, info, { ...range, firstImage: 0, imageCount: info.batchSize });
    }
    visit(at, 0, info.batchSize);
    return;
  }
  const chunk = imagesPerChunk(info, Math.min(limit, STREAMED_CHUNK_FLOATS));
  const scratch = allocateFloats(backend, rowFloats * chunk);
  try {
    for (let first = 0; first < info.batchSize; first += chunk) {
      const count = Math.min(chunk, info.batchSize - first);
      const range = { image: offsetOf(backend, x), columns: scratch };
      fillColumns(backend, info, { ...range, firstImage: first, imageCount: count });
      visit(scratch, first, count);
    }
  } finally {
    freeFloats(backend, scratch);
  }
}

function convInfoOf(
  xShape: number[],
  filterShape: number[],
  attrs: tf.NamedAttrMap,
): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    (attrs.dilations ?? 1) as [number, number],
    attrs.pad as "valid",
    attrs.dimRoundingMode as "round" | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat(
      (attrs.dataFormat ?? "NHWC") as "NHWC",
    ),
  );
}

/** Kernel functions for the convolution kernels, running on `gemm`. */
export interface BlasConvKernels {
  conv2d(args: KernelArgs): TensorInfo;
  fusedConv2d(args: KernelArgs): TensorInfo;
  conv2dBackpropFilter(args: KernelArgs): TensorInfo;
  conv2dBackpropInput(args: KernelArgs): TensorInfo;
}

/**
 * Creates the convolution kernels of the BLAS backend. Channels-first data
 * and activations other than linear, relu and relu6 go to the stock wasm
 * kernels, which are correct but slower.
 *
 * @example
 * ```ts
 * const kernels = createBlasConvKernels(createHeapGemm(openBlasLibrary(), 1));
 * tf.registerKernel({ kernelName: "Conv2D", backendName: "blas", kernelFunc: kernels.conv2d });
 * ```
 */
export function createBlasConvKernels(
  gemm: HeapGemm,
  options: BlasConvOptions = {},
): BlasConvKernels {
  const run = { gemm, limit: options.maxColumnsFloats ?? MAX_COLUMNS_FLOATS };
  return {
    conv2d: (args) => convForward(run, args, "Conv2D"),
    fusedConv2d: (args) => convForward(run, args, "FusedConv2D"),
    conv2dBackpropFilter: (args) => convBackpropFilter(run, args),
    conv2dBackpropInput: (args) => convBackpropInput(run, args),
  };
}

/** What every convolution kernel runs on. */
interface ConvRun {
  gemm: HeapGemm;
  /** Most floats in one chunk's column matrix. */
  limit: number;
}

/** Whether the forward kernel computes these inputs and attributes itself. */
function forwardSupported(args: KernelArgs, info: ConvInfo): boolean {
  const { bias, preluActivationWeights } = args.inputs;
  const biasOk = bias == null ||
    (bias.shape.length === 1 && bias.shape[0] === info.outChannels);
  return info.dataFormat === "channelsLast" && preluActivationWeights == null &&
    isFusableActivation(args.attrs?.activation) && biasOk;
}

function convForward(
  { gemm, limit }: ConvRun,
  args: KernelArgs,
  kernelName: "Conv2D" | "FusedConv2D",
): TensorInfo {
  touchInputs(args);
  const { x, filter, bias } = args.inputs;
  const info = convInfoOf(x.shape, filter.shape, args.attrs ?? {});
  if (!forwardSupported(args, info)) return runStockKernel(kernelName, args);
  const { backend } = args;
  const out = makeFloatOutput(backend, info.outShape);
  const activation = args.attrs?.activation as FusableActivation | undefined;
  const direct = { bias: bias != null, relu: activation === "relu" };
  const convolutions = gemm.convolutions;
  if (
    activation !== "relu6" && convolutions?.prepare(info, "forward", direct) === true
  ) {
    const heap = heapF32(backend);
    convolutions.forward(info, direct, {
      x: heap.subarray(offsetOf(backend, x)),
      filter: heap.subarray(offsetOf(backend, filter)),
      bias: bias == null ? undefined : heap.subarray(offsetOf(backend, bias)),
      out: heap.subarray(offsetOf(backend, out)),
    });
    if (direct.relu) recordReluOutput(out.dataId, out.dataId);
    return out;
  }
  const rowsPerImage = columnsRowsPerImage(info);
  const [k, n] = [columnsRowLength(info), info.outChannels];
  const epilogue = { bias: bias == null ? -1 : offsetOf(backend, bias), activation };
  const beta = prepareOutput(backend, {
    at: offsetOf(backend, out),
    rows: info.batchSize * rowsPerImage,
    columns: n,
  }, epilogue);
  forEachColumnsChunk(backend, x, info, limit, (columns, first, count) => {
    gemm.run(backend, {
      transA: false,
      transB: false,
      m: count * rowsPerImage,
      n,
      k,
      a: columns,
      lda: k,
      b: offsetOf(backend, filter),
      ldb: n,
      c: offsetOf(backend, out) + first * rowsPerImage * n,
      ldc: n,
      beta,
    });
  });
  finishOutput(backend, out, epilogue);
  // The max-pool gradient then makes ReLU's gradient from the output's sign.
  if (epilogue.activation === "relu") recordReluOutput(out.dataId, out.dataId);
  return out;
}

function checkChannelsLast(info: ConvInfo, kernelName: string): void {
  if (info.dataFormat !== "channelsLast") {
    throw new TypeError(
      `Cannot run ${kernelName}: data format is ${info.dataFormat}, ` +
        `expected channelsLast (tfjs layers always pass NHWC)`,
    );
  }
}

function convBackpropFilter({ gemm, limit }: ConvRun, args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x, dy } = args.inputs;
  const attrs = args.attrs ?? {};
  const filterShape = attrs.filterShape as number[];
  const info = convInfoOf(x.shape, filterShape, attrs);
  checkChannelsLast(info, "Conv2DBackpropFilter");
  const { backend } = args;
  const dw = makeFloatOutput(backend, filterShape);
  const convolutions = gemm.convolutions;
  if (convolutions?.prepare(info, "filterGradient") === true) {
    const heap = heapF32(backend);
    convolutions.filterGradient(info, {
      x: heap.subarray(offsetOf(backend, x)),
      dy: heap.subarray(offsetOf(backend, dy)),
      dFilter: heap.subarray(offsetOf(backend, dw)),
    });
    return dw;
  }
  const rowsPerImage = columnsRowsPerImage(info);
  const k = columnsRowLength(info);
  const n = info.outChannels;
  forEachColumnsChunk(backend, x, info, limit, (columns, first, count) => {
    gemm.run(backend, {
      transA: true,
      transB: false,
      m: k,
      n,
      k: count * rowsPerImage,
      a: columns,
      lda: k,
      b: offsetOf(backend, dy) + first * rowsPerImage * n,
      ldb: n,
      c: offsetOf(backend, dw),
      ldc: n,
      beta: first === 0 ? 0 : 1,
    });
  });
  return dw;
}

function convBackpropInput(
  { gemm, limit }: ConvRun,
  args: KernelArgs,
): TensorInfo {
  touchInputs(args);
  const { dy, filter } = args.inputs;
  const attrs = args.attrs ?? {};
  const inputShape = attrs.inputShape as number[];
  const info = convInfoOf(inputShape, filter.shape, attrs);
  checkChannelsLast(info, "Conv2DBackpropInput");
  const { backend } = args;
  const dx = makeFloatOutput(backend, inputShape);
  const convolutions = gemm.convolutions;
  if (convolutions?.prepare(info, "inputGradient") === true) {
    const heap = heapF32(backend);
    convolutions.inputGradient(info, {
      dy: heap.subarray(offsetOf(backend, dy)),
      filter: heap.subarray(offsetOf(backend, filter)),
      dx: heap.subarray(offsetOf(backend, dx)),
    });
    return dx;
  }
  const rowsPerImage = columnsRowsPerImage(info);
  const [k, n] = [columnsRowLength(info), info.outChannels];
  // BLAS runs the product about 20% faster with the filter transposed
  // first (a copy of k * n floats) than with its transpose flag.
  const filterT = allocateFloats(backend, k * n);
  transposeInto(heapF32(backend), offsetOf(backend, filter), filterT, [k, n]);
  // dcols[rows, k] = dy[rows, n] * filterT[n, k], for a chunk of images.
  const product = (c: number, first: number, count: number) =>
    gemm.run(backend, {
      transA: false,
      transB: false,
      m: count * rowsPerImage,
      n: k,
      k: n,
      a: offsetOf(backend, dy) + first * rowsPerImage * n,
      lda: n,
      b: filterT,
      ldb: k,
      c,
      ldc: k,
    });
  try {
    if (isPointwise(info)) product(offsetOf(backend, dx), 0, info.batchSize);
    else addColumnsBack(backend, { info, dx, limit }, product);
  } finally {
    freeFloats(backend, filterT);
  }
  return dx;
}

/** Writes the [rows, columns] matrix at heap index `from` transposed to `to`. */
function transposeInto(
  heap: Float32Array,
  from: number,
  to: number,
  [rows, columns]: [number, number],
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      heap[to + c * rows + r] = heap[from + r * columns + c];
    }
  }
}

/**
 * Zeroes `dx`, then per chunk of images has `product` write the chunk's
 * column gradient to a scratch buffer and adds it back with col2im.
 */
function addColumnsBack(
  backend: BackendWasm,
  target: { info: ConvInfo; dx: TensorInfo; limit: number },
  product: (columns: number, first: number, count: number) => void,
): void {
  const { info, dx } = target;
  const limit = Math.min(target.limit, INPUT_GRADIENT_CHUNK_FLOATS);
  const chunk = Math.min(imagesPerChunk(info, limit), info.batchSize);
  const rowFloats = columnsRowsPerImage(info) * columnsRowLength(info);
  const scratch = allocateFloats(backend, chunk * rowFloats);
  try {
    const dxAt = offsetOf(backend, dx);
    zeroFloats(backend, dxAt, tf.util.sizeFromShape(dx.shape));
    for (let first = 0; first < info.batchSize; first += chunk) {
      const count = Math.min(chunk, info.batchSize - first);
      product(scratch, first, count);
      const range = { image: dxAt, columns: scratch, firstImage: first };
      addColumns(backend, info, { ...range, imageCount: count });
    }
  } finally {
    freeFloats(backend, scratch);
  }
}
