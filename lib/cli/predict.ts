/**
 * `deno task predict`: reads the digit in each image file (with `--number`,
 * the number written in it) with a trained model and prints one line per
 * file.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import {
  type FileNumberPrediction,
  type FilePrediction,
  predictImageFiles,
  predictNumberFiles,
} from "../digits/mod.ts";
import { createModelRegistry, loadModel } from "../models/mod.ts";
import { parsePredictArgs, PREDICT_HELP, type PredictArgs } from "./predict_args.ts";
import { runCommand } from "./run_command.ts";

/** One line for a file that has a prediction. */
function formatResult(result: FilePrediction & { error?: undefined }, json: boolean): string {
  const { digit, probabilities } = result.prediction;
  if (json) return JSON.stringify({ file: result.file, digit, probabilities });
  return `${result.file}: ${digit} (${(probabilities[digit] * 100).toFixed(1)}%)`;
}

/** One line for a file whose number was read (`--number`). */
function formatNumber(
  result: FileNumberPrediction & { error?: undefined },
  json: boolean,
): string {
  const { number, digits } = result.prediction;
  if (json) return JSON.stringify({ file: result.file, number, digits });
  const shares = digits.map(({ digit, probabilities }) => probabilities[digit].toFixed(2));
  return `${result.file}: ${number} (${shares.join(", ")})`;
}

/** Predicts every file; returns how many could not be read. */
async function predictAll(args: PredictArgs): Promise<number> {
  await setupBackend({ backend: args.backend });
  const model = await loadModel(args.model, { registry: createModelRegistry() });
  let failed = 0;
  try {
    const results = args.number
      ? predictNumberFiles(model, args.files)
      : predictImageFiles(model, args.files);
    for await (const result of results) {
      if (result.error === undefined) {
        console.log(
          "digits" in result.prediction
            ? formatNumber({ ...result, prediction: result.prediction }, args.json)
            : formatResult({ ...result, prediction: result.prediction }, args.json),
        );
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
