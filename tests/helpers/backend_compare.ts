/**
 * Helpers for the backend tests: seeded inputs, running the same
 * computation on the cpu backend and on a fast one, and comparing within a
 * relative tolerance.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  type BlasLibrary,
  CBLAS_LIBRARY_CANDIDATES,
  openBlasLibrary,
  type OpenBlasLibraryOptions,
} from "../../lib/backend/blas_library.ts";
import { setupBackend } from "../../lib/backend/mod.ts";
import { openOnnxRuntime, packagedOnnxRuntimePath } from "../../lib/backend/onnx_runtime.ts";

/**
 * The fast paths under test: "blas" with the library `auto` finds first
 * (oneDNN where installed), "cblas" with OpenBLAS or Accelerate when oneDNN
 * was found first, "onnx" with ONNX Runtime from npm (what `auto` takes
 * without a system library), and the pure-wasm kernels.
 */
export type FastPath = "blas" | "cblas" | "onnx" | "wasm";

/**
 * Opens a BLAS library as `openBlasLibrary` does, or returns why it could
 * not, for tests that are skipped without one.
 */
export function openBlasLibraryOrWhy(options: OpenBlasLibraryOptions = {}): BlasLibrary | string {
  try {
    return openBlasLibrary(options);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The library the "blas" path runs on, or why there is none. */
const FIRST_LIBRARY = openBlasLibraryOrWhy();

/** Why the BLAS tests are skipped, or null when a library is present. */
export const BLAS_MISSING: string | null = typeof FIRST_LIBRARY === "string" ? FIRST_LIBRARY : null;

/** The CBLAS library the "cblas" path runs on, when "blas" runs on oneDNN. */
const CBLAS_PATH: string | undefined = (() => {
  if (typeof FIRST_LIBRARY === "string" || FIRST_LIBRARY.name !== "oneDNN") return undefined;
  const cblas = openBlasLibraryOrWhy({ candidates: CBLAS_LIBRARY_CANDIDATES });
  return typeof cblas === "string" ? undefined : cblas.path;
})();

/** The ONNX Runtime library of the "onnx" path, or why it cannot be opened. */
const ONNX_RUNTIME_PATH: string | { missing: string } = (() => {
  try {
    return openOnnxRuntime({ path: packagedOnnxRuntimePath() }).path;
  } catch (error) {
    return { missing: error instanceof Error ? error.message : String(error) };
  }
})();

/** Why the ONNX Runtime tests are skipped, or null when the library opens. */
export const ONNX_RUNTIME_MISSING: string | null = typeof ONNX_RUNTIME_PATH === "string"
  ? null
  : ONNX_RUNTIME_PATH.missing;

/** Why a path's tests are skipped, or null when they run. */
function missingFor(path: FastPath): string | null {
  if (path === "wasm") return null;
  if (path === "blas") return BLAS_MISSING;
  if (path === "onnx") return ONNX_RUNTIME_MISSING;
  return CBLAS_PATH === undefined ? "no CBLAS library besides oneDNN" : null;
}

/**
 * Registers one Deno test per fast path; a BLAS one is ignored, with the
 * reason in its name, when its library cannot be opened.
 */
export function testFastPaths(
  name: string,
  body: (path: FastPath) => Promise<void> | void,
): void {
  for (const path of ["blas", "cblas", "onnx", "wasm"] as const) {
    const missing = missingFor(path);
    Deno.test({
      name: missing ? `${name} [${path}] (ignored: ${missing})` : `${name} [${path}]`,
      ignore: missing !== null,
      fn: () => body(path),
    });
  }
}

/** Options of {@link setupPath}. */
export interface SetupPathOptions {
  /** Most BLAS threads a large product may use (default: setupBackend's). */
  blasThreads?: number;
  /** Threads of the wasm kernels (default: one per core, up to four). */
  wasmThreads?: number;
}

/** Activates the backend of a fast path, or the cpu backend. */
export async function setupPath(
  path: FastPath | "cpu",
  options: SetupPathOptions = {},
): Promise<void> {
  const { blasThreads, wasmThreads } = options;
  if (path === "cblas" || path === "onnx") {
    const blasLibrary = path === "cblas" ? CBLAS_PATH : ONNX_RUNTIME_PATH as string;
    await setupBackend({ backend: "blas", blasLibrary, blasThreads, wasmThreads });
  } else {
    await setupBackend({ backend: path, blasThreads, wasmThreads });
  }
}

/**
 * Asserts that `compute` matches the cpu backend on `path`, and gives the
 * same bits on 1 and 3 wasm threads as on the default count: for shapes
 * large enough that the kernels split their work.
 */
export async function assertThreadedMatchesCpu(
  path: FastPath,
  label: string,
  compute: () => tf.Tensor[],
): Promise<void> {
  await assertMatchesCpu(path, label, compute);
  const runs = [];
  for (const threads of [1, 3, undefined]) {
    await setupPath(path, { wasmThreads: threads });
    const outputs = tf.tidy(compute);
    runs.push(outputs.map((t) => Array.from(t.dataSync())));
    tf.dispose(outputs);
  }
  assert.deepEqual(runs[1], runs[0], `${label}: 3 threads against 1`);
  assert.deepEqual(runs[2], runs[0], `${label}: default threads against 1`);
}

/** Seeded values in [-1, 1) from a linear congruential generator. */
export function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Runs `compute` on `path`'s backend and returns its outputs' values. */
export async function valuesOn(
  path: FastPath | "cpu",
  compute: () => tf.Tensor[],
  options: SetupPathOptions = {},
): Promise<Float32Array[]> {
  await setupPath(path, options);
  const outputs = tf.tidy(compute);
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  return values;
}

/**
 * Asserts that each element is within `rtol` of the reference, relative to
 * the larger of its own size and the reference's root mean square (so that
 * values that cancel to near zero are judged on the scale of the data).
 * Infinities and NaN must match exactly.
 */
export function assertClose(
  actual: Float32Array,
  expected: Float32Array,
  label: string,
  rtol = 1e-4,
): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let squares = 0;
  let finite = 0;
  for (const value of expected) {
    if (Number.isFinite(value)) {
      squares += value * value;
      finite++;
    }
  }
  const scale = Math.sqrt(squares / Math.max(1, finite)) || 1;
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i], expected[i]];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const error = Math.abs(a - e);
    const bound = rtol * Math.max(Math.abs(e), scale);
    if (!(error <= bound)) {
      assert.fail(`${label}: element ${i} is ${a}, expected ${e} (error ${error} > ${bound})`);
    }
  }
}

/** Compares every output of `compute` on `path` with the cpu backend's. */
export async function assertMatchesCpu(
  path: FastPath,
  label: string,
  compute: () => tf.Tensor[],
): Promise<void> {
  const expected = await valuesOn("cpu", compute);
  const actual = await valuesOn(path, compute);
  expected.forEach((values, i) => assertClose(actual[i], values, `${label} output ${i}`));
}
