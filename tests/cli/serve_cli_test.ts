import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { parseServeArgs, SERVE_HELP, UsageError } from "../../lib/cli/mod.ts";

const PROJECT = new URL("../..", import.meta.url).pathname;

/** Reads `stream` until it has `count` whole lines and returns them. */
async function readFirstLine(stream: ReadableStream<Uint8Array>, count = 1): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.split("\n").length <= count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text.split("\n").slice(0, count).join("\n");
}

Deno.test("serve flags default to 127.0.0.1:8000 and out/, and refuse a bad port", () => {
  assert.deepEqual(parseServeArgs([]), {
    host: "127.0.0.1",
    port: 8000,
    out: "out/",
    models: undefined,
    backend: "auto",
    help: false,
  });
  assert.deepEqual(
    parseServeArgs([
      "--port",
      "0",
      "--host",
      "::1",
      "--out",
      "runs/a",
      "--model",
      "a/cnn",
      "--model",
      "b/model.json",
      "--backend",
      "wasm",
      "-h",
    ]),
    {
      host: "::1",
      port: 0,
      out: "runs/a",
      models: ["a/cnn", "b/model.json"],
      backend: "wasm",
      help: true,
    },
  );
  assert.throws(
    () => parseServeArgs(["--port", "65536"]),
    new UsageError('--port is "65536", expected a whole number from 0 to 65535'),
  );
  assert.throws(() => parseServeArgs(["--host", ""]), UsageError);
  assert.throws(() => parseServeArgs(["--fast"]), UsageError);
  assert.equal(SERVE_HELP.match(/\(default: [^)]+\)/g)?.length, 5);
});

Deno.test("deno task serve on port 0 prints its address and serves the page there", async () => {
  const out = await Deno.makeTempDir({ prefix: "serve_cli_" });
  const child = new Deno.Command("deno", {
    args: ["run", "-P=serve", "lib/cli/serve.ts", "--port", "0", "--out", out],
    cwd: PROJECT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const lines = (await readFirstLine(child.stdout, 2)).split("\n");
    assert.match(lines[0], /^backend: /);
    const first = lines[1];
    const address = first.match(
      /^Draw a digit at (http:\/\/127\.0\.0\.1:(\d+)\/) \(models: (.+); Ctrl\+C stops\)$/,
    );
    assert.ok(address, `first line: ${first}`);
    assert.notEqual(Number(address[2]), 0, "the line gives the port chosen, not 0");
    assert.equal(address[3], "none yet (run deno task train)");
    const page = await fetch(address[1]);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await page.text(), /Draw a digit/);
    // A second server on the same port says which port is taken.
    const taken = await serveOnce(["--port", address[2], "--out", out]);
    assert.equal(taken.code, 1);
    assert.equal(
      taken.stderr,
      `serve: port ${
        address[2]
      } on 127.0.0.1 is in use, expected a free port: stop the server on it or choose another with --port\n`,
    );
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(out, { recursive: true });
  }
});

/** Runs `deno task serve` with `args` until it exits, for runs that fail; its stderr without Deno's warnings. */
async function serveOnce(args: string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command("deno", {
    args: ["run", "-P=serve", "lib/cli/serve.ts", ...args],
    cwd: PROJECT,
    env: { NO_COLOR: "1" },
    stdout: "null",
  }).output();
  // Deno's own warning about permissions in the config file is not the command's.
  const lines = new TextDecoder().decode(stderr).split("\n");
  return { code, stderr: lines.filter((line) => !line.startsWith("Warning")).join("\n") };
}

Deno.test("deno task serve refuses an --out that is not a folder, before it sets anything up", async () => {
  const missing = join(await Deno.makeTempDir({ prefix: "serve_cli_" }), "typo");
  const { code, stderr } = await serveOnce(["--port", "0", "--out", missing]);
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `serve: --out ${missing} is not a folder, expected the folder deno task train --out wrote\n`,
  );
  await Deno.remove(dirname(missing), { recursive: true });
});
