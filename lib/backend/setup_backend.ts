/**
 * Chooses and activates the tfjs backend: WebGPU, BLAS through FFI, the
 * pure-wasm kernels, or the stock cpu backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { BACKEND_IDS, type BackendId } from "../config.ts";
import { BLAS_APT_PACKAGES, type BlasLibrary, openBlasLibrary } from "./blas_library.ts";
import { columnSum } from "./column_sum.ts";
import { sharedCast, sharedIdentity, sharedSlice } from "./shared_data.ts";
import { createBlasConvKernels } from "./conv2d_blas.ts";
import { createHeapGemm, type HeapGemm } from "./heap_gemm.ts";
import { createBlasMatMulKernels } from "./matmul_blas.ts";
import { maxPool, maxPoolGrad } from "./max_pool.ts";
import { openOnnxRuntime } from "./onnx_runtime.ts";
import { installFusedAdam } from "./fused_adam.ts";
import { installReluGradient } from "./relu_gradient.ts";
import { installFusedBatchNorm } from "./batch_norm_layer.ts";
import { CONV_BIAS_RELU_KERNEL, installConvRelu } from "./conv_relu_layer.ts";
import { biasAdd } from "./bias_add.ts";
import { crossEntropy, crossEntropyGradient } from "./cross_entropy.ts";
import { CROSS_ENTROPY_GRADIENT_KERNEL, CROSS_ENTROPY_KERNEL } from "../models/mod.ts";
import { gatherRows } from "./gather_rows.ts";
import { splitV } from "./split.ts";
import { reluRecordingInput } from "./relu_pool_gradient.ts";
import { type KernelOverrides, registerWasmDerivedBackend } from "./register_backend.ts";
import { hasRelaxedSimd, startThreads } from "./threads.ts";
import { createWasmGemm } from "./wasm_gemm.ts";
import {
  describeAdapter,
  type FoundWebGpuAdapter,
  LINUX_GPU_DEVICES,
  mayHaveGpu,
} from "./webgpu_adapter.ts";
import {
  findWebGpuAdapterOnce,
  registerWebGpuBackend,
  WEBGPU_BACKEND_NAME,
} from "./webgpu_backend.ts";

/** The tfjs backend names registered here. */
export const BACKEND_NAMES = {
  blas: "blas",
  wasm: "wasm-fast",
  webgpu: WEBGPU_BACKEND_NAME,
} as const;

/** Options for {@linkcode setupBackend}. */
export interface SetupBackendOptions {
  /**
   * Which backend; "auto" (the default) is WebGPU on an adapter that is not a
   * software fallback, else BLAS on a system library (oneDNN, OpenBLAS or
   * Accelerate) when found, else BLAS on ONNX Runtime from npm, else wasm.
   */
  backend?: BackendId;
  /**
   * Path of the BLAS library, instead of searching the usual places; a file
   * named like `libonnxruntime*` or `onnxruntime*` is opened as ONNX Runtime.
   */
  blasLibrary?: string;
  /** Most BLAS threads a large product may use; default {@linkcode defaultBlasThreads}. */
  blasThreads?: number;
  /**
   * Threads the wasm kernels split large work across (products on the
   * wasm path; im2col, col2im, pooling and element-wise passes on both);
   * default {@linkcode defaultBlasThreads}.
   */
  wasmThreads?: number;
  /**
   * Make "auto" act as on a machine without oneDNN, OpenBLAS or
   * Accelerate (ONNX Runtime from npm, else wasm), to measure that path;
   * default false.
   */
  ignoreSystemLibraries?: boolean;
}

/**
 * The BLAS threads a large product uses unless told otherwise: every core,
 * up to four. The JS thread waits while BLAS runs, so on a quiet machine a
 * second thread speeds the convolutions up (measured on 2 cores: CNN
 * training 2,814 to 3,235 images/s); beyond four the products are too small
 * to gain.
 *
 * @example
 * ```ts
 * defaultBlasThreads(); // 2 on a 2-core machine
 * ```
 */
export function defaultBlasThreads(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency ?? 1, 4));
}

/** What {@linkcode setupBackend} activated. */
export interface BackendInfo {
  id: "webgpu" | "blas" | "wasm" | "cpu";
  /** One line saying what was chosen and why. */
  description: string;
}

/**
 * Registers the fast kernels (once per process) and makes the chosen
 * backend the active tfjs backend. Safe to call again, with the same or
 * other options.
 *
 * @throws {RangeError} for an unknown backend id or thread count.
 * @throws {Deno.errors.NotFound} when "blas" is asked for and no BLAS
 *   library can be opened, or "webgpu" and no adapter is found.
 * @throws {Deno.errors.NotSupported} when "webgpu" is asked for and the
 *   adapter gives no device.
 * @example
 * ```ts
 * const info = await setupBackend({ backend: "auto" });
 * info.description; // "blas: oneDNN via FFI (/usr/lib/...), AVX-512 kernels, direct convolutions, up to 2 threads"
 * ```
 */
export async function setupBackend(
  options: SetupBackendOptions = {},
): Promise<BackendInfo> {
  const id = options.backend ?? "auto";
  if (!BACKEND_IDS.includes(id)) {
    throw new RangeError(
      `Cannot set up backend: got '${id}', expected one of ${BACKEND_IDS.join(", ")}`,
    );
  }
  const threads = options.blasThreads ?? defaultBlasThreads();
  const wasmThreads = options.wasmThreads ?? defaultBlasThreads();
  for (const [what, count] of [["BLAS", threads], ["wasm", wasmThreads]] as const) {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(
        `Cannot set up backend: ${what} threads is ${count}, expected an integer >= 1`,
      );
    }
  }
  if (id === "cpu") {
    await activate("cpu");
    skipNodeBackendAdvice();
    return { id, description: "cpu: stock tfjs JavaScript kernels, as asked" };
  }
  if (id === "wasm") return await setupWasm(wasmThreads, "as asked");
  if (id === "auto" && options.ignoreSystemLibraries === true) {
    // The line names WebGPU as plain "auto" does; a usable adapter is passed over, since the
    // point is to measure the CPU path of a machine without the system libraries.
    const adapter = await findUsableWebGpuAdapter();
    const webGpu = typeof adapter === "string"
      ? `, no WebGPU: ${adapter}`
      : `, WebGPU on ${describeAdapter(adapter.info)} passed over, as asked`;
    return await setupWithoutSystemLibrary(
      threads,
      wasmThreads,
      `system libraries ignored, as asked${webGpu}`,
    );
  }
  if (id === "webgpu") return await setupWebGpu(await findWebGpuAdapterOnce(), "as asked");
  let noWebGpu = "";
  if (id === "auto") {
    const webGpu = await trySetupWebGpu();
    if (typeof webGpu !== "string") return webGpu;
    noWebGpu = `, no WebGPU: ${webGpu}`;
  }
  let library: BlasLibrary;
  try {
    library = openBlasLibraryOnce(options.blasLibrary);
  } catch (error) {
    if (id === "blas") throw error;
    return await setupWithoutSystemLibrary(threads, wasmThreads, `${reasonOf(error)}${noWebGpu}`);
  }
  return await setupBlas(library, threads, wasmThreads, noWebGpu);
}

/**
 * The BLAS backend on ONNX Runtime from npm, else the wasm path; the line
 * says that no system library was used, and why (`why`).
 */
async function setupWithoutSystemLibrary(
  threads: number,
  wasmThreads: number,
  why: string,
): Promise<BackendInfo> {
  let library: BlasLibrary;
  try {
    library = openLibraryOnce(ONNX_RUNTIME_KEY, () => openOnnxRuntime());
  } catch (error) {
    const noOnnxRuntime = error instanceof Deno.errors.NotFound
      ? `no ONNX Runtime (${error.message})`
      : `no ONNX Runtime: ${reasonOf(error)}`;
    return await setupWasm(wasmThreads, `no BLAS: ${why}; ${noOnnxRuntime}`);
  }
  return await setupBlas(library, threads, wasmThreads, `; no system BLAS: ${why}`);
}

/**
 * Sets WebGPU up for "auto" when a GPU may be present and the adapter is not
 * a software fallback, or returns why not: on a CPU, a software adapter is
 * far slower than the wasm kernels.
 */
async function trySetupWebGpu(): Promise<BackendInfo | string> {
  const found = await findUsableWebGpuAdapter();
  if (typeof found === "string") return found;
  try {
    return await setupWebGpu(found, "a GPU adapter was found");
  } catch (error) {
    if (error instanceof Deno.errors.NotSupported) return error.message;
    throw error;
  }
}

/** The adapter "auto" would run WebGPU on, or why there is none: no GPU, no adapter, or a software one. */
async function findUsableWebGpuAdapter(): Promise<FoundWebGpuAdapter | string> {
  if (!mayHaveGpu()) return `no GPU device (${LINUX_GPU_DEVICES.join(", ")})`;
  let found: FoundWebGpuAdapter;
  try {
    found = await findWebGpuAdapterOnce();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "no adapter";
    throw error;
  }
  if (found.info.isFallbackAdapter) {
    return `${found.info.description || "the adapter"} is a software fallback`;
  }
  return found;
}

async function setupWebGpu(found: FoundWebGpuAdapter, why: string): Promise<BackendInfo> {
  await registerWebGpuBackend(found);
  await activate(WEBGPU_BACKEND_NAME);
  return {
    id: "webgpu",
    description: `webgpu: stock tfjs kernels on ${describeAdapter(found.info)}, ${why}`,
  };
}

const openedLibraries = new Map<string, BlasLibrary>();

/** The key of ONNX Runtime from npm in the opened libraries. */
const ONNX_RUNTIME_KEY = "npm:onnxruntime-node";

/** Opens a library once per process: dlopen handles are never closed. */
function openLibraryOnce(key: string, open: () => BlasLibrary): BlasLibrary {
  let library = openedLibraries.get(key);
  if (library === undefined) {
    library = open();
    openedLibraries.set(key, library);
  }
  return library;
}

/** Opens the system library found first, or the one at `path` (ONNX Runtime by its name). */
function openBlasLibraryOnce(path: string | undefined): BlasLibrary {
  const onnxRuntime = path !== undefined && /(^|[\\/])(lib)?onnxruntime[^\\/]*$/.test(path);
  return openLibraryOnce(
    path ?? "",
    () => onnxRuntime ? openOnnxRuntime({ path }) : openBlasLibrary({ path }),
  );
}

function reasonOf(error: unknown): string {
  if (error instanceof Deno.errors.NotCapable) {
    return "FFI not permitted (run with --allow-ffi)";
  }
  if (error instanceof Deno.errors.NotFound) {
    return `library not found (apt-get install ${BLAS_APT_PACKAGES.join(" or ")})`;
  }
  throw error;
}

/**
 * Makes the active cpu backend's first tensor write, which prints tfjs's
 * advice to install tfjs-node (misleading here: tfjs-node cannot be
 * installed, and the blas and wasm backends are the fast path), with tfjs's
 * warnings off. Production mode is what silences them; it is switched back
 * at once, for that one synchronous write, so that later warnings (a backend
 * failing to initialise, a kernel registered twice) still show.
 */
function skipNodeBackendAdvice(): void {
  const env = tf.env();
  const production = env.getBool("PROD");
  env.set("PROD", true);
  try {
    tf.scalar(0).dispose();
  } finally {
    env.set("PROD", production);
  }
}

async function activate(backendName: string): Promise<void> {
  if (!(await tf.setBackend(backendName))) {
    throw new TypeError(
      `Cannot activate tfjs backend '${backendName}': its initialisation ` +
        `failed, expected it to load its wasm binary or wrap its WebGPU device`,
    );
  }
  await tf.ready();
}

/**
 * The kernels both fast backends replace the same way: pooling, sums, data
 * views, row gathers, bias add, ReLU (the stock kernel, recording its inputs),
 * and the layers models' loss and its gradient.
 */
const COMMON_OVERRIDES: KernelOverrides = {
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  Sum: columnSum,
  Identity: sharedIdentity,
  Cast: sharedCast,
  Slice: sharedSlice,
  Add: biasAdd,
  Relu: reluRecordingInput,
  SplitV: splitV,
  GatherV2: gatherRows,
  [CROSS_ENTROPY_KERNEL]: crossEntropy,
  [CROSS_ENTROPY_GRADIENT_KERNEL]: crossEntropyGradient,
};

/**
 * Registers a fast backend whose products and convolutions run on `gemm`,
 * and the common kernels, installs the fused training steps, activates it,
 * and starts its worker threads.
 */
async function activateFastBackend(
  backendName: string,
  gemm: HeapGemm,
  wasmThreads: number,
): Promise<void> {
  const conv = createBlasConvKernels(gemm);
  const matMul = createBlasMatMulKernels(gemm);
  registerWasmDerivedBackend(backendName, {
    Conv2D: conv.conv2d,
    FusedConv2D: conv.fusedConv2d,
    Conv2DBackpropFilter: conv.conv2dBackpropFilter,
    Conv2DBackpropInput: conv.conv2dBackpropInput,
    BatchMatMul: matMul.batchMatMul,
    _FusedMatMul: matMul.fusedMatMul,
    [CONV_BIAS_RELU_KERNEL]: conv.fusedConv2d,
    ...COMMON_OVERRIDES,
  });
  installFusedAdam([BACKEND_NAMES.wasm, BACKEND_NAMES.blas]);
  installReluGradient([BACKEND_NAMES.wasm, BACKEND_NAMES.blas]);
  installFusedBatchNorm([BACKEND_NAMES.wasm, BACKEND_NAMES.blas]);
  installConvRelu([BACKEND_NAMES.wasm, BACKEND_NAMES.blas]);
  await activate(backendName);
  await startThreads(tf.backend() as BackendWasm, wasmThreads);
}

/** "2 threads", "1 thread". */
function threadCount(threads: number): string {
  return `${threads} ${threads === 1 ? "thread" : "threads"}`;
}

async function setupWasm(wasmThreads: number, why: string): Promise<BackendInfo> {
  await activateFastBackend(BACKEND_NAMES.wasm, createWasmGemm(), wasmThreads);
  const fma = hasRelaxedSimd() ? "relaxed-SIMD FMA" : "SIMD";
  return {
    id: "wasm",
    description: `wasm: ${fma} kernels on the wasm heap, ${threadCount(wasmThreads)}, ${why}`,
  };
}

async function setupBlas(
  library: BlasLibrary,
  threads: number,
  wasmThreads: number,
  why: string,
): Promise<BackendInfo> {
  await activateFastBackend(BACKEND_NAMES.blas, createHeapGemm(library, threads), wasmThreads);
  const kernels = library.coreName === undefined ? "" : `${library.coreName} kernels, `;
  const convolutions = library.convolutions === undefined ? "" : "direct convolutions, ";
  const name = library.version === undefined ? library.name : `${library.name} ${library.version}`;
  return {
    id: "blas",
    description: `blas: ${name} via FFI (${library.path}), ${kernels}${convolutions}up to ${
      threadCount(threads)
    }; wasm kernels on ${threadCount(wasmThreads)}${why}`,
  };
}
