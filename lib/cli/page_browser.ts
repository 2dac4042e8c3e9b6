/**
 * The draw-a-digit page in a real browser: Debian's chromium, headless,
 * driven by playwright-core (which downloads no browser of its own). Used by
 * `deno task docs` for the README's screenshot and by the browser tests.
 *
 * @module
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Launches chromium with a fresh profile in `profile`, cut off from every
 * Google service, showing 1200x540 pixels.
 *
 * @example
 * ```ts
 * const browser = await launchChromium(await Deno.makeTempDir());
 * ```
 */
export function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 540 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Draws one stroke through `points` (pad pixels, 0 to 280) with the mouse,
 * as a hand would.
 *
 * @throws {Error} when the page shows no drawing pad.
 * @example
 * ```ts
 * await drawStroke(page, [[70, 60], [205, 62]]);
 * ```
 */
export async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.locator("#pad").boundingBox();
  if (box === null) throw new Error("Cannot draw a stroke: the page shows no #pad");
  const at = (
    [x, y]: [number, number],
  ) => [box.x + x * box.width / 280, box.y + y * box.height / 280];
  const [startX, startY] = at(points[0]);
  await page.mouse.move(startX, startY);
  await page.mouse.down();
  for (const point of points.slice(1)) {
    const [x, y] = at(point);
    await page.mouse.move(x, y, { steps: 8 });
  }
  await page.mouse.up();
}

/** The two strokes of a 7: the top bar, then the slant. */
export const SEVEN_STROKES: [number, number][][] = [
  [[70, 60], [140, 58], [205, 62]],
  [[205, 62], [170, 130], [140, 190], [120, 235]],
];

/**
 * Opens the page at `url`, draws a 7, waits until both models show a digit
 * and saves a PNG screenshot at `path`.
 *
 * @example
 * ```ts
 * await screenshotDigitPage("http://127.0.0.1:8000/", "docs/serve.png");
 * ```
 */
export async function screenshotDigitPage(url: string, path: string): Promise<void> {
  const profile = await Deno.makeTempDir({ prefix: "chromium_profile_" });
  const browser = await launchChromium(profile);
  try {
    const page = browser.pages()[0] ?? await browser.newPage();
    await page.goto(url);
    await page.waitForSelector("body[data-ready]", { timeout: 20000 });
    for (const stroke of SEVEN_STROKES) await drawStroke(page, stroke);
    for (const model of ["mlp", "cnn"]) {
      await page.waitForSelector(`#${model}[data-digit]:not([data-digit=""])`, { timeout: 5000 });
    }
    await page.screenshot({ path });
  } finally {
    await browser.close();
    await Deno.remove(profile, { recursive: true });
  }
}
