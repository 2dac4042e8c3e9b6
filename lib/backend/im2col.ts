/**
 * im2col and col2im for NHWC convolutions, on the float32 heap.
 *
 * A column matrix has one row per output pixel (image, y, x) and one column
 * per filter tap (fy, fx, input channel), the order of a filter reshaped to
 * [filterHeight * filterWidth * inChannels, outChannels]. With a filter
 * dilation of 1 the taps of one filter row are a contiguous run of the input
 * row, so the loops copy runs rather than single values.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** The convolution geometry that `backend_util.computeConv2DInfo` returns. */
export type ConvInfo = tf.backend_util.Conv2DInfo;

/** A range of images of a batch, and where their data is on the heap. */
export interface ColumnsRange {
  /** Index of the input tensor's first float (image 0, not `firstImage`). */
  image: number;
  /** Index of the column matrix's first float (row of `firstImage`). */
  columns: number;
  firstImage: number;
  imageCount: number;
}

/**
 * Floats in one row of the column matrix.
 *
 * @example
 * ```ts
 * columnsRowLength(info); // 288 for a 3x3 filter over 32 channels
 * ```
 */
export function columnsRowLength(info: ConvInfo): number {
  return info.filterHeight * info.filterWidth * info.inChannels;
}

/**
 * Rows of the column matrix for one image.
 *
 * @example
 * ```ts
 * columnsRowsPerImage(info); // 121 for an 11x11 output
 * ```
 */
export function columnsRowsPerImage(info: ConvInfo): number {
  return info.outHeight * info.outWidth;
}

/**
 * The 11 integers through which the SIMD loops (simd/kernels.wat) read a
 * convolution's or pooling's geometry, in their order.
 *
 * @example
 * ```ts
 * new Int32Array(heap.buffer, at * 4, 11).set(geometryWords(info));
 * ```
 */
export function geometryWords(info: ConvInfo): number[] {
  return [
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.strideHeight,
    info.strideWidth,
    info.filterHeight,
    info.filterWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/**
 * Fills the column matrix of `range` from the input images, in JS (the
 * compiled loop of simd/kernels.wat serves filters without dilation).
 *
 * @example
 * ```ts
 * im2col(heapF32(backend), info, { image: xAt, columns: colsAt, firstImage: 0, imageCount: 64 });
 * ```
 */
export function im2col(
  heap: Float32Array,
  info: ConvInfo,
  range: ColumnsRange,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const imageSize = inHeight * inWidth * inChannels;
  const tapRun = info.filterWidth * inChannels;
  let out = range.columns;
  const lastImage = range.firstImage + range.imageCount;
  for (let b = range.firstImage; b < lastImage; b++) {
    const image = range.image + b * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const iy0 = oy * info.strideHeight - info.padInfo.top;
      for (let ox = 0; ox < outWidth; ox++) {
        const ix0 = ox * info.strideWidth - info.padInfo.left;
        for (let fy = 0; fy < info.filterHeight; fy++) {
          const iy = iy0 + fy * info.dilationHeight;
          if (iy < 0 || iy >= inHeight) {
            heap.fill(0, out, out + tapRun);
          } else {
            copyFilterRow(heap, info, image + iy * inWidth * inChannels, ix0, out);
          }
          out += tapRun;
        }
      }
    }
  }
}

/** Copies the taps of one filter row at input column `ix0` to `out`. */
function copyFilterRow(
  heap: Float32Array,
  info: ConvInfo,
  inputRow: number,
  ix0: number,
  out: number,
): void {
  const channels = info.inChannels;
  if (info.dilationWidth !== 1) {
    for (let fx = 0; fx < info.filterWidth; fx++) {
      const ix = ix0 + fx * info.dilationWidth;
      const to = out + fx * channels;
      if (ix < 0 || ix >= info.inWidth) heap.fill(0, to, to + channels);
      else copyRun(heap, inputRow + ix * channels, to, channels);
    }
    return;
  }
  const first = Math.max(0, -ix0);
  const end = Math.min(info.filterWidth, info.inWidth - ix0);
  if (first > 0) heap.fill(0, out, out + first * channels);
  if (end > first) {
    copyRun(
      heap,
      inputRow + (ix0 + first) * channels,
      out + first * channels,
      (end - first) * channels,
    );
  }
  const tail = Math.max(end, first);
  if (tail < info.filterWidth) {
    heap.fill(0, out + tail * channels, out + info.filterWidth * channels);
  }
}

/** Below this length a plain loop beats the call into `copyWithin`. */
const NATIVE_COPY_MIN = 24;

function copyRun(heap: Float32Array, from: number, to: number, length: number) {
  if (length >= NATIVE_COPY_MIN) {
    heap.copyWithin(to, from, from + length);
    return;
  }
  for (let i = 0; i < length; i++) heap[to + i] = heap[from + i];
}

/**
 * Adds the column matrix of `range` back onto the input-shaped gradient at
 * `range.image`, which the caller has zeroed: the adjoint of im2col.
 *
 * @example
 * ```ts
 * col2im(heapF32(backend), info, { image: dxAt, columns: dcolsAt, firstImage: 0, imageCount: 64 });
 * ```
 */
export function col2im(
  heap: Float32Array,
  info: ConvInfo,
  range: ColumnsRange,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const imageSize = inHeight * inWidth * inChannels;
  const tapRun = info.filterWidth * inChannels;
  let from = range.columns;
  const lastImage = range.firstImage + range.imageCount;
  for (let b = range.firstImage; b < lastImage; b++) {
    const image = range.image + b * imageSize;
    for (let oy = 0; oy < outHeight; oy++) {
      const iy0 = oy * info.strideHeight - info.padInfo.top;
      for (let ox = 0; ox < outWidth; ox++) {
        const ix0 = ox * info.strideWidth - info.padInfo.left;
        for (let fy = 0; fy < info.filterHeight; fy++) {
          const iy = iy0 + fy * info.dilationHeight;
          if (iy >= 0 && iy < inHeight) {
            const row = image + iy * inWidth * inChannels;
            addFilterRow(heap, info, { row, ix0, from });
          }
          from += tapRun;
        }
      }
    }
  }
}

/** One filter row of the column matrix and the input row it goes back to. */
interface FilterRow {
  /** Heap index of the input row, channel 0 of column 0. */
  row: number;
  ix0: number;
  /** Heap index of the filter row's first tap in the column matrix. */
  from: number;
}

/** Adds the taps of one filter row back onto input column `ix0`. */
function addFilterRow(heap: Float32Array, info: ConvInfo, at: FilterRow): void {
  const channels = info.inChannels;
  const { row, ix0, from } = at;
  if (info.dilationWidth === 1) {
    // The taps in range are one contiguous run on both sides.
    const first = Math.max(0, -ix0);
    const end = Math.min(info.filterWidth, info.inWidth - ix0);
    const to = row + (ix0 + first) * channels;
    const tap = from + first * channels;
    for (let i = 0; i < (end - first) * channels; i++) heap[to + i] += heap[tap + i];
    return;
  }
  for (let fx = 0; fx < info.filterWidth; fx++) {
    const ix = ix0 + fx * info.dilationWidth;
    if (ix < 0 || ix >= info.inWidth) continue;
    const to = row + ix * channels;
    const tap = from + fx * channels;
    for (let c = 0; c < channels; c++) heap[to + c] += heap[tap + c];
  }
}
