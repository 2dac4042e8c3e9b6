/**
 * The draw-a-digit page's web server: the page itself, the preprocessing
 * module the command line uses (the same file, not a copy), tfjs from
 * node_modules, and the trained models and report from the `--out` folder.
 * Nothing is fetched from the internet, so the page works offline.
 *
 * @module
 */
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** Options of {@link createPageHandler}. */
export interface PageHandlerOptions {
  /** The training output folder, holding `models/mlp`, `models/cnn` and `report.html`. */
  out: string;
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

const TFJS_DIST = "../../node_modules/@tensorflow/tfjs/dist/";

/** The fixed files of the page, by the URL path the page asks for. */
const PAGE_FILES: Readonly<Record<string, URL>> = {
  "/": new URL("./web/index.html", import.meta.url),
  // The page's script sits at the same place relative to the preprocessing
  // module as on disk, so its import "../digit_preprocess.js" works in both.
  "/web/app.js": new URL("./web/app.js", import.meta.url),
  "/digit_preprocess.js": new URL("./digit_preprocess.js", import.meta.url),
  "/vendor/tf.fesm.min.js": new URL(`${TFJS_DIST}tf.fesm.min.js`, import.meta.url),
  "/vendor/tf.fesm.min.js.map": new URL(`${TFJS_DIST}tf.fesm.min.js.map`, import.meta.url),
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

/**
 * Makes the request handler of the page: `/` the page, `/web/app.js` and
 * `/digit_preprocess.js` its code, `/vendor/tf.fesm.min.js` tfjs, and
 * `/out/...` the files of the `out` folder (models, report).
 *
 * @example
 * ```ts
 * const handle = createPageHandler({ out: "out" });
 * (await handle(new Request("http://localhost/"))).status; // 200
 * ```
 */
export function createPageHandler(
  options: PageHandlerOptions,
): (request: Request) => Promise<Response> {
  const out = normalize(options.out);
  return (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return Promise.resolve(
        new Response("Method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } }),
      );
    }
    const urlPath = new URL(request.url).pathname;
    const pageFile = PAGE_FILES[urlPath];
    if (pageFile !== undefined) return respondWithFile(fromFileUrl(pageFile), request.method);
    const outPath = urlPath.startsWith("/out/") ? resolveOutPath(out, urlPath) : null;
    return outPath === null
      ? Promise.resolve(notFound())
      : respondWithFile(outPath, request.method);
  };
}

/**
 * Checks that tfjs is in node_modules, where the page loads it from, so
 * that a missing install is reported at start and not as a blank page.
 *
 * @example
 * ```ts
 * await checkPageFiles();
 * ```
 */
export async function checkPageFiles(): Promise<void> {
  for (const [urlPath, file] of Object.entries(PAGE_FILES)) {
    if (urlPath.endsWith(".map")) continue;
    try {
      await Deno.stat(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Deno.errors.NotFound(
        `Cannot serve the page: ${
          fromFileUrl(file)
        } is missing, expected it after \`deno install\``,
      );
    }
  }
}

/**
 * Serves the draw-a-digit page, on 127.0.0.1:8000 unless told otherwise.
 *
 * @example
 * ```ts
 * const server = await serveDigitPage({ out: "out", port: 8000 });
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
