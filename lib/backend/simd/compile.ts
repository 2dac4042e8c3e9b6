/**
 * Compiles WebAssembly text with the features the kernels use, for build.ts
 * and for the test that the embedded binaries match their sources.
 *
 * @module
 */
import wabtInit from "wabt";

/**
 * SIMD, relaxed SIMD (gemm's fused multiply-add), bulk memory (memory.fill) and threads: every
 * module imports the tfjs heap, a shared memory (see ../shared_heap.ts).
 */
export const WAT_FEATURES = {
  simd: true,
  threads: true,
  relaxed_simd: true,
  bulk_memory: true,
} as const;

/**
 * The binary of a WebAssembly text module.
 *
 * @throws {Error} when wabt cannot parse or validate the text.
 * @example
 * ```ts
 * const bytes = await compileWat("kernels.wat", await Deno.readTextFile("kernels.wat"));
 * ```
 */
export async function compileWat(name: string, text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(name, text, WAT_FEATURES);
  try {
    // wabt's validate takes the features too, though its types omit them.
    (module as unknown as { validate(features: object): void }).validate(WAT_FEATURES);
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
