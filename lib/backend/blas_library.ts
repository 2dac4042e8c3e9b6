/**
 * Finds and opens a library for single-precision matrix products with Deno
 * FFI: oneDNN (`dnnl_sgemm`, the library PyTorch's CPU convolutions come
 * from), else a CBLAS library (OpenBLAS or Apple Accelerate).
 *
 * `sgemm` is what every library must have: every BLAS kernel of this
 * backend is a single-precision matrix product on views of the wasm heap,
 * passed without copying. oneDNN 2.x also lends its direct convolutions
 * (onednn_convolution.ts).
 *
 * @module
 */
import { type OneDnnConvolutions, openOneDnnConvolutions } from "./onednn_convolution.ts";
import { preferPassiveWaits } from "./thread_wait_policy.ts";

/** Where oneDNN usually lives, tried first: its JIT kernels use every ISA the CPU has. */
export const ONEDNN_LIBRARY_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libdnnl.so.3",
  "/usr/lib/x86_64-linux-gnu/libdnnl.so.2",
  "/usr/lib/aarch64-linux-gnu/libdnnl.so.3",
  "/usr/lib/aarch64-linux-gnu/libdnnl.so.2",
  "/usr/local/lib/libdnnl.so.3",
  "/opt/homebrew/opt/onednn/lib/libdnnl.dylib",
  "libdnnl.so.3",
  "libdnnl.so.2",
];

/** Where OpenBLAS or Accelerate usually lives, tried after oneDNN. */
export const CBLAS_LIBRARY_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/lib/libopenblas.so.0",
  "/usr/local/lib/libopenblas.so.0",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
  "/System/Library/Frameworks/Accelerate.framework/Accelerate",
  "libopenblas.so.0",
];

/** Every place searched, in order. */
export const BLAS_LIBRARY_CANDIDATES: readonly string[] = [
  ...ONEDNN_LIBRARY_CANDIDATES,
  ...CBLAS_LIBRARY_CANDIDATES,
];

/** The Debian and Ubuntu packages that provide the libraries, the faster first. */
export const BLAS_APT_PACKAGES: readonly string[] = ["libdnnl2", "libopenblas0-pthread"];

const CBLAS_SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32", // order
      "i32", // transA
      "i32", // transB
      "i32", // m
      "i32", // n
      "i32", // k
      "f32", // alpha
      "buffer", // a
      "i32", // lda
      "buffer", // b
      "i32", // ldb
      "f32", // beta
      "buffer", // c
      "i32", // ldc
    ],
    result: "void",
  },
  openblas_set_num_threads: {
    parameters: ["i32"],
    result: "void",
    optional: true,
  },
  openblas_get_corename: {
    parameters: [],
    result: "pointer",
    optional: true,
  },
} as const;

const ONEDNN_SYMBOLS = {
  dnnl_sgemm: {
    parameters: [
      "u8", // transa, 'N' or 'T'
      "u8", // transb
      "i64", // m
      "i64", // n
      "i64", // k
      "f32", // alpha
      "buffer", // a
      "i64", // lda
      "buffer", // b
      "i64", // ldb
      "f32", // beta
      "buffer", // c
      "i64", // ldc
    ],
    result: "i32",
  },
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_get_effective_cpu_isa: { parameters: [], result: "i32", optional: true },
} as const;

const OPENMP_SYMBOLS = {
  omp_set_num_threads: { parameters: ["i32"], result: "void" },
} as const;

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;
const CHAR_N = 78;
const CHAR_T = 84;
/** `dnnl_version_t.cpu_runtime` of a oneDNN built on OpenMP. */
const DNNL_RUNTIME_OMP = 2;
/**
 * Byte offset of `cpu_runtime` in `dnnl_version_t`: after three ints, 4
 * bytes of padding and the hash pointer.
 */
const DNNL_VERSION_CPU_RUNTIME_OFFSET = 24;

/** A row-major product `c = alpha * op(a) * op(b) + beta * c` on float32 views. */
export interface SgemmCall {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha?: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta?: number;
  c: Float32Array;
  ldc: number;
}

/** Which library runs the products. */
export type BlasLibraryName = "oneDNN" | "OpenBLAS" | "Accelerate" | "ONNX Runtime";

/** An opened library of matrix products. */
export interface BlasLibrary {
  /** The path or name it was opened from. */
  path: string;
  name: BlasLibraryName;
  /**
   * The kernels the library chose for this CPU at load time, when it says:
   * OpenBLAS's core ("Haswell" for AVX2, "SkylakeX" or "Cooperlake" for
   * AVX-512; `OPENBLAS_CORETYPE` overrides the choice) or oneDNN's
   * instruction set ("AVX-512"; `ONEDNN_MAX_CPU_ISA` caps it).
   */
  coreName: string | undefined;
  /** The library's release, where the backend line shows it ("1.30.0" for ONNX Runtime). */
  version?: string;
  /** Runs one product. */
  sgemm(call: SgemmCall): void;
  /** Sets the library's thread count; false when it has no such control. */
  setThreads(threads: number): boolean;
  /** oneDNN 2.x's convolution primitives (onednn_convolution.ts); other libraries have none. */
  convolutions?: OneDnnConvolutions;
}

/** Options for {@linkcode openBlasLibrary}. */
export interface OpenBlasLibraryOptions {
  /** A library path to open instead of searching the usual places. */
  path?: string;
  /** The places to search, in order; default {@linkcode BLAS_LIBRARY_CANDIDATES}. */
  candidates?: readonly string[];
}

/**
 * Opens the first library found (oneDNN, then OpenBLAS or Accelerate), or
 * the one named in `options.path`, with its idle threads sleeping rather
 * than spinning where the environment does not say otherwise
 * (thread_wait_policy.ts).
 *
 * @throws {Deno.errors.NotFound} when none of the candidates can be opened.
 * @example
 * ```ts
 * const blas = openBlasLibrary();
 * blas.name; // "oneDNN"
 * blas.path; // "/usr/lib/x86_64-linux-gnu/libdnnl.so.2"
 * ```
 */
export function openBlasLibrary(
  options: OpenBlasLibraryOptions = {},
): BlasLibrary {
  const candidates = options.path ? [options.path] : options.candidates ?? BLAS_LIBRARY_CANDIDATES;
  const failures: string[] = [];
  // Before the first load: the libraries read their wait policy only then.
  preferPassiveWaits();
  for (const path of candidates) {
    const library = openOneDnn(path) ?? openCblas(path);
    if (library !== undefined) return library;
    failures.push(path);
  }
  throw new Deno.errors.NotFound(
    `Cannot open a BLAS library: tried ${failures.join(", ")}, expected oneDNN or ` +
      `OpenBLAS (apt-get install ${BLAS_APT_PACKAGES.join(" or ")}) or macOS Accelerate`,
  );
}

/** Opens `path` with `symbols`, or returns undefined when it cannot be; FFI refusal is thrown. */
function tryOpen<S extends Deno.ForeignLibraryInterface>(
  path: string,
  symbols: S,
): Deno.DynamicLibrary<S> | undefined {
  try {
    return Deno.dlopen(path, symbols);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return undefined;
  }
}

function openCblas(path: string): BlasLibrary | undefined {
  const library = tryOpen(path, CBLAS_SYMBOLS);
  if (library === undefined) return undefined;
  const { cblas_sgemm, openblas_set_num_threads, openblas_get_corename } = library.symbols;
  const corePointer = openblas_get_corename?.() ?? null;
  return {
    path,
    name: path.includes("Accelerate") ? "Accelerate" : "OpenBLAS",
    coreName: corePointer === null ? undefined : Deno.UnsafePointerView.getCString(corePointer),
    sgemm(call: SgemmCall): void {
      cblas_sgemm(
        CBLAS_ROW_MAJOR,
        call.transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        call.transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        call.m,
        call.n,
        call.k,
        call.alpha ?? 1,
        call.a,
        call.lda,
        call.b,
        call.ldb,
        call.beta ?? 0,
        call.c,
        call.ldc,
      );
    },
    setThreads(threads: number): boolean {
      if (openblas_set_num_threads == null) return false;
      openblas_set_num_threads(threads);
      return true;
    },
  };
}

function openOneDnn(path: string): BlasLibrary | undefined {
  const library = tryOpen(path, ONEDNN_SYMBOLS);
  if (library === undefined) return undefined;
  const { dnnl_sgemm, dnnl_version, dnnl_get_effective_cpu_isa } = library.symbols;
  const openMp = oneDnnRunsOnOpenMp(dnnl_version())
    ? tryOpen("libgomp.so.1", OPENMP_SYMBOLS)
    : undefined;
  return {
    path,
    name: "oneDNN",
    coreName: isaName(dnnl_get_effective_cpu_isa?.()),
    convolutions: openOneDnnConvolutions(path),
    sgemm(call: SgemmCall): void {
      const status = dnnl_sgemm(
        call.transA ? CHAR_T : CHAR_N,
        call.transB ? CHAR_T : CHAR_N,
        BigInt(call.m),
        BigInt(call.n),
        BigInt(call.k),
        call.alpha ?? 1,
        call.a,
        BigInt(call.lda),
        call.b,
        BigInt(call.ldb),
        call.beta ?? 0,
        call.c,
        BigInt(call.ldc),
      );
      if (status !== 0) {
        throw new RangeError(
          `Cannot multiply ${call.m}x${call.k} by ${call.k}x${call.n} with oneDNN: ` +
            `dnnl_sgemm returned status ${status}, expected 0 (success)`,
        );
      }
    },
    setThreads(threads: number): boolean {
      if (openMp === undefined) return false;
      openMp.symbols.omp_set_num_threads(threads);
      return true;
    },
  };
}

/** Whether the `dnnl_version_t` that `dnnl_version()` points to says OpenMP threads. */
function oneDnnRunsOnOpenMp(version: Deno.PointerValue): boolean {
  if (version === null) return false;
  const view = new Deno.UnsafePointerView(version);
  return view.getUint32(DNNL_VERSION_CPU_RUNTIME_OFFSET) === DNNL_RUNTIME_OMP;
}

/**
 * A name for oneDNN's `dnnl_cpu_isa_t` on x86, from its flag bits, which
 * keep their meaning across versions (0x4 AVX2, 0x20 AVX-512); other
 * architectures number their instruction sets differently.
 */
function isaName(isa: number | undefined): string | undefined {
  if (isa === undefined || Deno.build.arch !== "x86_64") return undefined;
  if (isa & 0x20) return "AVX-512";
  if (isa & 0x4) return "AVX2";
  if (isa & 0x2) return "AVX";
  return undefined;
}
