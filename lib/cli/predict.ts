/**
 * `deno task predict`: reads the digit in each image file with a trained
 * model and prints one line per file.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import { type FilePrediction, predictImageFiles } from "../digits/mod.ts";
import { createModelRegistry, loadModel } from "../models/mod.ts";
import { parsePredictArgs, PREDICT_HELP, type PredictArgs } from "./predict_args.ts";
import { runCommand } from "./run_command.ts";

/** One line for a file that has a prediction. */
function formatResult(result: FilePrediction & { error?: undefined }, json: boolean): string {
  const { digit, probabilities } = result.prediction;
  if (json) return JSON.stringify({ file: result.file, digit, probabilities });
  return `${result.file}: ${digit} (${(probabilities[digit] * 100).toFixed(1)}%)`;
}

/** Predicts every file; returns how many could not be read. */
async function predictAll(args: PredictArgs): Promise<number> {
  await setupBackend({ backend: args.backend });
  const model = await loadModel(args.model, { registry: createModelRegistry() });
  let failed = 0;
  try {
    for await (const result of predictImageFiles(model, args.files)) {
      if (result.error === undefined) {
        console.log(formatResult(result, args.json));
      } else {
        failed++;
        console.error(`predict: ${result.error.message}`);
        // With --json every file has its line on stdout, so a reader can pair lines with files.
        if (args.json) {
          console.log(JSON.stringify({ file: result.file, error: result.error.message }));
        }
      }
    }
  } finally {
    model.dispose();
  }
  return failed;
}

/** Predicts every file; the exit code is 1 when some could not be read, after saying how many. */
async function predict(args: PredictArgs): Promise<number> {
  const failed = await predictAll(args);
  if (failed > 0) {
    console.error(`predict: ${failed} of ${args.files.length} files could not be read`);
  }
  return failed > 0 ? 1 : 0;
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "predict",
    parse: parsePredictArgs,
    help: PREDICT_HELP,
    run: predict,
  }),
);
