/**
 * Worker threads that run exported WebAssembly functions on the shared
 * tfjs heap, so that a synchronous tfjs kernel can split its work across
 * the cores and wait for it.
 *
 * Each worker instantiates the same compiled modules on the same shared
 * memory as the calling thread. A job is one exported function over a
 * range of items (images, rows), cut into chunks, a few per thread. The
 * calling thread writes the job into a small control buffer, wakes the
 * workers with `Atomics.notify`, and then every thread, the calling one
 * included, takes the next chunk with `Atomics.add` until none is left.
 * So on a busy machine, where a worker may not be scheduled for
 * milliseconds, the calling thread does that worker's share instead of
 * waiting for it; it waits (`Atomics.wait`) only for chunks a worker has
 * started. A round trip costs about 8 µs on a quiet 2-core machine, and
 * about 18 µs measured on the same machine under heavy load.
 *
 * The workers are `node:worker_threads` workers, unreferenced once ready,
 * so that they never keep a finished process alive: Deno's web workers do,
 * while they sleep in `Atomics.wait`. They are threads of this process, so
 * Ctrl+C ends them with it. {@linkcode WorkerPool.close} ends them earlier.
 *
 * @module
 */
import { Worker } from "node:worker_threads";

/** One exported function over `items` items, each a call or a run of rows. */
export interface PoolJob {
  /** Index of the module in the pool's `modules`. */
  module: number;
  /** The export's name. */
  name: string;
  /** Arguments for item 0: byte offsets, counts, or float values. */
  args: number[];
  /** Added to each argument per item. */
  strides: number[];
  /** Items in all. */
  items: number;
  /**
   * When set, the argument at this index is an item count, and a chunk is
   * one call over its items (rows of add_bias, say); otherwise one call
   * per item.
   */
  countArgument?: number;
  /** Items per chunk are a multiple of this (SIMD widths, tiles); default 1. */
  multiple?: number;
  /** Most threads to use; default all. */
  threads?: number;
}

/** Threads that run {@linkcode PoolJob}s on one shared memory. */
export interface WorkerPool {
  /** Threads that share the work: the calling thread and its workers. */
  threads: number;
  /**
   * Runs every item of `job`, on this thread and the workers, and returns
   * when all are done. Items must write disjoint memory.
   *
   * @throws {RangeError} when the module has no such export.
   * @throws {Error} when a worker's call trapped.
   */
  run(job: PoolJob): void;
  /** Ends the workers; later jobs run on the calling thread only. */
  close(): void;
}

/** Options for {@linkcode createWorkerPool}. */
export interface WorkerPoolOptions {
  /** The shared memory every module imports as `env.memory`. */
  memory: WebAssembly.Memory;
  /** Compiled modules whose exports jobs call. */
  modules: WebAssembly.Module[];
  /** Threads in all, the calling one included; at least 1. */
  threads: number;
}

/** Chunks per thread: the share a late worker can hold the others up by. */
export const CHUNKS_PER_THREAD = 4;
/** Most arguments of one call. */
const MAX_ARGS = 14;
/**
 * The control buffer, shared by all threads. Int32 words: the wake-up
 * sequence, the count of workers inside a job, a failure flag, then the
 * job. The chunk claims are one int64, the job's generation times 2^32
 * plus the next chunk, so that a worker that wakes late can never take a
 * chunk of a job other than the one it read. Then the job's arguments and
 * strides as float64.
 */
const SEQUENCE = 0;
const ACTIVE = 16;
const FAILED = 32;
const GENERATION = 48;
const FUNCTION = 49;
const ARG_COUNT = 50;
const COUNT_ARGUMENT = 51;
const CHUNKS = 52;
const CHUNK_ITEMS = 53;
const ITEMS = 54;
/** BigInt64 index of the claims word (byte 512). */
const CLAIMS = 64;
/** A chunk number above any job's: claims while a job is written get it. */
const CLOSED = 2 ** 30;
/** Float64 index of the arguments, then the strides. */
const ARGS_AT = 72;
const CONTROL_BYTES = (ARGS_AT + 2 * MAX_ARGS) * 8;

/**
 * Runs chunks of the current job until none is left: the loop every
 * thread runs, as source text for the workers and as a function here.
 */
const TAKE_CHUNKS = `(functions, words, claims, values) => {
  for (;;) {
    const claim = Atomics.add(claims, ${CLAIMS}, 1n);
    const generation = Number(claim >> 32n);
    const chunk = Number(claim & 0xffffffffn);
    if (chunk >= ${CLOSED}) return;
    const f = functions[words[${FUNCTION}]];
    const argCount = words[${ARG_COUNT}];
    const countArgument = words[${COUNT_ARGUMENT}];
    const chunks = words[${CHUNKS}];
    const chunkItems = words[${CHUNK_ITEMS}];
    const items = words[${ITEMS}];
    const args = Array.from(values.subarray(${ARGS_AT}, ${ARGS_AT} + argCount));
    const strides = values.subarray(${ARGS_AT + MAX_ARGS}, ${ARGS_AT + MAX_ARGS} + argCount);
    // The job read must be the claim's: the caller marks the claims before rewriting it.
    const now = Atomics.load(claims, ${CLAIMS});
    if (words[${GENERATION}] !== generation || Number(now >> 32n) !== generation) return;
    if (chunk >= chunks) return;
    const first = chunk * chunkItems;
    const count = Math.min(chunkItems, items - first);
    for (let i = 0; i < argCount; i++) args[i] += first * strides[i];
    if (countArgument >= 0) {
      args[countArgument] = count;
      f(...args);
    } else {
      for (let item = 0; item < count; item++) {
        f(...args);
        for (let i = 0; i < argCount; i++) args[i] += strides[i];
      }
    }
  }
}`;

/** The worker's code: instantiate, then take chunks of each job until told to stop. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { memory, modules, names, control } = workerData;
const functions = [];
modules.forEach((module, index) => {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  for (const name of names[index]) functions.push(exports[name]);
});
const words = new Int32Array(control);
const claims = new BigInt64Array(control);
const values = new Float64Array(control);
const takeChunks = ${TAKE_CHUNKS};
parentPort.postMessage("ready");
let seen = 0;
for (;;) {
  Atomics.wait(words, ${SEQUENCE}, seen);
  seen = Atomics.load(words, ${SEQUENCE});
  if (words[${FUNCTION}] < 0) break;
  Atomics.add(words, ${ACTIVE}, 1);
  try {
    takeChunks(functions, words, claims, values);
  } catch (error) {
    Atomics.store(words, ${FAILED}, 1);
  }
  if (Atomics.sub(words, ${ACTIVE}, 1) === 1) Atomics.notify(words, ${ACTIVE});
}
`;

const takeChunksHere = (0, eval)(TAKE_CHUNKS) as (
  functions: CallableFunction[],
  words: Int32Array,
  claims: BigInt64Array,
  values: Float64Array,
) => void;

/**
 * Starts `threads - 1` workers on `options.memory` and waits until each has
 * instantiated the modules.
 *
 * @throws {RangeError} when `threads` is not an integer >= 1.
 * @example
 * ```ts
 * const pool = await createWorkerPool({ memory, modules: [kernels], threads: 2 });
 * pool.run({ module: 0, name: "relu_grad", args: [out, dy, x, 0], strides: [4, 4, 4, 0],
 *   items: count, countArgument: 3 });
 * pool.close();
 * ```
 */
export async function createWorkerPool(options: WorkerPoolOptions): Promise<WorkerPool> {
  const { memory, modules, threads } = options;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(
      `Cannot start worker threads: thread count is ${threads}, expected an integer >= 1`,
    );
  }
  const names = modules.map((module) =>
    WebAssembly.Module.exports(module).filter((e) => e.kind === "function").map((e) => e.name)
  );
  const indices = new Map<string, number>();
  const functions: CallableFunction[] = [];
  modules.forEach((module, index) => {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    for (const name of names[index]) {
      indices.set(`${index}:${name}`, functions.length);
      functions.push(exports[name] as CallableFunction);
    }
  });
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const workers = await Promise.all(
    Array.from({ length: threads - 1 }, () => startWorker({ memory, modules, names, control })),
  );
  const words = new Int32Array(control);
  const claims = new BigInt64Array(control);
  const values = new Float64Array(control);
  let generation = 0;
  return {
    threads,
    run(job: PoolJob): void {
      if (job.items <= 0) return;
      const index = indices.get(`${job.module}:${job.name}`);
      if (index === undefined) {
        throw new RangeError(
          `Cannot run '${job.name}': module ${job.module} has no such export, ` +
            `expected one of ${names[job.module]?.join(", ")}`,
        );
      }
      const threadsUsed = Math.min(job.threads ?? Infinity, workers.length + 1);
      const parts = threadsUsed === 1 ? 1 : threadsUsed * CHUNKS_PER_THREAD;
      const multiple = job.multiple ?? 1;
      const chunkItems = Math.ceil(Math.ceil(job.items / multiple) / parts) * multiple;
      const chunks = Math.ceil(job.items / chunkItems);
      generation = (generation + 1) % 2 ** 30;
      const base = BigInt(generation) << 32n;
      // Late claims of the last job fail from here until the new one is written.
      Atomics.store(claims, CLAIMS, base + BigInt(CLOSED));
      words[GENERATION] = generation;
      words[FUNCTION] = index;
      words[ARG_COUNT] = job.args.length;
      words[COUNT_ARGUMENT] = job.countArgument ?? -1;
      words[CHUNKS] = chunks;
      words[CHUNK_ITEMS] = chunkItems;
      words[ITEMS] = job.items;
      job.args.forEach((value, i) => {
        values[ARGS_AT + i] = value;
        values[ARGS_AT + MAX_ARGS + i] = job.strides[i] ?? 0;
      });
      Atomics.store(claims, CLAIMS, base);
      if (chunks > 1) {
        Atomics.add(words, SEQUENCE, 1);
        Atomics.notify(words, SEQUENCE);
      }
      takeChunksHere(functions, words, claims, values);
      for (;;) {
        const active = Atomics.load(words, ACTIVE);
        if (active === 0) break;
        Atomics.wait(words, ACTIVE, active);
      }
      if (Atomics.exchange(words, FAILED, 0) !== 0) {
        throw new Error(`Cannot finish '${job.name}' on worker threads: a call trapped`);
      }
    },
    close(): void {
      if (workers.length === 0) return;
      words[FUNCTION] = -1;
      Atomics.add(words, SEQUENCE, 1);
      Atomics.notify(words, SEQUENCE);
      for (const worker of workers) worker.terminate();
      workers.length = 0;
    },
  };
}

/** Starts one worker and resolves once it has instantiated the modules. */
function startWorker(workerData: object): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    // Referenced until ready, or the wait for "ready" would end the event loop.
    worker.once("message", () => {
      worker.unref();
      resolve(worker);
    });
    worker.once("error", reject);
  });
}
