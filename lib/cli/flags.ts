/**
 * What every command's flag parser shares: reading the flags with
 * `node:util` `parseArgs`, and checking the common kinds of value.
 *
 * Every problem is a `UsageError` with a one-line message of the form
 * `--flag is "value", expected ...`, which the entry point prints before
 * exiting with 2.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A bad flag or value; the command line prints its message and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The flags a command takes, as `parseArgs` describes them. */
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** Options for {@link readFlags}. */
export interface ReadFlagsOptions {
  /** Accept arguments that are not flags (file names); default false. */
  allowPositionals?: boolean;
}

/**
 * Joins `--flag -3` into `--flag=-3` for the flags that take a value, which
 * parseArgs would otherwise call ambiguous, so that the value's own check
 * can say what is wrong with it.
 */
function joinNegativeValues(args: readonly string[], options: FlagOptions): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    const takesValue = args[i].startsWith("--") && options[args[i].slice(2)]?.type === "string";
    if (takesValue && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  return joined;
}

/**
 * Reads the flags of a command, strictly: an unknown flag, a missing value
 * or (unless allowed) a stray argument is a `UsageError`.
 *
 * @throws {UsageError} with parseArgs's message, on one line.
 *
 * @example
 * ```ts
 * const { values } = readFlags(["--port", "8080"], { port: { type: "string", default: "8000" } });
 * values.port; // "8080"
 * ```
 */
export function readFlags<T extends FlagOptions>(
  args: readonly string[],
  options: T,
  { allowPositionals = false }: ReadFlagsOptions = {},
) {
  try {
    return parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs explains an ambiguous value over three lines; the command prints one. With
    // positionals allowed it adds how to pass an argument that starts with "-", which a
    // mistyped flag does not need (and which it quotes unevenly).
    throw new UsageError(
      message.replace(/\s*\n\s*/g, " ").replace(/^(Unknown option '[^']*')\. To specify .*$/, "$1"),
    );
  }
}

/** Options for {@link parsePositive}. */
export interface PositiveOptions {
  /** Accept only whole numbers; default false. */
  whole?: boolean;
}

/**
 * Parses a flag's value as a number above 0 (and whole, when asked).
 *
 * @throws {UsageError} naming the flag, the text and what was expected.
 *
 * @example
 * ```ts
 * parsePositive("epochs", "3", { whole: true }); // 3
 * parsePositive("seconds", "0"); // throws: --seconds is "0", expected a number above 0
 * ```
 */
export function parsePositive(flag: string, text: string, options: PositiveOptions = {}): number {
  const whole = options.whole ?? false;
  const value = Number(text);
  if (
    text.trim() === "" || !Number.isFinite(value) || value <= 0 ||
    (whole && !Number.isInteger(value))
  ) {
    const kind = whole ? "a whole number above 0" : "a number above 0";
    throw new UsageError(`--${flag} is "${text}", expected ${kind}`);
  }
  return value;
}

/** Options for {@link parseWholeNumber}. */
export interface WholeNumberOptions {
  /** Smallest value accepted. */
  min: number;
  /** Largest value accepted; default no limit. */
  max?: number;
  /** What the number counts, for the message ("seconds"); default nothing. */
  unit?: string;
}

/**
 * Parses a flag's value as a whole number from `min` (to `max`, if given).
 *
 * @throws {UsageError} naming the flag, the text and the range expected.
 *
 * @example
 * ```ts
 * parseWholeNumber("port", "8080", { min: 0, max: 65535 }); // 8080
 * parseWholeNumber("seed", "-1", { min: 0 }); // throws: expected a whole number 0 or above
 * ```
 */
export function parseWholeNumber(flag: string, text: string, options: WholeNumberOptions): number {
  const { min, max = Infinity, unit } = options;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    const number = unit === undefined ? "a whole number" : `a whole number of ${unit},`;
    const range = max === Infinity ? `${min} or above` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} is "${text}", expected ${number} ${range}`);
  }
  return value;
}

/** Options for {@link parseChoice}. */
export interface ChoiceOptions<T extends string> {
  /** The values accepted, in the order the message lists them. */
  choices: readonly T[];
}

/**
 * Parses a flag's value as one of a fixed list of ids.
 *
 * @throws {UsageError} naming the flag, the text and the choices.
 *
 * @example
 * ```ts
 * parseChoice("backend", "wasm", { choices: BACKEND_IDS }); // "wasm"
 * ```
 */
export function parseChoice<T extends string>(
  flag: string,
  text: string,
  { choices }: ChoiceOptions<T>,
): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${flag} is "${text}", expected one of ${choices.join(", ")}`);
  }
  return text as T;
}

/** Options for {@link parseNonEmpty}. */
export interface NonEmptyOptions {
  /** What the value should be, for the message ("a folder"). */
  expected: string;
}

/**
 * Returns a flag's value unless it is empty or blank.
 *
 * @throws {UsageError} `--flag is empty, expected ...`.
 *
 * @example
 * ```ts
 * parseNonEmpty("out", "out/", { expected: "a folder" }); // "out/"
 * ```
 */
export function parseNonEmpty(flag: string, text: string, { expected }: NonEmptyOptions): string {
  if (text.trim() === "") throw new UsageError(`--${flag} is empty, expected ${expected}`);
  return text;
}

/**
 * Whether `args` give the flag `--name`, as `--name value` or `--name=value`
 * (a flag with a default has a value whether given or not).
 *
 * @example
 * ```ts
 * givesFlag(["--seed=7"], "seed"); // true
 * ```
 */
export function givesFlag(args: readonly string[], name: string): boolean {
  return args.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
}
