/**
 * Gzip decompression with the platform's `DecompressionStream`.
 *
 * @module
 */

/** The two bytes every gzip stream starts with. */
export const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Options naming where bytes came from, for error messages. */
export interface GunzipOptions {
  /** File name or other description of the bytes' origin. */
  source?: string;
}

/**
 * Tells whether bytes start like a gzip stream.
 *
 * @example
 * ```ts
 * isGzip(new Uint8Array([0x1f, 0x8b, 8])); // true
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Decompresses gzip bytes; a corrupt or truncated stream is a SyntaxError
 * that names the source.
 *
 * @example
 * ```ts
 * const raw = await gunzip(await Deno.readFile("t10k-labels-idx1-ubyte.gz"));
 * ```
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const source = options.source ?? "bytes";
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    );
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SyntaxError(`Cannot decompress ${source}: corrupt gzip data (${reason})`);
  }
}
