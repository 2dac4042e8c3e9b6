/**
 * Identity, same-type Cast and whole-tensor Slice that share their input's
 * data instead of copying it, as the cpu backend's do: tfjs data is
 * immutable.
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
 * as `model.predict` makes when the batch size covers all the inputs.
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
  if (!whole || x.dtype === "string") return runStockKernel("Slice", args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
