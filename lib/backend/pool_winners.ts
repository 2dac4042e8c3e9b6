/**
 * The winner bytes of max pools run while gradients are recorded, kept
 * per backend until the pool's gradient takes them (see max_pool.ts). A
 * pool is named by the data ids of its input and output, which tfjs never
 * reuses, and its geometry.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { freeFloats } from "./heap.ts";

/** Winner bytes a MaxPool wrote while gradients were recorded, until its gradient takes them. */
export interface PoolWinners {
  /** The data ids of the pool's input and output. */
  input: object;
  output: object;
  /** The pool's geometry, as a string that tells geometries apart. */
  geometry: string;
  /** Float index of the bytes on the heap, owned here until taken. */
  at: number;
}

/** Winner bytes kept per backend; a ninth pushes the oldest out. */
const MAX_KEPT_WINNERS = 8;
const keptWinners = new WeakMap<BackendWasm, PoolWinners[]>();

/**
 * Keeps `winners`, freeing the oldest bytes when more than eight wait (a
 * pool whose gradient never came).
 *
 * @example
 * ```ts
 * keepWinners(backend, { input: x.dataId, output: out.dataId, geometry: "26,26,32,...", at });
 * ```
 */
export function keepWinners(backend: BackendWasm, winners: PoolWinners): void {
  let kept = keptWinners.get(backend);
  if (kept === undefined) {
    kept = [];
    keptWinners.set(backend, kept);
  }
  kept.push(winners);
  while (kept.length > MAX_KEPT_WINNERS) freeFloats(backend, kept.shift()!.at);
}

/**
 * Removes and returns the float index of the winner bytes of the pool from
 * `input` to `output` with `geometry`, if kept; the caller frees them.
 *
 * @example
 * ```ts
 * const at = takeWinners(backend, { input: x.dataId, output: y.dataId, geometry });
 * ```
 */
export function takeWinners(
  backend: BackendWasm,
  { input, output, geometry }: Omit<PoolWinners, "at">,
): number | undefined {
  const kept = keptWinners.get(backend) ?? [];
  const at = kept.findIndex((w) =>
    w.output === output && w.input === input && w.geometry === geometry
  );
  return at < 0 ? undefined : kept.splice(at, 1)[0].at;
}
