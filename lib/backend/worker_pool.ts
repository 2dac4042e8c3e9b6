/**
 * Worker threads that run exported WebAssembly functions on the shared
 * tfjs heap, so that a synchronous tfjs kernel can split its work across
 * the cores and wait for it.
 *
 * Each worker instantiates the same compiled modules on the same shared
 * memory as the calling thread. A task is one exported function called
 * `count` times, each argument stepping by its own stride between calls
 * (one call per image, say). The calling thread writes each worker's task
 * into a small control buffer, wakes it with `Atomics.notify`, runs the
 * first task itself, then sleeps in `Atomics.wait` until every worker has
 * answered (a round trip costs about 8 µs on the 2-core machine measured).
 *
 * The workers are `node:worker_threads` workers, unreferenced, so that
 * they never keep a finished process alive: Deno's web workers do, while
 * they sleep in `Atomics.wait`. They are threads of this process, so
 * Ctrl+C ends them with it. {@linkcode WorkerPool.close} ends them earlier.
 *
 * @module
 */
import { Worker } from "node:worker_threads";

/** One exported function called `count` times with stepping arguments. */
export interface PoolTask {
  /** Index of the module in the pool's `modules`. */
  module: number;
  /** The export's name. */
  name: string;
  /** Arguments of the first call: byte offsets, counts, or float values. */
  args: number[];
  /** Added to each argument between calls; default no change. */
  strides?: number[];
  /** Calls; default 1. */
  count?: number;
}

/** Threads that run {@linkcode PoolTask}s on one shared memory. */
export interface WorkerPool {
  /** Threads that share the work: the calling thread and its workers. */
  threads: number;
  /**
   * Runs `tasks[0]` on the calling thread and the others on workers, at
   * most {@linkcode WorkerPool.threads} in all, and returns when all are
   * done.
   *
   * @throws {RangeError} for more tasks than threads.
   * @throws {Error} when a worker's call trapped.
   */
  run(tasks: PoolTask[]): void;
  /** Ends the workers; later calls run on the calling thread only. */
  close(): void;
}

/** Options for {@linkcode createWorkerPool}. */
export interface WorkerPoolOptions {
  /** The shared memory every module imports as `env.memory`. */
  memory: WebAssembly.Memory;
  /** Compiled modules whose exports tasks call. */
  modules: WebAssembly.Module[];
  /** Threads in all, the calling one included; at least 1. */
  threads: number;
}

/** Most arguments of one call. */
const MAX_ARGS = 14;
/** Int32 words of each worker's control block, 256 bytes: one cache line or more apart. */
const BLOCK_WORDS = 64;
/** Word indices in a control block. */
const SEQUENCE = 0;
const DONE = 1;
const FUNCTION = 2;
const ARG_COUNT = 3;
const CALLS = 4;
const FAILED = 5;
/** Float64 index of the arguments, then the strides, within a block. */
const ARGS_AT = 4;

/** The worker's code: instantiate, then serve tasks until told to stop. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { memory, modules, names, control, block } = workerData;
const imports = { env: { memory } };
const functions = [];
modules.forEach((module, index) => {
  const exports = new WebAssembly.Instance(module, imports).exports;
  for (const name of names[index]) functions.push(exports[name]);
});
const words = new Int32Array(control, block * ${BLOCK_WORDS * 4}, ${BLOCK_WORDS});
const values = new Float64Array(control, block * ${BLOCK_WORDS * 4}, ${BLOCK_WORDS / 2});
parentPort.postMessage("ready");
let seen = 0;
for (;;) {
  Atomics.wait(words, ${SEQUENCE}, seen);
  seen = Atomics.load(words, ${SEQUENCE});
  const index = words[${FUNCTION}];
  if (index < 0) break;
  try {
    const f = functions[index];
    const count = words[${ARG_COUNT}];
    const args = Array.from(values.subarray(${ARGS_AT}, ${ARGS_AT} + count));
    const strides = values.subarray(${ARGS_AT + MAX_ARGS}, ${ARGS_AT + MAX_ARGS} + count);
    for (let call = words[${CALLS}]; call > 0; call--) {
      f(...args);
      for (let i = 0; i < count; i++) args[i] += strides[i];
    }
  } catch (error) {
    words[${FAILED}] = 1;
  }
  Atomics.store(words, ${DONE}, seen);
  Atomics.notify(words, ${DONE});
}
`;

/**
 * Starts `threads - 1` workers on `options.memory` and waits until each has
 * instantiated the modules.
 *
 * @throws {RangeError} when `threads` is not an integer >= 1.
 * @example
 * ```ts
 * const pool = await createWorkerPool({ memory, modules: [kernels], threads: 2 });
 * pool.run([
 *   { module: 0, name: "relu_grad", args: [out, dy, x, half] },
 *   { module: 0, name: "relu_grad", args: [out + 4 * half, dy + 4 * half, x + 4 * half, half] },
 * ]);
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
  names.forEach((list, module) =>
    list.forEach((name) => indices.set(`${module}:${name}`, indices.size))
  );
  const local = modules.map((module) =>
    new WebAssembly.Instance(module, { env: { memory } }).exports as Record<
      string,
      CallableFunction
    >
  );
  const control = new SharedArrayBuffer(Math.max(1, threads - 1) * BLOCK_WORDS * 4);
  const workers = await Promise.all(
    Array.from(
      { length: threads - 1 },
      (_, block) => startWorker({ memory, modules, names, control, block }),
    ),
  );
  const words = new Int32Array(control);
  const values = new Float64Array(control);
  let sequence = 0;
  let open = true;
  const post = (worker: number, task: PoolTask) => {
    const base = worker * BLOCK_WORDS;
    const index = indices.get(`${task.module}:${task.name}`);
    if (index === undefined) {
      throw new RangeError(`Cannot run '${task.name}': module ${task.module} has no such export`);
    }
    words[base + FUNCTION] = index;
    words[base + ARG_COUNT] = task.args.length;
    words[base + CALLS] = task.count ?? 1;
    words[base + FAILED] = 0;
    const at = base / 2 + ARGS_AT;
    for (let i = 0; i < task.args.length; i++) {
      values[at + i] = task.args[i];
      values[at + MAX_ARGS + i] = task.strides?.[i] ?? 0;
    }
    Atomics.store(words, base + SEQUENCE, sequence);
    Atomics.notify(words, base + SEQUENCE);
  };
  const runHere = (task: PoolTask) => {
    const f = local[task.module][task.name];
    const args = [...task.args];
    for (let call = task.count ?? 1; call > 0; call--) {
      f(...args);
      if (task.strides !== undefined) {
        for (let i = 0; i < args.length; i++) args[i] += task.strides[i];
      }
    }
  };
  return {
    threads: workers.length + 1,
    run(tasks: PoolTask[]): void {
      if (tasks.length > workers.length + 1) {
        throw new RangeError(
          `Cannot run ${tasks.length} tasks at once: expected at most ${
            workers.length + 1
          }, one per thread`,
        );
      }
      if (tasks.length === 0) return;
      sequence++;
      for (let i = 1; i < tasks.length; i++) post(i - 1, tasks[i]);
      runHere(tasks[0]);
      let failed = false;
      for (let i = 1; i < tasks.length; i++) {
        const base = (i - 1) * BLOCK_WORDS;
        for (;;) {
          const done = Atomics.load(words, base + DONE);
          if (done === sequence) break;
          Atomics.wait(words, base + DONE, done);
        }
        failed ||= words[base + FAILED] !== 0;
      }
      if (failed) {
        throw new Error(`Cannot finish '${tasks[1].name}' on worker threads: a call trapped`);
      }
    },
    close(): void {
      if (!open) return;
      open = false;
      sequence++;
      for (let w = 0; w < workers.length; w++) {
        words[w * BLOCK_WORDS + FUNCTION] = -1;
        Atomics.store(words, w * BLOCK_WORDS + SEQUENCE, sequence);
        Atomics.notify(words, w * BLOCK_WORDS + SEQUENCE);
      }
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
