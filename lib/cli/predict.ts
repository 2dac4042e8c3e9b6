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
import { type FilePrediction, predictImageFiles } from "../predict_files.ts";
import { disposePredictor, loadPredictor } from "../predictor.ts";
import { parsePredictArgs, PREDICT_HELP, type PredictArgs } from "./predict_args.ts";
import { UsageError } from "./train_args.ts";

/** One line for a file that has a prediction. */
function formatResult(result: FilePrediction & { error?: undefined }, json: boolean): string {
  const { digit, probabilities } = result.prediction;
  if (json) return JSON.stringify({ file: result.file, digit, probabilities });
  return `${result.file}: ${digit} (${(probabilities[digit] * 100).toFixed(1)}%)`;
}

/** Predicts every file; returns how many could not be read. */
async function predict(args: PredictArgs): Promise<number> {
  await setupBackend({ backend: args.backend });
  const predictor = await loadPredictor(args.model);
  let failed = 0;
  try {
    for await (const result of predictImageFiles(predictor, args.files)) {
      if (result.error === undefined) {
        console.log(formatResult(result, args.json));
      } else {
        failed++;
        console.error(`predict: ${result.error.message}`);
      }
    }
  } finally {
    disposePredictor(predictor);
  }
  return failed;
}

async function main(argv: string[]): Promise<number> {
  let args: PredictArgs;
  try {
    args = parsePredictArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`predict: ${error.message} (see deno task predict --help)`);
    return 2;
  }
  if (args.help) {
    console.log(PREDICT_HELP);
    return 0;
  }
  try {
    const failed = await predict(args);
    if (failed > 0) {
      console.error(`predict: ${failed} of ${args.files.length} files could not be read`);
    }
    return failed > 0 ? 1 : 0;
  } catch (error) {
    console.error(`predict: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

Deno.exit(await main(Deno.args));
