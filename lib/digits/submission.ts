/**
 * Kaggle's Digit Recognizer submission: a CSV file headed `ImageId,Label`
 * with one row per image of its `test.csv`, ImageId counting from 1.
 *
 * @module
 */
import { dirname } from "node:path";
import pl from "nodejs-polars";
import { NUM_CLASSES } from "../config.ts";

/** The header of a submission, as Kaggle's sample_submission.csv has it. */
export const SUBMISSION_COLUMNS = ["ImageId", "Label"] as const;

/**
 * The text of a submission: the header, then `ImageId,Label` for each
 * predicted digit in order, ImageId from 1, lines ending in a newline.
 *
 * @throws {RangeError} when there are no digits or one is not a class 0 to 9.
 *
 * @example
 * ```ts
 * formatSubmission([2, 0, 9]); // "ImageId,Label\n1,2\n2,0\n3,9\n"
 * ```
 */
export function formatSubmission(digits: ArrayLike<number>): string {
  if (digits.length === 0) {
    throw new RangeError("Cannot write a submission: found 0 predictions, expected at least one");
  }
  const labels = Int32Array.from(digits);
  const bad = labels.findIndex((digit, i) =>
    digit !== digits[i] || digit < 0 || digit >= NUM_CLASSES
  );
  if (bad >= 0) {
    throw new RangeError(
      `Cannot write a submission: prediction ${bad + 1} is ${digits[bad]}, expected a digit 0 to 9`,
    );
  }
  const ids = Int32Array.from({ length: labels.length }, (_, i) => i + 1);
  const frame = pl.DataFrame({ [SUBMISSION_COLUMNS[0]]: ids, [SUBMISSION_COLUMNS[1]]: labels });
  return frame.writeCSV().toString();
}

/**
 * Writes a submission ({@link formatSubmission}) to `path`, through a
 * temporary file beside it, so that a failed write leaves an earlier file
 * whole.
 *
 * @throws {RangeError} as {@link formatSubmission}.
 * @throws {Deno.errors.NotFound} when the folder is missing,
 * {Deno.errors.IsADirectory} when `path` is a folder, and the file system's
 * other errors (permission) as they come.
 *
 * @example
 * ```ts
 * await writeSubmission("submission.csv", predictions.map((p) => p.digit));
 * ```
 */
export async function writeSubmission(path: string, digits: ArrayLike<number>): Promise<void> {
  const text = formatSubmission(digits);
  const staging = `${path}.partial`;
  try {
    await Deno.writeTextFile(staging, text);
    await Deno.rename(staging, path);
  } catch (error) {
    await Deno.remove(staging).catch(() => {});
    throw describeWriteError(error, path);
  }
}

/** Rewords the usual errors of writing a submission to name the file and the fix. */
function describeWriteError(error: unknown, path: string): unknown {
  const message = (reason: string) => `Cannot write submission ${path}: ${reason}`;
  if (error instanceof Deno.errors.NotFound) {
    return new Deno.errors.NotFound(
      message(`folder ${dirname(path)} not found, expected an existing folder`),
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new Deno.errors.IsADirectory(message("it is a folder, expected a file name"), {
      cause: error,
    });
  }
  return error;
}
