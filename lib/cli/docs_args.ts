/**
 * The flags of `deno task docs`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { parseNonEmpty, readFlags } from "./flags.ts";

/** Everything `deno task docs` was asked to do. */
export interface DocsArgs {
  /** Folder of the trained models shown on the page. */
  out: string;
  /** Where the screenshot of the page goes. */
  screenshot: string;
  /** Print the help text and do nothing else. */
  help: boolean;
}

const DEFAULTS = { out: "out/", screenshot: "docs/serve.png" } as const;

/** The help text of `deno task docs`; every flag shows its default. */
export const DOCS_HELP = `Remake the README's pictures: serve the draw-a-digit page with the models
that deno task train saved, draw a 7 in chromium and save a screenshot.

Usage: deno task docs [options]

Options:
  --out <folder>        where deno task train wrote models/ (default: ${DEFAULTS.out})
  --screenshot <file>   where the PNG goes (default: ${DEFAULTS.screenshot})
  -h, --help            show this help
`;

const DOCS_FLAGS = {
  out: { type: "string", default: DEFAULTS.out },
  screenshot: { type: "string", default: DEFAULTS.screenshot },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses and checks the flags of `deno task docs`.
 *
 * @example
 * ```ts
 * parseDocsArgs(["--out", "runs/today"]).out; // "runs/today"
 * ```
 */
export function parseDocsArgs(args: string[]): DocsArgs {
  const flags = readFlags(args, DOCS_FLAGS).values;
  return {
    out: parseNonEmpty("out", flags.out, { expected: "a folder" }),
    screenshot: parseNonEmpty("screenshot", flags.screenshot, { expected: "a file" }),
    help: flags.help,
  };
}
