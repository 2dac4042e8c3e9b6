/**
 * Identity, same-type Cast and whole-tensor Slice that share their input's
 * data instead of copying it, as the cpu backend's do (tfjs data is
 * immutable), and a contiguous Slice that copies only what it keeps.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, runStockKernel, type TensorInfo, touchInputs } from "./heap.ts";

/**
 * Identity that shares the input's data, as the cpu backend's does: tfjs
 * data is immutable, so the stock wasm kernel's copy is not needed.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Identity", backendName: "blas", kernelFunc: sharedIdentity });
 * ```
 */
export function sharedIdentity(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === "string") return runStockKernel("Identity", args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Cast that shares the input's data when the type does not change (the
 * stock wasm kernel copies even then, and ReLU's gradient casts to
 * float32), and that maps non-zero numbers to true when casting to bool
 * (the stock kernel wraps them to a byte: -2 becomes 254).
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Cast", backendName: "blas", kernelFunc: sharedCast });
 * ```
 */
export function sharedCast(args: KernelArgs): TensorInfo {
  touchInputs(args);
  const { x } = args.inputs;
  const dtype = args.attrs?.dtype as tf.DataType;
  if (x.dtype === "string" || dtype === "string") {
    return runStockKernel("Cast", args);
  }
  const { backend } = args;
  if (x.dtype === dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  if (dtype !== "bool") return runStockKernel("Cast", args);
  const out = backend.makeOutput(x.shape, "bool");
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  return out;
}

/**
 * Slice that shares the input's data when the slice is the whole tensor,
 * as `model.predict` makes when the batch size covers all the inputs, and
 * copies a contiguous slice (a run of rows, such as a batch cut from a data
 * set) straight from the heap. The stock wasm kernel first reads the whole
 * input out of the heap (`readSync` copies it), so cutting 32-image batches
 * out of 1,000 images copied all 1,000 for each batch: 22% of an MLP
 * training run went there, in the validation and test predictions.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Slice", backendName: "blas", kernelFunc: sharedSlice });
 * ```
 */
export function sharedSlice(args: KernelArgs): TensorInfo {
  const { x } = args.inputs;
  const [begin, size] = tf.slice_util.parseSliceParams(
    x as tf.Tensor,
    args.attrs?.begin as number[],
    args.attrs?.size as number[],
  );
  const whole = begin.every((b) => b === 0) &&
    size.every((s, axis) => s === x.shape[axis]);
  if (x.dtype === "string") return runStockKernel("Slice", args);
  const { backend } = args;
  if (whole) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }
  if (!tf.slice_util.isSliceContinous(x.shape, begin, size)) return runStockKernel("Slice", args);
  touchInputs(args);
  const out = backend.makeOutput(size, x.dtype);
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  const to = backend.typedArrayFromHeap(out);
  to.set(backend.typedArrayFromHeap(x).subarray(offset, offset + to.length));
  return out;
}
