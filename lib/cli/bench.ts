/**
 * `deno task bench`: training and inference images per second of both
 * tfjs models on the chosen backend, as a table or one JSON object.
 *
 * The only place of the benchmark that reads Deno.args, prints and exits;
 * the measuring is in `lib/bench.ts`.
 *
 * @module
 */
import { benchmarkModels, type BenchResult, INFER_BATCH, TRAIN_BATCH } from "../bench.ts";
import { setupBackend } from "../backend/mod.ts";
import { BENCH_HELP, type BenchArgs, parseBenchArgs, UsageError } from "./bench_args.ts";

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
    `(median of ${args.repeats} runs of ${args.seconds} s after warm-up; training batches of ` +
      `${TRAIN_BATCH} with Adam, inference batches of ${INFER_BATCH}; random data)`,
  );
  return lines.join("\n");
}

async function bench(args: BenchArgs): Promise<void> {
  const info = await setupBackend({ backend: args.backend, blasThreads: args.blasThreads });
  if (!args.json) console.log(`backend: ${info.description}`);
  const result = await benchmarkModels({
    backend: info.id,
    seconds: args.seconds,
    repeats: args.repeats,
    onProgress: (message) => console.error(`bench: ${message}`),
  });
  console.log(args.json ? JSON.stringify(result) : formatTable(result, args));
}

async function main(argv: string[]): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const oneLine = error.message.replace(/\s*\n\s*/g, " ");
    console.error(`bench: ${oneLine} (see deno task bench --help)`);
    return 2;
  }
  if (args.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  try {
    await bench(args);
    return 0;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

Deno.exit(await main(Deno.args));
