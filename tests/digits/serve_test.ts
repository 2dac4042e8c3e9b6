import assert from "node:assert/strict";
import { join } from "node:path";
import { createPageHandler, serveDigitPage } from "../../lib/digits/serve.ts";

async function withOut(use: (out: string) => Promise<void>): Promise<void> {
  const out = await Deno.makeTempDir({ prefix: "serve_" });
  try {
    await Deno.mkdir(join(out, "models", "mlp"), { recursive: true });
    await Deno.writeTextFile(join(out, "models", "mlp", "model.json"), '{"format":"layers-model"}');
    await Deno.writeTextFile(join(out, "report.html"), "<h1>Report</h1>");
    await use(out);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

function get(handle: (request: Request) => Promise<Response>, path: string, method = "GET") {
  return handle(new Request(`http://127.0.0.1${path}`, { method }));
}

Deno.test("the handler serves the page, its code, tfjs and the out folder", async () => {
  await withOut(async (out) => {
    const handle = createPageHandler({ out });
    const page = await get(handle, "/");
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await page.text(), /<title>Draw a digit/);
    const app = await get(handle, "/web/app.js");
    assert.equal(app.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(await app.text(), /from "\.\.\/digit_preprocess\.js"/);
    const tfjs = await get(handle, "/vendor/tf.fesm.min.js");
    assert.equal(tfjs.status, 200);
    await tfjs.body?.cancel();
    const model = await get(handle, "/out/models/mlp/model.json");
    assert.equal(model.headers.get("content-type"), "application/json");
    assert.deepEqual(await model.json(), { format: "layers-model" });
    assert.equal(await (await get(handle, "/out/report.html")).text(), "<h1>Report</h1>");
  });
});

Deno.test("the page gets the very preprocessing file the command line imports", async () => {
  await withOut(async (out) => {
    const served = await (await get(createPageHandler({ out }), "/digit_preprocess.js")).text();
    const onDisk = await Deno.readTextFile(
      new URL("../../lib/digits/digit_preprocess.js", import.meta.url),
    );
    assert.equal(served, onDisk);
  });
});

Deno.test("the handler answers 404 outside its files, 405 for writes, and HEAD without a body", async () => {
  await withOut(async (out) => {
    const handle = createPageHandler({ out });
    for (
      const path of [
        "/deno.json",
        "/out/",
        "/out/models",
        "/out/missing.json",
        "/out/%2e%2e/deno.json",
        "/out/..%2fdeno.json",
        "/out/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/out/%E0%A4%A",
      ]
    ) {
      const response = await get(handle, path);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
    const post = await get(handle, "/", "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();
    const head = await get(handle, "/out/report.html", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("content-length"), "15");
    assert.equal(head.body, null);
  });
});

Deno.test("serveDigitPage listens on 127.0.0.1 and stops when aborted", async () => {
  await withOut(async (out) => {
    const stop = new AbortController();
    const listening = Promise.withResolvers<{ hostname: string; port: number }>();
    const server = await serveDigitPage({
      out,
      port: 0,
      signal: stop.signal,
      onListen: listening.resolve,
    });
    const { hostname, port } = await listening.promise;
    assert.equal(hostname, "127.0.0.1");
    const response = await fetch(`http://127.0.0.1:${port}/out/report.html`);
    assert.equal(await response.text(), "<h1>Report</h1>");
    stop.abort();
    await server.finished;
  });
});
