import assert from "node:assert/strict";
import { join } from "node:path";
import { createPageHandler, loadPageModels, serveDigitPage } from "../../lib/digits/serve.ts";
import { ScratchDigitModel } from "../../lib/models/mod.ts";
import { createScratchMlp, predictScratchMlp, saveScratchMlp } from "../../lib/scratch/mod.ts";

/** A from-scratch MLP: a model of the interface that needs no tfjs backend. */
const scratch = new ScratchDigitModel(createScratchMlp({ seed: 1 }), {
  id: "scratch",
  label: "MLP from scratch",
});

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

Deno.test("the handler serves the page, its code and the out folder", async () => {
  await withOut(async (out) => {
    const handle = createPageHandler({ out, models: [scratch] });
    const page = await get(handle, "/");
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await page.text(), /<title>Draw a digit/);
    const app = await get(handle, "/web/app.js");
    assert.equal(app.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.match(await app.text(), /from "\.\.\/digit_preprocess\.js"/);
    const model = await get(handle, "/out/models/mlp/model.json");
    assert.equal(model.headers.get("content-type"), "application/json");
    assert.deepEqual(await model.json(), { format: "layers-model" });
    assert.equal(await (await get(handle, "/out/report.html")).text(), "<h1>Report</h1>");
  });
});

Deno.test("the page gets the very preprocessing files the command line imports", async () => {
  await withOut(async (out) => {
    for (const file of ["digit_preprocess.js", "number_segment.js"]) {
      const served = await (await get(createPageHandler({ out, models: [scratch] }), `/${file}`))
        .text();
      const onDisk = await Deno.readTextFile(
        new URL(`../../lib/digits/${file}`, import.meta.url),
      );
      assert.equal(served, onDisk, file);
    }
  });
});

Deno.test("the handler answers 404 outside its files, 405 for writes, and HEAD without a body", async () => {
  await withOut(async (out) => {
    const handle = createPageHandler({ out, models: [scratch] });
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
      models: [scratch],
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

Deno.test("/models lists the models and POST /predict gives each one's probabilities", async () => {
  await withOut(async (out) => {
    const handle = createPageHandler({ out, models: [scratch] });
    assert.deepEqual(await (await get(handle, "/models")).json(), [
      { id: "scratch", label: "MLP from scratch", params: 235146 },
    ]);
    const pixels = new Float32Array(784).map((_, i) => (i % 29) / 29);
    const response = await handle(
      new Request("http://127.0.0.1/predict", { method: "POST", body: pixels.slice().buffer }),
    );
    const [prediction] = await response.json();
    assert.equal(prediction.id, "scratch");
    assert.deepEqual(
      prediction.probabilities,
      Array.from(predictScratchMlp(scratch.network, pixels, 1)),
    );
    // The digits of a number go in one request: 10 probabilities an input, in order.
    const three = new Float32Array(3 * 784).map((_, i) => ((i * 7) % 31) / 31);
    const [numberPrediction] = await (await handle(
      new Request("http://127.0.0.1/predict", { method: "POST", body: three.slice().buffer }),
    )).json();
    assert.deepEqual(
      numberPrediction.probabilities,
      Array.from(predictScratchMlp(scratch.network, three, 3)),
    );
    const expected = "images of 784 float32 pixels (3136 bytes each)";
    for (const bytes of [12, 0, 33 * 3136]) {
      const bad = await handle(
        new Request("http://127.0.0.1/predict", { method: "POST", body: new Uint8Array(bytes) }),
      );
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), {
        error: `Cannot predict: the body has ${bytes} bytes, expected 1 to 32 ${expected}`,
      });
    }
    for (const [index, value] of [[0, NaN], [783, 1.5], [5, -0.25], [1000, NaN]]) {
      const wrong = new Float32Array(2 * 784);
      wrong[index] = value;
      const refused = await handle(
        new Request("http://127.0.0.1/predict", { method: "POST", body: wrong }),
      );
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), {
        error: `Cannot predict: pixel ${index} is ${value}, expected a value from 0 to 1`,
      });
    }
  });
});

Deno.test("loadPageModels loads every saved model, skipping broken ones, or those named", async () => {
  await withOut(async (out) => {
    await saveScratchMlp(scratch.network, join(out, "models", "scratch"));
    const found = await loadPageModels({ out });
    assert.deepEqual(found.models.map((model) => model.id), ["scratch"]);
    assert.equal(found.skipped.length, 1, "the broken mlp folder is skipped");
    assert.match(found.skipped[0].message, /model\.json/);
    const named = await loadPageModels({ out, models: [join(out, "models", "scratch")] });
    assert.deepEqual(named.models.map((model) => model.id), ["scratch"]);
    await assert.rejects(loadPageModels({ out, models: [join(out, "models", "mlp")] }));
    assert.deepEqual((await loadPageModels({ out: join(out, "nowhere") })).models, []);
  });
});
