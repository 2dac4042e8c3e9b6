import assert from "node:assert/strict";
import { DOCS_HELP, parseDocsArgs, UsageError } from "../../lib/cli/mod.ts";

Deno.test("docs flags default to out/ and docs/serve.png", () => {
  assert.deepEqual(parseDocsArgs([]), { out: "out/", screenshot: "docs/serve.png", help: false });
  assert.deepEqual(parseDocsArgs(["--out", "runs/a", "--screenshot", "/tmp/page.png", "-h"]), {
    out: "runs/a",
    screenshot: "/tmp/page.png",
    help: true,
  });
  assert.throws(() => parseDocsArgs(["--out", ""]), UsageError);
  assert.equal(DOCS_HELP.match(/\(default: [^)]+\)/g)?.length, 2);
});

Deno.test("deno task docs without trained models exits 1 with one line and writes nothing", async () => {
  const out = await Deno.makeTempDir({ prefix: "docs_cli_" });
  try {
    const screenshot = `${out}/page.png`;
    const { code, stdout, stderr } = await new Deno.Command("deno", {
      args: ["run", "-P=docs", "lib/cli/docs.ts", "--out", out, "--screenshot", screenshot],
      cwd: new URL("../..", import.meta.url).pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(stderr).split("\n").filter((line) =>
      line.startsWith("docs:")
    );
    assert.equal(code, 1);
    assert.equal(new TextDecoder().decode(stdout), "");
    assert.deepEqual(errors, [
      `docs: Cannot take the screenshot: no trained model in ${out}/models/mlp, expected one (run deno task train)`,
    ]);
    assert.equal(await Deno.stat(screenshot).then(() => true, () => false), false);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
