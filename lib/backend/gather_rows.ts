/**
 * GatherV2 along the first axis as one copy per gathered row.
 *
 * `model.fit` cuts each training batch out of the whole training set with
 * `tf.gather(xs, batchIndices)` (tfjs-layers' `sliceArraysByIndices`). The
 * stock wasm kernel took about 4 ms for 64 rows of 784 floats (measured on
 * this 2-core machine under load, for a set of 1,280 or 54,000 images),
 * a third of a CNN training step; a row copy takes microseconds.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, runStockKernel, type TensorInfo, touchInputs } from "./heap.ts";

/** Whether this gather is of whole rows of 4-byte values by int32 indices. */
function gathersRows(x: TensorInfo, indices: TensorInfo, attrs: tf.NamedAttrMap): boolean {
  if (x.shape.length === 0 || (attrs.batchDims ?? 0) !== 0) return false;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  return axis === 0 && (x.dtype === "float32" || x.dtype === "int32") &&
    indices.dtype === "int32";
}

/**
 * The GatherV2 kernel function: rows of `x` (axis 0) picked by `indices`,
 * shaped [...indices.shape, ...x.shape.slice(1)]; other axes, batch
 * dimensions and types go to the stock kernel.
 *
 * @throws {RangeError} when an index is outside 0 to x.shape[0] - 1 (the
 *   stock kernel throws an Error for it too).
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "GatherV2", backendName: "blas", kernelFunc: gatherRows });
 * ```
 */
export function gatherRows(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x, indices } = args.inputs;
  if (!gathersRows(x, indices, args.attrs ?? {})) return runStockKernel("GatherV2", args);
  const { backend } = args;
  const rowShape = x.shape.slice(1);
  const rowLength = tf.util.sizeFromShape(rowShape);
  const rows = x.shape[0];
  const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
  // Views last: the output's allocation may have grown the heap.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  const picked = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < picked.length; i++) {
    const row = picked[i];
    if (row < 0 || row >= rows) {
      backend.disposeData(out.dataId, true);
      throw new RangeError(
        `Cannot gather rows: index ${row} is out of range, expected an integer from 0 to ${
          rows - 1
        }`,
      );
    }
    to.set(from.subarray(row * rowLength, (row + 1) * rowLength), i * rowLength);
  }
  return out;
}
