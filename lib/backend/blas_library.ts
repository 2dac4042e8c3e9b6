/**
 * Finds and opens a CBLAS library (OpenBLAS or Apple Accelerate) with Deno FFI.
 *
 * Only `cblas_sgemm` is needed: every BLAS kernel of this backend is a
 * single-precision matrix product on views of the wasm heap, passed without
 * copying.
 *
 * @module
 */

/** Where OpenBLAS or Accelerate usually lives, tried in order. */
export const BLAS_LIBRARY_CANDIDATES: readonly string[] = [
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

/** The package that provides the library on Debian and Ubuntu. */
export const BLAS_APT_PACKAGE = "libopenblas0-pthread";

const SYMBOLS = {
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

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

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

/** An opened CBLAS library. */
export interface BlasLibrary {
  /** The path or name it was opened from. */
  path: string;
  /**
   * The kernels OpenBLAS chose for this CPU at load time ("Haswell" for
   * AVX2, "SkylakeX" or "Cooperlake" for AVX-512; `OPENBLAS_CORETYPE`
   * overrides the choice), or undefined for other libraries.
   */
  coreName: string | undefined;
  /** Runs one `cblas_sgemm`. */
  sgemm(call: SgemmCall): void;
  /** Sets OpenBLAS's thread count; false when the library has no such control. */
  setThreads(threads: number): boolean;
}

/** Options for {@linkcode openBlasLibrary}. */
export interface OpenBlasLibraryOptions {
  /** A library path to open instead of searching the usual places. */
  path?: string;
}

/**
 * Opens the first CBLAS library found, or the one named in `options.path`.
 *
 * @throws {Deno.errors.NotFound} when none of the candidates can be opened.
 * @example
 * ```ts
 * const blas = openBlasLibrary();
 * blas.path; // "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"
 * ```
 */
export function openBlasLibrary(
  options: OpenBlasLibraryOptions = {},
): BlasLibrary {
  const candidates = options.path ? [options.path] : BLAS_LIBRARY_CANDIDATES;
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      return wrapLibrary(path, Deno.dlopen(path, SYMBOLS));
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
      failures.push(path);
    }
  }
  throw new Deno.errors.NotFound(
    `Cannot open a BLAS library: tried ${failures.join(", ")}, expected ` +
      `OpenBLAS (apt-get install ${BLAS_APT_PACKAGE}) or macOS Accelerate`,
  );
}

function wrapLibrary(
  path: string,
  library: Deno.DynamicLibrary<typeof SYMBOLS>,
): BlasLibrary {
  const { cblas_sgemm, openblas_set_num_threads, openblas_get_corename } = library.symbols;
  const corePointer = openblas_get_corename?.() ?? null;
  return {
    path,
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
