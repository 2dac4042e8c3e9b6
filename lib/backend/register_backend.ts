/**
 * Registers a tfjs backend that is the stock wasm backend with some kernels
 * replaced.
 *
 * Each such backend gets its own wasm module, the stock one on a shared
 * memory (shared_heap.ts), every
 * stock wasm kernel under its own name, then the replacements. The stock
 * kernels keep their compiled functions in module-level variables, which
 * `tf.setBackend` rebinds (it reruns every kernel's setup), so switching
 * between these backends with `tf.setBackend` is safe.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { KernelArgs, TensorInfo } from "./heap.ts";
import { createSharedHeapBackend } from "./shared_heap.ts";

/** A kernel function of a wasm-derived backend. */
export type WasmKernelFunc = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** Kernel replacements, by tfjs kernel name. */
export type KernelOverrides = Record<string, WasmKernelFunc>;

/** A kernel that several backends share under one name. */
export interface SharedKernel {
  kernelName: string;
  kernelFunc: WasmKernelFunc;
}

/** Below the stock wasm (2) and cpu (1) backends: never picked implicitly. */
const PRIORITY = 0;

/**
 * Registers `backendName` (once) and its kernels (again on every call, so
 * that new overrides replace old ones).
 *
 * @example
 * ```ts
 * registerWasmDerivedBackend("wasm-fast", { MaxPoolGrad: maxPoolGrad });
 * await tf.setBackend("wasm-fast");
 * ```
 */
export function registerWasmDerivedBackend(
  backendName: string,
  overrides: KernelOverrides,
): void {
  if (tf.findBackendFactory(backendName) == null) {
    const stockFactory = tf.findBackendFactory("wasm");
    if (stockFactory == null) {
      throw new TypeError(
        `Cannot register backend '${backendName}': the stock 'wasm' backend ` +
          `is not registered, expected @tensorflow/tfjs-backend-wasm loaded`,
      );
    }
    tf.registerBackend(backendName, createSharedHeapBackend, PRIORITY);
  }
  for (const stock of tf.getKernelsForBackend("wasm")) {
    if (tf.getKernel(stock.kernelName, backendName) === undefined) {
      tf.registerKernel({ ...stock, backendName });
    }
  }
  for (const [kernelName, kernelFunc] of Object.entries(overrides)) {
    const stock = tf.getKernel(kernelName, "wasm");
    if (tf.getKernel(kernelName, backendName) !== undefined) {
      tf.unregisterKernel(kernelName, backendName);
    }
    tf.registerKernel({
      kernelName,
      backendName,
      // The override may call the stock kernel, which needs its setup.
      setupFunc: stock?.setupFunc,
      kernelFunc: kernelFunc as tf.KernelFunc,
    });
  }
}

/**
 * Registers `kernel` on each of `backendNames` that does not have a kernel
 * of that name yet; calling it again for the same backends does nothing.
 *
 * @example
 * ```ts
 * registerKernelOnce({ kernelName: "FusedReluGradient", kernelFunc: reluGradient }, ["blas"]);
 * ```
 */
export function registerKernelOnce(kernel: SharedKernel, backendNames: readonly string[]): void {
  for (const backendName of backendNames) {
    if (tf.getKernel(kernel.kernelName, backendName) === undefined) {
      tf.registerKernel({
        kernelName: kernel.kernelName,
        backendName,
        kernelFunc: kernel.kernelFunc as tf.KernelFunc,
      });
    }
  }
}
