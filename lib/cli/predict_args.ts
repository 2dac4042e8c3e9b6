/**
 * The flags of `deno task predict`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { BACKEND_IDS, type BackendId } from "../config.ts";
import { parseChoice, readFlags, UsageError } from "./flags.ts";

/** Everything `deno task predict` was asked to do. */
export interface PredictArgs {
  /** A saved model's folder or its model.json: tfjs layers format (Keras-converted too) or the from-scratch MLP's. */
  model: string;
  /** Image files to read, in the order given. */
  files: string[];
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
dark ink on light paper or light on dark) with a trained model.

Usage: deno task predict --model <path> [options] <image>...

Options:
  --model <path>      a saved model's folder or its model.json: out/models/mlp,
                      out/models/cnn (tfjs layers format), out/models/scratch
                      (from-scratch MLP), or a Keras model converted with
                      tensorflowjs_converter --input_format keras (required)
  --json              print one JSON object per file: {"file", "digit", "probabilities"}
                      (default: text, "file: digit (probability)")
  --number            each picture is a number written in a row (a year, a house number):
                      cut it into its digits left to right and read them all; text
                      "file: 1984 (0.99, 0.97, 0.98, 0.95)" (each digit's probability),
                      JSON {"file", "number", "digits": [{"digit", "probabilities"}]}
                      (default: one digit a picture)
  --backend <id>      ${BACKEND_IDS.join(", ")} (default: auto)
  -h, --help          show this help

Exit code: 0 when every file was read, 1 when some could not be, 2 for bad flags.
`;

const PREDICT_FLAGS = {
  model: { type: "string" },
  json: { type: "boolean", default: false },
  number: { type: "boolean", default: false },
  backend: { type: "string", default: "auto" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses and checks the flags of `deno task predict`.
 *
 * @example
 * ```ts
 * const args = parsePredictArgs(["--model", "out/models/cnn", "seven.png"]);
 * args.files; // ["seven.png"]
 * ```
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
  if (!help && positionals.length === 0) {
    throw new UsageError(`no image files given, expected at least one PNG or JPEG file`);
  }
  return {
    model: values.model ?? "",
    files: positionals,
    json: values.json,
    number: values.number,
    backend,
    help,
  };
}
