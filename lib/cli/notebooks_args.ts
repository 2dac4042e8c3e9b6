/**
 * The flags of `deno task notebooks`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { DEFAULT_PYTHON } from "../notebook/mod.ts";
import { parseNonEmpty, parseWholeNumber, readFlags, UsageError } from "./flags.ts";

/** Everything `deno task notebooks` was asked to do. */
export interface NotebooksArgs {
  /** Notebooks to run; empty for every notebook in `notebooks/`. */
  notebooks: string[];
  /** Train on a small subset (sets MNIST_QUICK=1 for the kernel). */
  quick: boolean;
  /** Write each executed notebook over the original instead of into `out`. */
  inPlace: boolean;
  /** Folder the executed notebooks are written to. */
  out: string;
  /** Seconds one cell may run; undefined for no limit. */
  cellTimeout?: number;
  /** Python interpreter with nbconvert. */
  python: string;
  /** Print the help text and do nothing else. */
  help: boolean;
}

const DEFAULT_OUT = "out/notebooks";

/** A cell timeout for quick runs, so that a hung kernel fails CI instead of stalling it. */
const QUICK_CELL_TIMEOUT = 900;

/** The help text of `deno task notebooks`; every flag shows its default. */
export const NOTEBOOKS_HELP =
  `Execute the notebooks headless with Jupyter's nbconvert and the Deno kernel.

Usage: deno task notebooks [options] [notebook.ipynb ...]

Installs the Deno kernelspec (deno jupyter --install) when it is missing, runs
each notebook top to bottom in its own folder, and fails, naming the notebook
and the cell, when a cell throws.

Options:
  --quick               train on a small subset, a minute or two per notebook
                        (sets MNIST_QUICK=1) (default: off, the full defaults)
  --in-place            write each executed notebook over the original, outputs
                        included, as committed (default: off)
  --out <folder>        where executed notebooks go without --in-place
                        (default: ${DEFAULT_OUT})
  --cell-timeout <s>    seconds one cell may run, 0 for no limit
                        (default: ${QUICK_CELL_TIMEOUT} with --quick, else no limit)
  --python <path>       Python with nbconvert, nbclient and jupyter_client
                        (default: ${DEFAULT_PYTHON}; another path needs --allow-run for it)
  -h, --help            show this help

Notebooks default to every notebooks/*.ipynb, in name order.
`;

function parseTimeout(text: string | undefined, quick: boolean): number | undefined {
  if (text === undefined) return quick ? QUICK_CELL_TIMEOUT : undefined;
  const value = parseWholeNumber("cell-timeout", text, { min: 0, unit: "seconds" });
  return value === 0 ? undefined : value;
}

const NOTEBOOKS_FLAGS = {
  quick: { type: "boolean", default: false },
  "in-place": { type: "boolean", default: false },
  out: { type: "string", default: DEFAULT_OUT },
  "cell-timeout": { type: "string" },
  python: { type: "string", default: DEFAULT_PYTHON },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses and checks the flags of `deno task notebooks`.
 *
 * @example
 * ```ts
 * const args = parseNotebooksArgs(["--quick"]);
 * args.quick; // true
 * ```
 */
export function parseNotebooksArgs(args: string[]): NotebooksArgs {
  const { values, positionals } = readFlags(args, NOTEBOOKS_FLAGS, { allowPositionals: true });
  const out = parseNonEmpty("out", values.out, { expected: "a folder" });
  const notRunnable = positionals.find((path) => !path.endsWith(".ipynb"));
  if (notRunnable !== undefined) {
    throw new UsageError(`"${notRunnable}" is not a notebook, expected a path ending in .ipynb`);
  }
  return {
    notebooks: positionals,
    quick: values.quick,
    inPlace: values["in-place"],
    out,
    cellTimeout: parseTimeout(values["cell-timeout"], values.quick),
    python: values.python,
    help: values.help,
  };
}
