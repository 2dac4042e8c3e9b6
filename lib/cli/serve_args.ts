/**
 * The flags of `deno task serve`: parsing, defaults, checks and help text.
 *
 * Pure: takes the argument list, returns options or throws a `UsageError`
 * whose one-line message the entry point prints before exiting with 2.
 *
 * @module
 */
import { BACKEND_IDS, type BackendId } from "../config.ts";
import { parseChoice, parseNonEmpty, parseWholeNumber, readFlags } from "./flags.ts";

/** Everything `deno task serve` was asked to do. */
export interface ServeArgs {
  /** Address to listen on. */
  host: string;
  /** Port to listen on. */
  port: number;
  /** Folder of the trained models and report. */
  out: string;
  /** Model folders (or their model.json) to show instead of every model in `out`. */
  models?: string[];
  /** How tfjs runs the models. */
  backend: BackendId;
  /** Print the help text and do nothing else. */
  help: boolean;
}

/** The address, port and results folder `deno task serve` uses unless told otherwise. */
export const SERVE_DEFAULTS = { host: "127.0.0.1", port: 8000, out: "out/" } as const;

/** The help text of `deno task serve`; every flag shows its default. */
export const SERVE_HELP = `Serve the draw-a-digit page: draw a digit and watch the trained models
read it as you draw. Everything runs on this machine; nothing is fetched from the internet.

Usage: deno task serve [options]

Options:
  --port <n>          port to listen on (default: ${SERVE_DEFAULTS.port})
  --host <address>    address to listen on (default: ${SERVE_DEFAULTS.host}, this machine only);
                      any other needs its network permission, as in
                      deno run -P=serve --allow-net=0.0.0.0 lib/cli/serve.ts --host 0.0.0.0
  --out <folder>      where deno task train wrote models/ and report.html (default: ${SERVE_DEFAULTS.out});
                      the page shows every model in its models/ folder
  --model <path>      show this model instead: a saved model's folder or its model.json;
                      repeat it for several (default: every model in --out)
  --backend <id>      ${BACKEND_IDS.join(", ")} (default: auto)
  -h, --help          show this help
`;

const SERVE_FLAGS = {
  port: { type: "string", default: String(SERVE_DEFAULTS.port) },
  host: { type: "string", default: SERVE_DEFAULTS.host },
  out: { type: "string", default: SERVE_DEFAULTS.out },
  model: { type: "string", multiple: true },
  backend: { type: "string", default: "auto" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * Parses and checks the flags of `deno task serve`.
 *
 * @example
 * ```ts
 * parseServeArgs(["--port", "8080"]).port; // 8080
 * ```
 */
export function parseServeArgs(args: string[]): ServeArgs {
  const flags = readFlags(args, SERVE_FLAGS).values;
  const port = parseWholeNumber("port", flags.port, { min: 0, max: 65535 });
  const host = parseNonEmpty("host", flags.host, { expected: "an address" });
  const out = parseNonEmpty("out", flags.out, { expected: "a folder" });
  const models = flags.model?.map((path) =>
    parseNonEmpty("model", path, { expected: "a model folder or model.json" })
  );
  const backend = parseChoice("backend", flags.backend, { choices: BACKEND_IDS });
  return { host, port, out, models, backend, help: flags.help };
}
