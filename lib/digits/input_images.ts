/**
 * Saves the 28x28 image each picture became, as the model read it, so that
 * a user can see what went wrong when a digit is misread: a ruled line kept,
 * a stroke lost, the digit cut off.
 *
 * @module
 */
import { basename, extname, join } from "node:path";
import { encodeDigitPng } from "../charts/mod.ts";

/** One picture's file and the 784 values in [0, 1] it became. */
export interface InputImage {
  /** The picture's path as given. */
  file: string;
  /** What the model read: 784 values in [0, 1], row-major 28x28, white digit on black. */
  input: Float32Array;
}

/**
 * The PNG name for each file: its base name with `.png` for its extension;
 * a name already taken by an earlier file gets `_2`, `_3`, ... before
 * `.png`, so that `a/seven.jpg` and `b/seven.png` become `seven.png` and
 * `seven_2.png`.
 *
 * @example
 * ```ts
 * inputImageNames(["a/seven.jpg", "b/seven.png", "two.jpeg"]);
 * // ["seven.png", "seven_2.png", "two.png"]
 * ```
 */
export function inputImageNames(files: readonly string[]): string[] {
  const taken = new Set<string>();
  return files.map((file) => {
    const stem = basename(file, extname(file)) || "image";
    let name = `${stem}.png`;
    for (let n = 2; taken.has(name); n++) name = `${stem}_${n}.png`;
    taken.add(name);
    return name;
  });
}

/**
 * Writes each input as a 28x28 8-bit grey PNG (white digit on black, as
 * MNIST and the model have it) into `folder`, made if missing, named by
 * {@link inputImageNames}; a file already there of that name is replaced.
 * Returns the paths written, in order.
 *
 * @throws {TypeError} when an input is not a Float32Array of 784 values.
 * @throws {RangeError} when a value is outside [0, 1].
 * @throws {Deno.errors.NotADirectory} when `folder` is a file; the file
 * system's other errors (permission) as they come.
 *
 * @example
 * ```ts
 * await writeInputImages("inputs", [{ file: "photos/seven.jpg", input }]); // ["inputs/seven.png"]
 * ```
 */
export async function writeInputImages(
  folder: string,
  images: readonly InputImage[],
): Promise<string[]> {
  try {
    await Deno.mkdir(folder, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    throw new Deno.errors.NotADirectory(
      `Cannot save input images in ${folder}: it is a file, expected a folder`,
      { cause: error },
    );
  }
  const names = inputImageNames(images.map((image) => image.file));
  const paths = names.map((name) => join(folder, name));
  for (const [i, image] of images.entries()) {
    await Deno.writeFile(paths[i], encodeDigitPng(image.input, { invert: false }));
  }
  return paths;
}
