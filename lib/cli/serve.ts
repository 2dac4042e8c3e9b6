/**
 * `deno task serve`: serves the draw-a-digit page on this machine.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import { loadPageModels, serveDigitPage } from "../digits/mod.ts";
import { createModelRegistry } from "../models/mod.ts";
import { runCommand } from "./run_command.ts";
import { parseServeArgs, SERVE_DEFAULTS, SERVE_HELP, type ServeArgs } from "./serve_args.ts";

/** Whether `path` is a folder; false when nothing is there. */
async function isFolder(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function serve(args: ServeArgs): Promise<void> {
  // A fresh checkout has no out/ yet and gets the page with a hint; a
  // folder asked for by name that is not there is most likely a typo.
  if (args.out !== SERVE_DEFAULTS.out && !args.models?.length && !(await isFolder(args.out))) {
    throw new Error(
      `--out ${args.out} is not a folder, expected the folder deno task train --out wrote`,
    );
  }
  const backend = await setupBackend({ backend: args.backend });
  const { models, skipped } = await loadPageModels({
    out: args.out,
    models: args.models,
    registry: createModelRegistry(),
  });
  skipped.forEach((error) => console.error(`serve: skipped a model: ${error.message}`));
  const names = models.map((model) => model.id).join(", ") || "none yet (run deno task train)";
  console.log(`backend: ${backend.description}`);
  try {
    const server = await serveDigitPage({
      out: args.out,
      models,
      hostname: args.host,
      port: args.port,
      onListen: ({ hostname, port }) => {
        const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(
          `Draw a digit at http://${shown}:${port}/ (models: ${names}; Ctrl+C stops)`,
        );
      },
    });
    await server.finished;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new Error(
        `port ${args.port} on ${args.host} is in use, expected a free port: stop the server on it or choose another with --port`,
      );
    }
    if (error instanceof Deno.errors.NotCapable && args.host !== "127.0.0.1") {
      throw new Error(
        `listening on ${args.host} needs its network permission: deno run -P=serve --allow-net=${args.host} lib/cli/serve.ts --host ${args.host}`,
      );
    }
    throw error;
  }
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "serve",
    parse: parseServeArgs,
    help: SERVE_HELP,
    run: serve,
  }),
);
