/**
 * `deno task bench`: training and inference images per second of both
 * tfjs models on the chosen backend, as a table or one JSON object.
 *
 * The only place of the benchmark that reads Deno.args, prints and exits;
 * the measuring is in `lib/bench.ts`.
 *
 * @module
 */
import { benchmarkModels, type BenchResult, INFER_BATCH, TRAIN_BATCH } from "../backend/mod.ts";
import { setupBackend } from "../backend/mod.ts";
import { BENCH_HELP, type BenchArgs, parseBenchArgs } from "./bench_args.ts";
import { runCommand } from "./run_command.ts";

/** Formats the result as an aligned table with a one-line legend. */
function formatTable(result: BenchResult, args: BenchArgs): string {
  const rows = [["model", "train images/s", "inference images/s"]];
  for (const id of ["mlp", "cnn"] as const) {
    const figures = result[id];
    rows.push([
      id,
      Math.round(figures.trainImagesPerSecond).toLocaleString("en-US"),
      Math.round(figures.inferImagesPerSecond).toLocaleString("en-US"),
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row.map((cell, column) =>
      column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])
    )
      .join("  ")
  );
  lines.push(
    `(median of ${args.repeats} ${
      args.repeats === 1 ? "run" : "runs"
    } of ${args.seconds} s after warm-up; training batches of ` +
      `${TRAIN_BATCH} with Adam, inference batches of ${INFER_BATCH}; random data)`,
  );
  return lines.join("\n");
}

async function bench(args: BenchArgs): Promise<void> {
  const info = await setupBackend({
    backend: args.backend,
    blasThreads: args.blasThreads,
    blasLibrary: args.blasLibrary,
    wasmThreads: args.wasmThreads,
    ignoreSystemLibraries: args.ignoreSystemLibraries,
  });
  if (!args.json) console.log(`backend: ${info.description}`);
  const result = await benchmarkModels({
    backend: info.id,
    seconds: args.seconds,
    repeats: args.repeats,
    onProgress: (message) => console.error(`bench: ${message}`),
  });
  console.log(args.json ? JSON.stringify(result) : formatTable(result, args));
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "bench",
    parse: parseBenchArgs,
    help: BENCH_HELP,
    run: bench,
  }),
);
