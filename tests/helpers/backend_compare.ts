/**
 * Helpers for the backend tests: seeded inputs, running the same
 * computation on the cpu backend and on a fast one, and comparing within a
 * relative tolerance.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { openBlasLibrary } from "../../lib/backend/blas_library.ts";
import { setupBackend } from "../../lib/backend/mod.ts";

/** The fast paths under test. */
export type FastPath = "blas" | "wasm";

/** Why the BLAS tests are skipped, or null when the library is present. */
export const BLAS_MISSING: string | null = (() => {
  try {
    openBlasLibrary();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
})();

/**
 * Registers one Deno test per fast path; the BLAS one is ignored, with the
 * reason in its name, when no BLAS library can be opened.
 */
export function testBothPaths(
  name: string,
  body: (path: FastPath) => Promise<void> | void,
): void {
  for (const path of ["blas", "wasm"] as const) {
    const missing = path === "blas" ? BLAS_MISSING : null;
    Deno.test({
      name: missing ? `${name} [blas] (ignored: ${missing})` : `${name} [${path}]`,
      ignore: missing !== null,
      fn: () => body(path),
    });
  }
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

/** Runs `compute` on `backendName` and returns its outputs' values. */
export async function valuesOn(
  path: FastPath | "cpu",
  compute: () => tf.Tensor[],
): Promise<Float32Array[]> {
  await setupBackend({ backend: path });
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
