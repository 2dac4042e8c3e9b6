/**
 * Fast backends for TensorFlow.js under Deno, chosen by
 * {@linkcode setupBackend}:
 *
 * - `webgpu`: tfjs's stock WebGPU backend on a device got here, guarded
 *   against where tfjs and Deno's WebGPU disagree (webgpu_adapter.ts);
 *   `auto` picks it only on an adapter that is not a software fallback.
 * - `blas`: the stock wasm backend (its own instance, registered as tfjs
 *   backend "blas") with Conv2D, FusedConv2D, both Conv2D gradients,
 *   BatchMatMul and _FusedMatMul running as `sgemm` calls of oneDNN (else
 *   OpenBLAS or Accelerate, else ONNX Runtime from the npm package
 *   onnxruntime-node: onnx_runtime.ts) through Deno FFI on zero-copy views
 *   of the wasm heap.
 * - `wasm`: the same without FFI (tfjs backend "wasm-fast"): the same
 *   kernels, with the products on a generated WebAssembly SIMD kernel
 *   (relaxed-SIMD fused multiply-add where the engine has it) split across
 *   worker threads on the shared heap (wasm_gemm.ts, worker_pool.ts).
 * - `cpu`: the stock tfjs JavaScript backend, as a reference.
 *
 * Both backends' heaps are shared memories (shared_heap.ts), so that their
 * worker threads (threads.ts) can split large passes. Both also replace,
 * with hand-written WebAssembly SIMD loops
 * (simd/kernels.wat): MaxPoolGrad (the stock one misroutes windows of
 * values <= 0), im2col and col2im, the bias add and bias-gradient sums,
 * Adam's update (in place when nothing shares the weights), ReLU's
 * gradient (made inside the max-pool gradient when a ReLU feeds a 2x2
 * pool, with the bias gradient), batch normalisation in training (one
 * forward and one gradient kernel), and Identity and same-type Cast without
 * a copy; SplitV (Concat's gradient) is a loop of run copies, and GatherV2
 * along the first axis (how `model.fit` cuts its batches) one row copy per index.
 * A fused product's bias and ReLU are one threaded pass after it
 * (epilogue.ts), and the layers models' loss, categorical cross-entropy,
 * is one kernel and one gradient kernel (cross_entropy.ts).
 *
 * Four changes reach beyond the two backends, and keep the original
 * behaviour on every other backend: `tf.AdamOptimizer.prototype.
 * applyGradients` runs one fused kernel per variable, ReLU's registered
 * gradient runs one fused kernel, tfjs-layers' BatchNormalization
 * normalises a training batch with the fused kernels, and tfjs-layers'
 * Conv2D with a ReLU runs convolution, bias and ReLU as one kernel while
 * gradients are recorded (conv_relu_layer.ts), when the active backend is
 * one of these.
 *
 * `benchmarkModels` measures training and inference speed on the active backend.
 *
 * @example
 * ```ts
 * import { setupBackend } from "./lib/backend/mod.ts";
 * const info = await setupBackend({ backend: "auto" });
 * console.log(info.description);
 * ```
 *
 * @module
 */
export {
  BACKEND_NAMES,
  type BackendInfo,
  defaultBlasThreads,
  setupBackend,
  type SetupBackendOptions,
} from "./setup_backend.ts";
export { BLAS_APT_PACKAGES, BLAS_LIBRARY_CANDIDATES } from "./blas_library.ts";
export {
  benchmarkModels,
  type BenchOptions,
  type BenchResult,
  INFER_BATCH,
  type ModelThroughput,
  TRAIN_BATCH,
} from "./bench.ts";
export { describeAdapter, WEBGPU_APT_PACKAGE, type WebGpuAdapterInfo } from "./webgpu_adapter.ts";
