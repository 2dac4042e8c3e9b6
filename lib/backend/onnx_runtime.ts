/**
 * ONNX Runtime as a library of matrix products: the `libonnxruntime` that
 * the npm package `onnxruntime-node` ships for Linux x64 and arm64, macOS
 * arm64 and Windows, reached with Deno FFI through its C API. It is the
 * BLAS backend's library on a machine without oneDNN or OpenBLAS.
 *
 * Each product runs a cached one-node `Gemm` session (one per transpose
 * pattern, alpha, beta and thread count) on tensors that wrap the caller's
 * memory, so nothing is copied. ONNX Runtime's CPU kernels (MLAS) choose
 * AVX-512, AVX2 or NEON code for the CPU they find, and split a product by
 * blocks of the result, so a product repeats exactly for a thread count.
 *
 * Sessions, the environment and the library stay open for the process.
 *
 * @module
 */
import type { BlasLibrary, SgemmCall } from "./blas_library.ts";
import { encodeGemmModel } from "./onnx_gemm_model.ts";
import {
  checkStatus,
  type OrtApi,
  type OrtLibrary,
  tryOpenOrtLibrary,
} from "./onnx_runtime_api.ts";

/** The npm package that ships the library, named in deno.json's imports. */
export const ONNX_RUNTIME_PACKAGE = "onnxruntime-node";

/** `ORT_LOGGING_LEVEL_ERROR`: the library prints only errors. */
const LOG_ERRORS = 3;
/** `OrtDeviceAllocator` and `OrtMemTypeDefault`: plain CPU memory. */
const DEVICE_ALLOCATOR = 0;
const MEMORY_DEFAULT = 0;
/** `ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT`. */
const ELEMENT_FLOAT = 1;

/**
 * Where the package keeps the library for this platform, relative to its
 * `dist/index.js`, or undefined where it ships none (macOS on Intel).
 *
 * @example
 * ```ts
 * onnxRuntimeFile("linux", "x86_64"); // "../bin/napi-v6/linux/x64/libonnxruntime.so.1"
 * ```
 */
export function onnxRuntimeFile(
  os: typeof Deno.build.os,
  arch: typeof Deno.build.arch,
): string | undefined {
  const cpu = arch === "x86_64" ? "x64" : "arm64";
  if (os === "linux") return `../bin/napi-v6/linux/${cpu}/libonnxruntime.so.1`;
  if (os === "darwin" && arch === "aarch64") {
    return "../bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib";
  }
  if (os === "windows") return `../bin/napi-v6/win32/${cpu}/onnxruntime.dll`;
  return undefined;
}

/** Options for {@linkcode openOnnxRuntime}. */
export interface OpenOnnxRuntimeOptions {
  /** The library to open instead of the one in the npm package. */
  path?: string;
}

/**
 * Opens ONNX Runtime, by default from the `onnxruntime-node` package in
 * node_modules, as a {@linkcode BlasLibrary} named "ONNX Runtime".
 *
 * Its `sgemm` takes any alpha and beta and both transposes, but only
 * matrices stored without padding: `lda` is `transA ? m : k`, `ldb` is
 * `transB ? k : n` and `ldc` is `n`, as the backend's kernels pass them.
 *
 * @throws {Deno.errors.NotFound} when the library cannot be opened, or the
 *   platform has none in the package.
 * @throws {Deno.errors.NotCapable} without the FFI permission.
 * @example
 * ```ts
 * const ort = openOnnxRuntime();
 * ort.name; // "ONNX Runtime"
 * ort.sgemm({ transA: false, transB: false, m, n, k, a, lda: k, b, ldb: n, c, ldc: n });
 * ```
 */
export function openOnnxRuntime(options: OpenOnnxRuntimeOptions = {}): BlasLibrary {
  const path = options.path ?? packagedOnnxRuntimePath();
  const library = tryOpenOrtLibrary(path);
  if (library === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot open ONNX Runtime: tried ${path}, expected libonnxruntime 1.13 or later ` +
        `(deno install puts npm:${ONNX_RUNTIME_PACKAGE}'s copy in node_modules)`,
    );
  }
  return createOrtBlas(library, path);
}

/**
 * The path of the library in the `onnxruntime-node` package under
 * node_modules, for this platform; the file may be missing (before
 * `deno install`).
 *
 * @throws {Deno.errors.NotFound} where the package ships no library for
 *   the platform, or the package does not resolve to a file.
 * @example
 * ```ts
 * packagedOnnxRuntimePath();
 * // "/repo/node_modules/.deno/onnxruntime-node@1.30.0/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
 * ```
 */
export function packagedOnnxRuntimePath(): string {
  const file = onnxRuntimeFile(Deno.build.os, Deno.build.arch);
  if (file === undefined) {
    throw new Deno.errors.NotFound(
      `Cannot open ONNX Runtime: npm:${ONNX_RUNTIME_PACKAGE} ships no library for ` +
        `${Deno.build.os} on ${Deno.build.arch}, expected Linux, Windows or macOS on arm64`,
    );
  }
  const url = new URL(file, import.meta.resolve(ONNX_RUNTIME_PACKAGE));
  if (url.protocol !== "file:") {
    throw new Deno.errors.NotFound(
      `Cannot open ONNX Runtime: ${ONNX_RUNTIME_PACKAGE} resolves to ${url.href}, ` +
        `expected a file under node_modules ("nodeModulesDir" in deno.json)`,
    );
  }
  const path = decodeURIComponent(url.pathname);
  return Deno.build.os === "windows" ? path.slice(1) : path;
}

/** Reusable off-heap buffers for one call's arguments. */
interface CallBuffers {
  /** One pointer, written by the C API. */
  out: BigUint64Array;
  shape: BigInt64Array;
  inputs: BigUint64Array;
  outputs: BigUint64Array;
  inputNames: BigUint64Array;
  outputNames: BigUint64Array;
}

/**
 * Typed arrays over `new ArrayBuffer`, which V8 keeps off its moving heap,
 * so that pointers to them stay valid between calls.
 */
function createCallBuffers(): CallBuffers & { names: Uint8Array } {
  const names = new Uint8Array(new ArrayBuffer(64));
  names.set(new TextEncoder().encode("A\0B\0C\0Y\0"));
  const base = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(names)));
  const pointers = (count: number) => new BigUint64Array(new ArrayBuffer(8 * count));
  const inputNames = pointers(3);
  inputNames.set([base, base + 2n, base + 4n]);
  const outputNames = pointers(1);
  outputNames[0] = base + 6n;
  return {
    names,
    out: pointers(1),
    shape: new BigInt64Array(new ArrayBuffer(16)),
    inputs: pointers(3),
    outputs: pointers(1),
    inputNames,
    outputNames,
  };
}

function cString(text: string): Uint8Array {
  return new TextEncoder().encode(`${text}\0`);
}

function createOrtBlas({ api, version }: OrtLibrary, path: string): BlasLibrary {
  const buffers = createCallBuffers();
  const newPointer = (status: Deno.PointerValue, action: string): Deno.PointerValue => {
    checkStatus(api, status, action);
    return Deno.UnsafePointer.create(buffers.out[0]);
  };
  const env = newPointer(
    api.CreateEnv.call(LOG_ERRORS, cString("mnist-backend"), buffers.out),
    "create an environment",
  );
  const memory = newPointer(
    api.CreateCpuMemoryInfo.call(DEVICE_ALLOCATOR, MEMORY_DEFAULT, buffers.out),
    "describe CPU memory",
  );
  const sessions = new Map<string, Deno.PointerValue>();
  let threads = 1;
  const sessionFor = (call: SgemmCall): Deno.PointerValue => {
    const options = {
      transA: call.transA,
      transB: call.transB,
      alpha: call.alpha ?? 1,
      beta: call.beta ?? 0,
    };
    const key = `${threads} ${options.transA} ${options.transB} ${options.alpha} ${options.beta}`;
    let session = sessions.get(key);
    if (session === undefined) {
      session = createSession(api, env, buffers, encodeGemmModel(options), threads);
      sessions.set(key, session);
    }
    return session;
  };
  return {
    path,
    name: "ONNX Runtime",
    coreName: undefined,
    version,
    sgemm(call: SgemmCall): void {
      checkDense(call);
      runGemm(api, { session: sessionFor(call), memory, buffers }, call);
    },
    setThreads(count: number): boolean {
      threads = count;
      return true;
    },
  };
}

/**
 * A session of `model` on `threads` threads that do not spin between
 * products: a spinning thread would hold a core that the wasm kernels'
 * workers and V8's own threads need.
 */
function createSession(
  api: OrtApi,
  env: Deno.PointerValue,
  buffers: CallBuffers,
  model: Uint8Array,
  threads: number,
): Deno.PointerValue {
  checkStatus(api, api.CreateSessionOptions.call(buffers.out), "create session options");
  const options = Deno.UnsafePointer.create(buffers.out[0]);
  try {
    checkStatus(api, api.SetIntraOpNumThreads.call(options, threads), "set the thread count");
    checkStatus(
      api,
      api.AddSessionConfigEntry.call(
        options,
        cString("session.intra_op.allow_spinning"),
        cString("0"),
      ),
      "turn thread spinning off",
    );
    checkStatus(
      api,
      api.CreateSessionFromArray.call(env, model, BigInt(model.length), options, buffers.out),
      "load a Gemm model",
    );
    return Deno.UnsafePointer.create(buffers.out[0]);
  } finally {
    api.ReleaseSessionOptions.call(options);
  }
}

function checkDense(call: SgemmCall): void {
  const expected = [call.transA ? call.m : call.k, call.transB ? call.k : call.n, call.n];
  const found = [call.lda, call.ldb, call.ldc];
  if (found.some((value, i) => value !== expected[i])) {
    throw new RangeError(
      `Cannot multiply ${call.m}x${call.k} by ${call.k}x${call.n} with ONNX Runtime: leading ` +
        `dimensions are ${found.join(", ")}, expected ${expected.join(", ")} (unpadded matrices)`,
    );
  }
}

interface RunContext {
  session: Deno.PointerValue;
  memory: Deno.PointerValue;
  buffers: CallBuffers;
}

/** Wraps a, b (and c when beta is not 0) and the output c as tensors, and runs the session. */
function runGemm(api: OrtApi, { session, memory, buffers }: RunContext, call: SgemmCall): void {
  const { m, n, k } = call;
  const wrap = (data: Float32Array, rows: number, columns: number, name: string) => {
    if (data.length < rows * columns) {
      throw new RangeError(
        `Cannot multiply with ONNX Runtime: ${name} holds ${data.length} floats, expected at ` +
          `least ${rows * columns} (${rows}x${columns})`,
      );
    }
    buffers.shape[0] = BigInt(rows);
    buffers.shape[1] = BigInt(columns);
    const status = api.CreateTensorWithDataAsOrtValue.call(
      memory,
      data,
      BigInt(rows * columns * 4),
      buffers.shape,
      2n,
      ELEMENT_FLOAT,
      buffers.out,
    );
    checkStatus(api, status, `wrap ${name} as a tensor`);
    return buffers.out[0];
  };
  const accumulate = (call.beta ?? 0) !== 0;
  const count = accumulate ? 3 : 2;
  buffers.inputs.fill(0n);
  buffers.outputs[0] = 0n;
  try {
    buffers.inputs[0] = wrap(call.a, call.transA ? k : m, call.transA ? m : k, "a");
    buffers.inputs[1] = wrap(call.b, call.transB ? n : k, call.transB ? k : n, "b");
    if (accumulate) buffers.inputs[2] = wrap(call.c, m, n, "c");
    buffers.outputs[0] = wrap(call.c, m, n, "c");
    const status = api.Run.call(
      session,
      null,
      buffers.inputNames,
      buffers.inputs,
      BigInt(count),
      buffers.outputNames,
      1n,
      buffers.outputs,
    );
    checkStatus(api, status, `multiply ${m}x${k} by ${k}x${n}`);
  } finally {
    for (const value of [...buffers.inputs, buffers.outputs[0]]) {
      if (value !== 0n) api.ReleaseValue.call(Deno.UnsafePointer.create(value));
    }
  }
}
