/**
 * `deno task docs`: remakes the README's screenshot of the draw-a-digit
 * page from the models in `--out`. The tests never write into the
 * repository; this task does, when asked.
 *
 * The only place that reads Deno.args, prints and exits.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { setupBackend } from "../backend/mod.ts";
import { loadPageModels, serveDigitPage } from "../digits/mod.ts";
import { DOCS_HELP, type DocsArgs, parseDocsArgs } from "./docs_args.ts";
import { screenshotDigitPage } from "./page_browser.ts";
import { runCommand } from "./run_command.ts";

async function docs(args: DocsArgs): Promise<void> {
  for (const id of ["mlp", "cnn"]) {
    const folder = join(args.out, "models", id);
    if (!await Deno.stat(folder).then(() => true, () => false)) {
      throw new Error(
        `Cannot take the screenshot: no trained model in ${folder}, expected one (run deno task train)`,
      );
    }
  }
  await setupBackend({ backend: "auto" });
  const { models } = await loadPageModels({
    out: args.out,
    models: ["mlp", "cnn"].map((id) => join(args.out, "models", id)),
  });
  const stop = new AbortController();
  const listening = Promise.withResolvers<number>();
  const server = await serveDigitPage({
    out: args.out,
    models,
    port: 0,
    signal: stop.signal,
    onListen: ({ port }) => listening.resolve(port),
  });
  try {
    await Deno.mkdir(dirname(args.screenshot), { recursive: true });
    await screenshotDigitPage(`http://127.0.0.1:${await listening.promise}/`, args.screenshot);
    console.log(`docs: wrote ${args.screenshot}`);
  } finally {
    stop.abort();
    await server.finished;
    models.forEach((model) => model.dispose());
  }
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "docs",
    parse: parseDocsArgs,
    help: DOCS_HELP,
    run: docs,
  }),
);
