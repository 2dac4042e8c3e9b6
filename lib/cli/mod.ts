/**
 * The command line: each `deno task` has an entry point here (`train.ts`,
 * `predict.ts`, `serve.ts`, `bench.ts`, `notebooks.ts`, `docs.ts`), the only code that
 * reads `Deno.args`, prints and exits. This module exposes their pure parts:
 * the flag parsers with their help texts, and the frame every command shares.
 *
 * @example
 * ```ts
 * import { parseTrainArgs } from "./lib/cli/mod.ts";
 *
 * parseTrainArgs(["--model", "cnn", "--epochs", "1"]).models; // ["cnn"]
 * ```
 *
 * @module
 */
export * from "./flags.ts";
export * from "./run_command.ts";
export * from "./train_args.ts";
export * from "./predict_args.ts";
export * from "./serve_args.ts";
export * from "./bench_args.ts";
export * from "./notebooks_args.ts";
export * from "./notebook_paths.ts";
export * from "./sweep_args.ts";
export * from "./docs_args.ts";
export * from "./model_file.ts";
export * from "./chance_warning.ts";
