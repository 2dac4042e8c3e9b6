/**
 * ReLU's gradient and the bias gradient computed inside the max-pool
 * gradient when a ReLU feeds the pool, as in the CNN (conv, bias, ReLU,
 * 2x2 max pool).
 *
 * Backpropagation runs MaxPoolGrad, then ReLU's gradient on its result: a
 * second pass reading that result and the ReLU's input and writing a third
 * tensor of the size of the layer's activations (64x26x26x32 floats, 5.5 MB,
 * for the CNN's first layer). Each max-pool gradient has one non-zero input
 * per window, at the window's winner, so ReLU's gradient there is the
 * winner's gradient times step(max): MaxPoolGrad writes that too, in the same
 * loop, and offers it here; ReLU's gradient kernel then takes it instead of
 * making its pass. The two are linked by data ids, which tfjs never reuses:
 * the Relu kernel records each output's input, and an offer names the
 * gradient it belongs to and the ReLU input it is the gradient of.
 *
 * The bias gradient, the column sums of ReLU's gradient, is another pass
 * over it; MaxPoolGrad adds up each row of windows right after writing it,
 * in the order the Sum kernel adds rows, and offers the sums to it.
 *
 * The results equal the separate passes' bit for bit for finite
 * activations (a NaN activation, a diverged network, gives 0 here where
 * the pass gives NaN).
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { type KernelArgs, runStockKernel, type TensorInfo } from "./heap.ts";

/** Each ReLU output's data id mapped to its input's; entries go with the outputs. */
const reluInputs = new WeakMap<object, object>();

/**
 * The Relu kernel function: the stock kernel, recording which input each
 * float32 output came from.
 *
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Relu", backendName: "blas", kernelFunc: reluRecordingInput });
 * ```
 */
export function reluRecordingInput(args: KernelArgs): TensorInfo {
  const out = runStockKernel("Relu", args) as TensorInfo;
  const { x } = args.inputs;
  if (x.dtype === "float32") reluInputs.set(out.dataId, x.dataId);
  return out;
}

/**
 * Records that the float32 tensor data `output` is the ReLU of the data
 * `input`, for a kernel other than Relu that ends in a ReLU; `input` may be
 * `output` itself, whose sign is the ReLU input's (max(z, 0) > 0 exactly
 * where z > 0), which is all the max-pool gradient reads of it.
 *
 * @example
 * ```ts
 * recordReluOutput(out.dataId, out.dataId); // a convolution with its ReLU fused
 * ```
 */
export function recordReluOutput(output: object, input: object): void {
  reluInputs.set(output, input);
}

/**
 * The data id of the ReLU input that `output` (a tensor's data id) is the
 * ReLU of, if a Relu kernel of these backends made it.
 *
 * @example
 * ```ts
 * reluInputOf(pooled.dataId); // the pre-activation's data id, or undefined
 * ```
 */
export function reluInputOf(output: object): object | undefined {
  return reluInputs.get(output);
}

/** A ReLU gradient made ahead of time, waiting for ReLU's gradient kernel. */
export interface ReluGradientOffer {
  /** The data id of the gradient ReLU's gradient kernel will receive (dy). */
  gradient: object;
  /** The data id of the ReLU input it is the gradient for (x). */
  reluInput: object;
  /** The ready result, owned here until taken. */
  result: TensorInfo;
}

/** Column sums made ahead of time, waiting for the Sum kernel. */
export interface ColumnSumOffer {
  /** The data id of the tensor they are the sums over every axis but the last of. */
  of: object;
  /** The ready sums, one per column, owned here until taken. */
  result: TensorInfo;
}

/** Offers kept per backend and kind; a third one pushes the oldest out. */
const MAX_OFFERS = 2;
const offers = new WeakMap<BackendWasm, ReluGradientOffer[]>();
const sumOffers = new WeakMap<BackendWasm, ColumnSumOffer[]>();

/** Appends `offer` to `backend`'s list in `lists`, freeing the oldest beyond two. */
function keepOffer<T extends { result: TensorInfo }>(
  lists: WeakMap<BackendWasm, T[]>,
  backend: BackendWasm,
  offer: T,
): void {
  let waiting = lists.get(backend);
  if (waiting === undefined) {
    waiting = [];
    lists.set(backend, waiting);
  }
  waiting.push(offer);
  while (waiting.length > MAX_OFFERS) backend.disposeData(waiting.shift()!.result.dataId, true);
}

/** Removes and returns the first offer of `backend`'s list that `matches`. */
function takeOffer<T extends { result: TensorInfo }>(
  lists: WeakMap<BackendWasm, T[]>,
  backend: BackendWasm,
  matches: (offer: T) => boolean,
): TensorInfo | undefined {
  const waiting = lists.get(backend) ?? [];
  const at = waiting.findIndex(matches);
  if (at < 0) return undefined;
  return waiting.splice(at, 1)[0].result;
}

/**
 * Keeps `offer` for ReLU's gradient kernel, freeing the oldest offer if
 * more than two wait (a gradient nobody asked ReLU's gradient of).
 *
 * @example
 * ```ts
 * offerReluGradient(backend, { gradient: dx.dataId, reluInput, result: masked });
 * ```
 */
export function offerReluGradient(backend: BackendWasm, offer: ReluGradientOffer): void {
  keepOffer(offers, backend, offer);
}

/**
 * The offered ReLU gradient for gradient `dy` and ReLU input `x`, handed
 * over (the caller returns it as its kernel output), or undefined.
 *
 * @example
 * ```ts
 * const ready = takeReluGradient(backend, { dy, x });
 * if (ready !== undefined) return ready;
 * ```
 */
export function takeReluGradient(
  backend: BackendWasm,
  { dy, x }: { dy: TensorInfo; x: TensorInfo },
): TensorInfo | undefined {
  return takeOffer(
    offers,
    backend,
    (offer) => offer.gradient === dy.dataId && offer.reluInput === x.dataId,
  );
}

/**
 * Keeps the column sums of a tensor made ahead of time for the Sum kernel,
 * freeing the oldest offer if more than two wait.
 *
 * @example
 * ```ts
 * offerColumnSum(backend, { of: masked.dataId, result: sums });
 * ```
 */
export function offerColumnSum(backend: BackendWasm, offer: ColumnSumOffer): void {
  keepOffer(sumOffers, backend, offer);
}

/**
 * The offered column sums of `x`, handed over (the caller returns them as
 * its kernel output), or undefined.
 *
 * @example
 * ```ts
 * const ready = takeColumnSum(backend, x);
 * ```
 */
export function takeColumnSum(backend: BackendWasm, x: TensorInfo): TensorInfo | undefined {
  return takeOffer(sumOffers, backend, (offer) => offer.of === x.dataId);
}
