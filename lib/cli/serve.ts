/**
 * `deno task serve`: serves the draw-a-digit page on this machine.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { serveDigitPage } from "../digits/mod.ts";
import { runCommand } from "./run_command.ts";
import { parseServeArgs, SERVE_HELP, type ServeArgs } from "./serve_args.ts";

async function serve(args: ServeArgs): Promise<void> {
  try {
    const server = await serveDigitPage({
      out: args.out,
      hostname: args.host,
      port: args.port,
      onListen: ({ hostname, port }) => {
        const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.log(
          `Draw a digit at http://${shown}:${port}/ (models from ${args.out}; Ctrl+C stops)`,
        );
      },
    });
    await server.finished;
  } catch (error) {
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
