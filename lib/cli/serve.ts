/**
 * `deno task serve`: serves the draw-a-digit page on this machine.
 *
 * The only place that reads Deno.args, prints and exits; all the work is
 * in `lib/`.
 *
 * @module
 */
import { serveDigitPage } from "../serve.ts";
import { parseServeArgs, SERVE_HELP, type ServeArgs } from "./serve_args.ts";
import { UsageError } from "./train_args.ts";

async function main(argv: string[]): Promise<number> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`serve: ${error.message} (see deno task serve --help)`);
    return 2;
  }
  if (args.help) {
    console.log(SERVE_HELP);
    return 0;
  }
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
    return 0;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable && args.host !== "127.0.0.1") {
      console.error(
        `serve: listening on ${args.host} needs its network permission: deno run -P=serve --allow-net=${args.host} lib/cli/serve.ts --host ${args.host}`,
      );
      return 1;
    }
    console.error(`serve: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

Deno.exit(await main(Deno.args));
