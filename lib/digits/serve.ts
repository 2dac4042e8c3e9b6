/**
 * The draw-a-digit page's web server: the page itself, the preprocessing
 * module the command line uses (the same file, not a copy), the report from
 * the `--out` folder, and the models' predictions. The page preprocesses
 * in the browser and sends the 28x28 input here; the models run on the
 * server through the model interface, so every kind of saved model works.
 * Nothing is fetched from the internet, so the page works offline.
 *
 * @module
 */
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";
import { IMAGE_PIXELS } from "../config.ts";
import { type DigitModel, loadModel, type ModelRegistry } from "../models/mod.ts";

/** Options of {@link createPageHandler}. */
export interface PageHandlerOptions {
  /** The training output folder, holding `report.html`. */
  out: string;
  /** The models whose predictions the page shows, in order. */
  models: readonly DigitModel[];
}

/** Options of {@link serveDigitPage}. */
export interface ServeDigitPageOptions extends PageHandlerOptions {
  /** Address to listen on (default "127.0.0.1": this machine only). */
  hostname?: string;
  /** Port to listen on; 0 picks a free one (default 8000). */
  port?: number;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Told the address once the server listens. */
  onListen?: (address: { hostname: string; port: number }) => void;
}

/** The fixed files of the page, by the URL path the page asks for. */
const PAGE_FILES: Readonly<Record<string, URL>> = {
  "/": new URL("./web/index.html", import.meta.url),
  // The page's script sits at the same place relative to the preprocessing
  // module as on disk, so its import "../digit_preprocess.js" works in both.
  "/web/app.js": new URL("./web/app.js", import.meta.url),
  "/digit_preprocess.js": new URL("./digit_preprocess.js", import.meta.url),
  "/number_segment.js": new URL("./number_segment.js", import.meta.url),
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".css": "text/css; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
};

/** Where under `out` a `/out/...` URL path points, or null if it would leave `out`. */
function resolveOutPath(out: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice("/out/".length));
  } catch {
    return null;
  }
  const parts = relative.split("/");
  if (parts.some((part) => part === ".." || part.includes("\\") || part.includes("\0"))) {
    return null;
  }
  const path = normalize(join(out, ...parts));
  return path.startsWith(normalize(out + sep)) ? path : null;
}

/** A file's bytes as a response, or 404 when it is not a readable file. */
async function respondWithFile(path: string, method: string): Promise<Response> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return notFound();
    const headers = {
      "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
      "content-length": String(info.size),
      // Retraining rewrites the models and report in place; never serve stale ones.
      "cache-control": "no-cache",
    };
    if (method === "HEAD") return new Response(null, { headers });
    return new Response(await Deno.readFile(path), { headers });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return notFound();
    throw error;
  }
}

function notFound(): Response {
  return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
}

/** A JSON response. */
function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-cache" },
  });
}

/** Most 28x28 inputs one request may send: a long number, not a data set. */
export const MAX_PAGE_IMAGES = 32;

/**
 * The models' probabilities for 1 to {@link MAX_PAGE_IMAGES} 28x28 inputs
 * (a digit, or the digits of a number), sent as 784 little-endian float32
 * values each; each model's `probabilities` holds 10 values per input, one
 * input after another.
 */
async function predictResponse(request: Request, models: readonly DigitModel[]): Promise<Response> {
  const body = await request.arrayBuffer();
  const imageBytes = IMAGE_PIXELS * 4;
  const count = body.byteLength / imageBytes;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PAGE_IMAGES) {
    return json({
      error:
        `Cannot predict: the body has ${body.byteLength} bytes, expected 1 to ${MAX_PAGE_IMAGES} images of ${IMAGE_PIXELS} float32 pixels (${imageBytes} bytes each)`,
    }, 400);
  }
  const pixels = new Float32Array(body);
  const bad = pixels.findIndex((value) => !(value >= 0 && value <= 1));
  if (bad !== -1) {
    return json({
      error: `Cannot predict: pixel ${bad} is ${pixels[bad]}, expected a value from 0 to 1`,
    }, 400);
  }
  const predictions = [];
  for (const model of models) {
    predictions.push({
      id: model.id,
      probabilities: Array.from(await model.predict(pixels, count)),
    });
  }
  return json(predictions);
}

/**
 * Makes the request handler of the page: `/` the page, `/web/app.js`,
 * `/digit_preprocess.js` and `/number_segment.js` its code, `/models` the
 * models it shows (id, label, parameters), `POST /predict` their
 * probabilities for 1 to {@link MAX_PAGE_IMAGES} inputs (10 an input; 784
 * float32 pixels in [0, 1] each, anything else, a NaN among them, answered
 * 400 with the reason), and
 * `/out/...` the files of the `out` folder (the report).
 *
 * @example
 * ```ts
 * const handle = createPageHandler({ out: "out", models: [cnn] });
 * (await handle(new Request("http://localhost/"))).status; // 200
 * ```
 */
export function createPageHandler(
  options: PageHandlerOptions,
): (request: Request) => Promise<Response> {
  const out = normalize(options.out);
  return async (request) => {
    const urlPath = new URL(request.url).pathname;
    if (request.method === "POST" && urlPath === "/predict") {
      return await predictResponse(request, options.models);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD" },
      });
    }
    if (urlPath === "/models") {
      return json(options.models.map(({ id, label, params }) => ({ id, label, params })));
    }
    const pageFile = PAGE_FILES[urlPath];
    if (pageFile !== undefined) return respondWithFile(fromFileUrl(pageFile), request.method);
    const outPath = urlPath.startsWith("/out/") ? resolveOutPath(out, urlPath) : null;
    return outPath === null ? notFound() : await respondWithFile(outPath, request.method);
  };
}

/** Options of {@link loadPageModels}. */
export interface LoadPageModelsOptions {
  /** The training output folder; without `models`, every folder in its `models/` is loaded. */
  out: string;
  /** Model folders (or their `model.json`) to show instead. */
  models?: readonly string[];
  /** Where the models' labels come from. */
  registry?: ModelRegistry;
}

/** The model folders under `<out>/models/`, in name order; none when it is missing. */
async function listModelFolders(out: string): Promise<string[]> {
  const folder = join(out, "models");
  try {
    const names: string[] = [];
    for await (const entry of Deno.readDir(folder)) if (entry.isDirectory) names.push(entry.name);
    return names.sort().map((name) => join(folder, name));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

/**
 * Loads the models the page shows: those named, or every model `deno task
 * train` saved in `<out>/models/`. A named model that cannot be loaded is an
 * error; a saved one is skipped, and its error returned.
 *
 * @throws the loading error of a named model (NotFound, TypeError, SyntaxError).
 *
 * @example
 * ```ts
 * const { models, skipped } = await loadPageModels({ out: "out" });
 * ```
 */
export async function loadPageModels(
  options: LoadPageModelsOptions,
): Promise<{ models: DigitModel[]; skipped: Error[] }> {
  const models: DigitModel[] = [];
  const skipped: Error[] = [];
  if (options.models !== undefined) {
    for (const path of options.models) models.push(await loadModel(path, options));
    return { models, skipped };
  }
  for (const folder of await listModelFolders(options.out)) {
    try {
      models.push(await loadModel(folder, options));
    } catch (error) {
      skipped.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return { models, skipped };
}

/**
 * Checks that the page's files are where the server serves them from, so
 * that a damaged checkout is reported at start and not as a blank page.
 *
 * @example
 * ```ts
 * await checkPageFiles();
 * ```
 */
export async function checkPageFiles(): Promise<void> {
  for (const file of Object.values(PAGE_FILES)) {
    try {
      await Deno.stat(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Deno.errors.NotFound(
        `Cannot serve the page: ${fromFileUrl(file)} is missing, expected it in the checkout`,
      );
    }
  }
}

/**
 * Serves the draw-a-digit page with the given models, on 127.0.0.1:8000
 * unless told otherwise. The tfjs backend must be set up first.
 *
 * @example
 * ```ts
 * const { models } = await loadPageModels({ out: "out" });
 * const server = await serveDigitPage({ out: "out", models, port: 8000 });
 * await server.finished;
 * ```
 */
export async function serveDigitPage(options: ServeDigitPageOptions): Promise<Deno.HttpServer> {
  await checkPageFiles();
  return Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 8000,
    signal: options.signal,
    onListen: options.onListen ?? (() => {}),
  }, createPageHandler(options));
}
