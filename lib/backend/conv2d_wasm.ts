/**
 * Conv2D gradients on the pure-wasm path: im2col (or col2im) on the heap
 * around one XNNPACK product, run by the stock BatchMatMul kernel.
 *
 *   filter gradient  dW[K, N] = columns^T[K, M] * dy[M, N], transposing
 *                    whichever operand XNNPACK should not pack
 *   input gradient   dcols[M, K] = dy[M, N] * filter^T[N, K], then col2im
 *
 * The forward Conv2D and FusedConv2D stay the stock XNNPACK kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  disposeTemporary,
  heapF32,
  type KernelArgs,
  makeFloatOutput,
  offsetOf,
  reshapeView,
  runStockKernel,
  type TensorInfo,
  touchInputs,
  transpose2d,
} from "./heap.ts";
import { columnsRowLength, columnsRowsPerImage, type ConvInfo } from "./im2col.ts";
import { addColumns, fillColumns } from "./simd_kernels.ts";

function backpropInfo(
  xShape: number[],
  filterShape: number[],
  args: KernelArgs,
  kernelName: string,
): ConvInfo {
  const attrs = args.attrs ?? {};
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as "valid",
    attrs.dimRoundingMode as "round" | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat(
      (attrs.dataFormat ?? "NHWC") as "NHWC",
    ),
  );
  if (info.dataFormat !== "channelsLast") {
    throw new TypeError(
      `Cannot run ${kernelName}: data format is ${info.dataFormat}, ` +
        `expected channelsLast (tfjs layers always pass NHWC)`,
    );
  }
  return info;
}

/** Multiplies two 2-D tensors with the stock (XNNPACK) kernel. */
function product(
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  return runStockKernel("BatchMatMul", {
    inputs: { a, b },
    attrs: { transposeA: false, transposeB: false },
    backend: args.backend,
  });
}

/**
 * a^T * b, transposing `a` first. XNNPACK packs its second operand, so
 * this order suits a small `b`.
 */
function productTransposingA(
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const aT = transpose2d(args.backend, a);
  const out = product(args, aT, b);
  disposeTemporary(args.backend, aT);
  return out;
}

/** a^T * b computed as (b^T * a)^T, for when `a` is the smaller operand. */
function transposedProduct(
  args: KernelArgs,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const outT = productTransposingA(args, b, a);
  const out = transpose2d(args.backend, outT);
  disposeTemporary(args.backend, outT);
  return out;
}

/**
 * Conv2DBackpropFilter (inputs x, dy) on the pure-wasm path.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "wasm-fast", kernelFunc: wasmConv2dBackpropFilter });
 * ```
 */
export function wasmConv2dBackpropFilter(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x, dy } = args.inputs;
  const filterShape = args.attrs?.filterShape as number[];
  const info = backpropInfo(x.shape, filterShape, args, "Conv2DBackpropFilter");
  const { backend } = args;
  const m = info.batchSize * columnsRowsPerImage(info);
  const k = columnsRowLength(info);
  const n = info.outChannels;
  const columns = makeFloatOutput(backend, [m, k]);
  fillColumns(backend, info, {
    image: offsetOf(backend, x),
    columns: offsetOf(backend, columns),
    firstImage: 0,
    imageCount: info.batchSize,
  });
  const dy2 = reshapeView(backend, dy, [m, n]);
  const dw = k > n
    ? productTransposingA(args, columns, dy2)
    : transposedProduct(args, columns, dy2);
  for (const t of [columns, dy2]) disposeTemporary(backend, t);
  return { ...dw, shape: filterShape };
}

/**
 * Conv2DBackpropInput (inputs dy, filter) on the pure-wasm path.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Conv2DBackpropInput", backendName: "wasm-fast", kernelFunc: wasmConv2dBackpropInput });
 * ```
 */
export function wasmConv2dBackpropInput(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { dy, filter } = args.inputs;
  const inputShape = args.attrs?.inputShape as number[];
  const info = backpropInfo(inputShape, filter.shape, args, "Conv2DBackpropInput");
  const { backend } = args;
  const m = info.batchSize * columnsRowsPerImage(info);
  const k = columnsRowLength(info);
  const n = info.outChannels;
  const filter2 = reshapeView(backend, filter, [k, n]);
  const filterT = transpose2d(backend, filter2);
  const dy2 = reshapeView(backend, dy, [m, n]);
  const dcols = product(args, dy2, filterT);
  for (const t of [filter2, filterT, dy2]) disposeTemporary(backend, t);
  const dx = makeFloatOutput(backend, inputShape);
  const heap = heapF32(backend);
  const dxAt = offsetOf(backend, dx);
  heap.fill(0, dxAt, dxAt + tf.util.sizeFromShape(inputShape));
  addColumns(backend, info, {
    image: dxAt,
    columns: offsetOf(backend, dcols),
    firstImage: 0,
    imageCount: info.batchSize,
  });
  disposeTemporary(backend, dcols);
  return dx;
}
