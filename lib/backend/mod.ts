/**
 * Fast CPU backends for TensorFlow.js under Deno, chosen by
 * {@linkcode setupBackend}:
 *
 * - `blas`: the stock wasm backend (its own instance, registered as tfjs
 *   backend "blas") with Conv2D, FusedConv2D, both Conv2D gradients,
 *   BatchMatMul and _FusedMatMul running as `sgemm` calls of oneDNN (else
 *   OpenBLAS or Accelerate) through Deno FFI on zero-copy views of the
 *   wasm heap.
 * - `wasm`: the same without FFI (tfjs backend "wasm-fast"): the Conv2D
 *   gradients and transposed products as XNNPACK products around im2col.
 * - `cpu`: the stock tfjs JavaScript backend, as a reference.
 *
 * Both fast backends also replace, with hand-written WebAssembly SIMD loops
 * (simd/kernels.wat): MaxPoolGrad (the stock one misroutes windows of
 * values <= 0), im2col and col2im, the bias add and bias-gradient sums,
 * Adam's update (in place when nothing shares the weights), ReLU's
 * gradient (made inside the max-pool gradient when a ReLU feeds a 2x2
 * pool, with the bias gradient), batch normalisation in training (one
 * forward and one gradient kernel), and Identity and same-type Cast without
 * a copy; SplitV (Concat's gradient) is a loop of run copies.
 *
 * Three changes reach beyond the two backends, and keep the original
 * behaviour on every other backend: `tf.AdamOptimizer.prototype.
 * applyGradients` runs one fused kernel per variable, ReLU's registered
 * gradient runs one fused kernel, and tfjs-layers' BatchNormalization
 * normalises a training batch with the fused kernels, when the active
 * backend is one of these.
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
