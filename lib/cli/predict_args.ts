/**
 * The flags of `deno task predict`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { BACKEND_IDS, type BackendId } from "../config.ts";
import { parseChoice, parseNonEmpty, readFlags, UsageError } from "./flags.ts";

/** Everything `deno task predict` was asked to do. */
export interface PredictArgs {
  /** A saved model's folder or its model.json: tfjs layers format (Keras-converted too) or the from-scratch MLP's. */
  model: string;
  /** Image files to read, in the order given; none with `csv`. */
  files: string[];
  /** A CSV file of MNIST images to read instead of image files: Kaggle's test.csv, or labelled rows. */
  csv?: string;
  /** Where to write the Kaggle submission (`ImageId,Label`) of `csv`'s rows. */
  submission?: string;
  /** A folder to write the 28x28 image each file became, as PNG. */
  saveInput?: string;
  /** One JSON object per line instead of text. */
  json: boolean;
  /** Each picture is a number written in a row: read all its digits, left to right. */
  number: boolean;
  /** How tfjs runs. */
  backend: BackendId;
  /** Print the help text and do nothing else. */
  help: boolean;
}

/** The help text of `deno task predict`; every flag shows its default. */
export const PREDICT_HELP = `Read the handwritten digit in each image file (PNG or JPEG, any size,
dark ink on light paper or light on dark) with a trained model, or in each row
of a CSV file of MNIST images, such as Kaggle's test.csv.

Usage: deno task predict --model <path> [options] <image>...
       deno task predict --model <path> --csv <file> [--submission <file>]

Options:
  --model <path>      a saved model's folder or its model.json: out/models/mlp,
                      out/models/cnn (tfjs layers format), out/models/scratch
                      (from-scratch MLP), or a Keras model converted with
                      tensorflowjs_converter --input_format keras (required)
  --json              print one JSON object per file: {"file", "digit", "probabilities"},
                      or per CSV row: {"imageId", "digit", "probabilities"}
                      (default: text, "file: digit (probability)")
  --csv <file>        read the rows of a CSV file instead of image files: 784 pixels 0-255 a
                      row (Kaggle's test.csv, header pixel0,...) or 785 with the label first,
                      whose labels are then only compared with the predictions; without
                      --submission the ImageId,Label lines go to standard output (default: none)
  --submission <file> write Kaggle's submission for --csv: ImageId,Label, ImageId from 1,
                      one row per CSV row (default: none)
  --save-input <folder>
                      write the 28x28 image each file became, as the model reads it
                      (white on black), as <folder>/<name>.png; a second file of the same
                      name becomes <name>_2.png, and files already there are replaced
                      (default: none)
  --number            each picture is a number written in a row (a year, a house number):
                      cut it into its digits left to right and read them all; text
                      "file: 1984 (0.99, 0.97, 0.98, 0.95)" (each digit's probability),
                      JSON {"file", "number", "digits": [{"digit", "probabilities"}]}
                      (default: one digit a picture)
  --backend <id>      ${BACKEND_IDS.join(", ")} (default: auto)
  -h, --help          show this help

For photos and scans, train with --augment standard: a CNN so trained read 96.6% of 500
degraded photos and scans of MNIST test digits here, against 95.8% without augmentation and
96.4% with --augment strong (12,000 training images, 3 epochs, one seed; see the README):
  deno task train --model cnn --augment standard

Exit code: 0 when every file was read, 1 when some could not be, 2 for bad flags.
`;

const PREDICT_FLAGS = {
  model: { type: "string" },
  json: { type: "boolean", default: false },
  csv: { type: "string" },
  submission: { type: "string" },
  "save-input": { type: "string" },
  number: { type: "boolean", default: false },
  backend: { type: "string", default: "auto" },
  help: { type: "boolean", short: "h", default: false },
} as const;

function optionalPath(flag: string, text: string | undefined, expected: string) {
  return text === undefined ? undefined : parseNonEmpty(flag, text, { expected });
}

/** Refuses a command line whose inputs and outputs do not go together. */
function checkInputs(
  values: { csv?: string; submission?: string; "save-input"?: string; number: boolean },
  files: string[],
) {
  if (values.csv === undefined) {
    if (files.length === 0) {
      throw new UsageError(
        `no image files given, expected at least one PNG or JPEG file, or --csv <file>`,
      );
    }
    if (values.submission !== undefined) {
      throw new UsageError(
        `--submission is given without --csv, expected --csv <file> for the rows to submit`,
      );
    }
  } else if (files.length > 0) {
    throw new UsageError(
      `--csv is given with image files (${files[0]}${
        files.length > 1 ? ", ..." : ""
      }), expected one or the other`,
    );
  } else if (values["save-input"] !== undefined) {
    throw new UsageError(
      `--save-input is given with --csv, expected image files: CSV rows are already 28x28 images`,
    );
  } else if (values.number) {
    throw new UsageError(
      `--number is given with --csv, expected pictures of numbers: a CSV row is one digit`,
    );
  }
  if (values.number && values["save-input"] !== undefined) {
    throw new UsageError(
      `--save-input is given with --number, expected one or the other: --save-input writes one 28x28 image a file`,
    );
  }
}

/**
 * Parses and checks the flags of `deno task predict`.
 *
 * @example
 * ```ts
 * const args = parsePredictArgs(["--model", "out/models/cnn", "seven.png"]);
 * args.files; // ["seven.png"]
 * parsePredictArgs(["--model", "cnn", "--csv", "test.csv", "--submission", "out.csv"]).csv; // "test.csv"
 * ```
 *
 * @throws {UsageError} for an unknown flag, a missing --model, no input,
 * --csv with image files, --submission without --csv, --save-input with --csv
 * or --number, --number with --csv.
 */
export function parsePredictArgs(args: string[]): PredictArgs {
  const { values, positionals } = readFlags(args, PREDICT_FLAGS, { allowPositionals: true });
  const help = values.help;
  const backend = parseChoice("backend", values.backend, { choices: BACKEND_IDS });
  if (!help && (values.model === undefined || values.model.trim() === "")) {
    throw new UsageError(
      `--model is missing, expected a saved model folder such as out/models/cnn`,
    );
  }
  if (!help) checkInputs(values, positionals);
  return {
    model: values.model ?? "",
    files: positionals,
    csv: optionalPath("csv", values.csv, "a CSV file"),
    submission: optionalPath("submission", values.submission, "a file to write"),
    saveInput: optionalPath("save-input", values["save-input"], "a folder"),
    json: values.json,
    number: values.number,
    backend,
    help,
  };
}
