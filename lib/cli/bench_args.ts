/**
 * The flags of `deno task bench`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { BACKEND_IDS } from "../config.ts";
import { parsePositive, readFlags } from "./flags.ts";
import { type LibraryChoice, parseLibraryChoice } from "./library_flags.ts";
import { defaultBlasThreads } from "../backend/mod.ts";

/** Everything `deno task bench` was asked to do. */
export interface BenchArgs extends LibraryChoice {
  /** Seconds per timed run. */
  seconds: number;
  /** Timed runs per figure; the median is reported. */
  repeats: number;
  /** Most BLAS threads a large matrix product may use. */
  blasThreads: number;
  /** Threads the wasm kernels split large work across. */
  wasmThreads: number;
  /** Print one JSON object instead of a table. */
  json: boolean;
  help: boolean;
}

const DEFAULTS = {
  seconds: 3,
  repeats: 3,
  blasThreads: defaultBlasThreads(),
  wasmThreads: defaultBlasThreads(),
} as const;

/** The help text of `deno task bench`; every flag shows its default. */
export const BENCH_HELP =
  `Measure training and inference speed (images per second) of the MLP and the
CNN on random data: training batches of 64 with Adam 1e-3, inference batches
of 1000, median of timed runs after a warm-up.

Usage: deno task bench [options]

Options:
  --backend <id>        ${BACKEND_IDS.join(", ")} (default: auto; cpu takes many
                        minutes: it trains the CNN at a few images per second)
  --seconds <s>         length of each timed run (default: ${DEFAULTS.seconds})
  --repeats <n>         timed runs per figure, median kept (default: ${DEFAULTS.repeats})
  --blas-threads <n>    most BLAS threads a large product may use (default: ${DEFAULTS.blasThreads})
  --blas-library <path> the BLAS library to use, e.g. OpenBLAS's to compare it with
                        oneDNN's, or a libonnxruntime; the run stops if it cannot be
                        opened (default: oneDNN, else OpenBLAS, where installed)
  --wasm-threads <n>    threads the wasm kernels split large work across: products
                        on the wasm path, im2col and pooling on both (default: ${DEFAULTS.wasmThreads})
  --ignore-system-libraries
                        measure what auto picks on a machine without oneDNN or
                        OpenBLAS: ONNX Runtime from npm, else the wasm path
                        (default: false)
  --json                print one JSON object with the keys of
                        shared/anchors/torch_reference.py (default: false)
  -h, --help            show this help
`;

const BENCH_FLAGS = {
  backend: { type: "string", default: "auto" },
  seconds: { type: "string", default: String(DEFAULTS.seconds) },
  repeats: { type: "string", default: String(DEFAULTS.repeats) },
  "blas-threads": { type: "string", default: String(DEFAULTS.blasThreads) },
  "blas-library": { type: "string" },
  "wasm-threads": { type: "string", default: String(DEFAULTS.wasmThreads) },
  "ignore-system-libraries": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses and checks the flags of `deno task bench`.
 *
 * @example
 * ```ts
 * parseBenchArgs(["--backend", "wasm", "--json"]).json; // true
 * ```
 */
export function parseBenchArgs(args: string[]): BenchArgs {
  const flags = readFlags(args, BENCH_FLAGS).values;
  return {
    ...parseLibraryChoice(flags),
    seconds: parsePositive("seconds", flags.seconds),
    repeats: parsePositive("repeats", flags.repeats, { whole: true }),
    blasThreads: parsePositive("blas-threads", flags["blas-threads"], { whole: true }),
    wasmThreads: parsePositive("wasm-threads", flags["wasm-threads"], { whole: true }),
    json: flags.json,
    help: flags.help,
  };
}
