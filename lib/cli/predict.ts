/**
 * `deno task predict`: reads the digit in each image file (with `--number`,
 * the number written in it) with a trained model and prints one line per
 * file; or reads each row of a CSV file of MNIST images and writes Kaggle's
 * submission.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import { loadCsvImages } from "../data/mod.ts";
import {
  type FileNumberPrediction,
  type FilePrediction,
  formatSubmission,
  type InputImage,
  predictCsvImages,
  predictImageFiles,
  predictNumberFiles,
  writeInputImages,
  writeSubmission,
} from "../digits/mod.ts";
import { accuracyOf } from "../evaluation/mod.ts";
import { createModelRegistry, type DigitModel, loadModel } from "../models/mod.ts";
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

/** Prints a failed file's error, and with --json its JSON line, so every file has one. */
function reportFailure(file: string, error: Error, json: boolean): void {
  console.error(`predict: ${error.message}`);
  if (json) console.log(JSON.stringify({ file, error: error.message }));
}

/** Predicts every file; returns how many could not be read. */
async function predictFiles(model: DigitModel, args: PredictArgs): Promise<number> {
  let failed = 0;
  const inputs: InputImage[] = [];
  if (args.number) {
    for await (const result of predictNumberFiles(model, args.files)) {
      if (result.error === undefined) {
        console.log(formatNumber(result, args.json));
      } else {
        failed++;
        reportFailure(result.file, result.error, args.json);
      }
    }
  } else {
    for await (const result of predictImageFiles(model, args.files)) {
      if (result.error === undefined) {
        console.log(formatResult(result, args.json));
        inputs.push({ file: result.file, input: result.input });
      } else {
        failed++;
        reportFailure(result.file, result.error, args.json);
      }
    }
  }
  if (args.saveInput !== undefined && inputs.length > 0) {
    const written = await writeInputImages(args.saveInput, inputs);
    const files = written.length === 1 ? "1 file" : `${written.length} files`;
    console.error(`predict: wrote the 28x28 input of ${files} to ${args.saveInput}`);
  }
  if (failed > 0) {
    console.error(`predict: ${failed} of ${args.files.length} files could not be read`);
  }
  return failed;
}

/** Predicts every row of `--csv`, then writes or prints the submission. */
async function predictCsv(model: DigitModel, csv: string, args: PredictArgs): Promise<void> {
  const images = await loadCsvImages(csv);
  const predictions = await predictCsvImages(model, images);
  const digits = predictions.map((prediction) => prediction.digit);
  if (images.labels !== undefined) {
    const accuracy = accuracyOf(images.labels, digits);
    console.error(
      `predict: ${csv} has a label column, left out of the submission: ${
        Math.round(accuracy * images.count)
      } of ${images.count} rows (${(accuracy * 100).toFixed(2)}%) read as labelled`,
    );
  }
  if (args.json) {
    predictions.forEach(({ digit, probabilities }, i) =>
      console.log(JSON.stringify({ imageId: i + 1, digit, probabilities }))
    );
  }
  if (args.submission !== undefined) {
    await writeSubmission(args.submission, digits);
    console.error(`predict: wrote ${images.count} rows (ImageId,Label) to ${args.submission}`);
  } else if (!args.json) {
    console.log(formatSubmission(digits).trimEnd());
  }
}

/** Predicts the files or the CSV rows; the exit code is 1 when some files could not be read. */
async function predict(args: PredictArgs): Promise<number> {
  await setupBackend({ backend: args.backend });
  const model = await loadModel(args.model, { registry: createModelRegistry() });
  try {
    if (args.csv !== undefined) {
      await predictCsv(model, args.csv, args);
      return 0;
    }
    return (await predictFiles(model, args)) > 0 ? 1 : 0;
  } finally {
    model.dispose();
  }
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "predict",
    parse: parsePredictArgs,
    help: PREDICT_HELP,
    run: predict,
  }),
);
