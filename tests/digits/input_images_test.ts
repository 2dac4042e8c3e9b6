import assert from "node:assert/strict";
import { join } from "node:path";
import { decode as decodePng } from "fast-png";
import { inputImageNames, writeInputImages } from "../../lib/digits/input_images.ts";

Deno.test("inputImageNames names each PNG after its file, numbering clashes in order", () => {
  assert.deepEqual(
    inputImageNames(["a/seven.jpg", "b/seven.png", "two.jpeg", "c/seven", "seven_2.png"]),
    ["seven.png", "seven_2.png", "two.png", "seven_3.png", "seven_2_2.png"],
  );
});

Deno.test("writeInputImages writes 28x28 grey PNGs of the inputs, white on black", async () => {
  const folder = await Deno.makeTempDir({ prefix: "input_images_" });
  try {
    const input = Float32Array.from({ length: 784 }, (_, i) => (i % 29) / 28);
    const out = join(folder, "inputs");
    const paths = await writeInputImages(out, [
      { file: "x/seven.jpg", input },
      { file: "y/seven.jpg", input: new Float32Array(784) },
    ]);
    assert.deepEqual(paths, [join(out, "seven.png"), join(out, "seven_2.png")]);
    const png = decodePng(await Deno.readFile(paths[0]));
    assert.deepEqual([png.width, png.height, png.channels, png.depth], [28, 28, 1, 8]);
    assert.deepEqual(png.data, Uint8Array.from(input, (value) => Math.round(value * 255)));
    const file = join(folder, "a_file");
    await Deno.writeTextFile(file, "");
    await assert.rejects(writeInputImages(file, [{ file: "seven.jpg", input }]), {
      name: "NotADirectory",
      message: `Cannot save input images in ${file}: it is a file, expected a folder`,
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
