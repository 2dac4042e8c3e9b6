import assert from "node:assert/strict";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import {
  decodeImage,
  detectImageFormat,
  orientImage,
  readExifOrientation,
  readImage,
} from "../../lib/digits/image_decode.ts";

/** A 3x2 RGB test card: every pixel a different colour. */
const CARD_RGB = new Uint8Array([
  ...[255, 0, 0, 0, 255, 0, 0, 0, 255],
  ...[0, 0, 0, 128, 128, 128, 255, 255, 255],
]);

/** CRC-32 of PNG chunks, to build chunks fast-png does not write. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Inserts a chunk right after IHDR (which ends at byte 33 of every PNG). */
function insertPngChunk(png: Uint8Array, type: string, payload: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + payload.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, payload.length);
  chunk.set(new TextEncoder().encode(type), 4);
  chunk.set(payload, 8);
  view.setUint32(8 + payload.length, crc32(chunk.subarray(4, 8 + payload.length)));
  return new Uint8Array([...png.subarray(0, 33), ...chunk, ...png.subarray(33)]);
}

/** Inserts an EXIF block holding only an orientation tag after a JPEG's SOI marker. */
function withExifOrientation(jpegBytes: Uint8Array, orientation: number): Uint8Array {
  const tiff = [
    ...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08], // big-endian, first directory at 8
    ...[0x00, 0x01], // one entry
    ...[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00],
    ...[0x00, 0x00, 0x00, 0x00], // no next directory
  ];
  const payload = [...new TextEncoder().encode("Exif\0\0"), ...tiff];
  const length = payload.length + 2;
  return new Uint8Array([
    0xff,
    0xd8,
    0xff,
    0xe1,
    length >> 8,
    length & 0xff,
    ...payload,
    ...jpegBytes.subarray(2),
  ]);
}

Deno.test("detectImageFormat knows PNG and JPEG by their magic numbers", () => {
  assert.equal(
    detectImageFormat(encodePng({ width: 1, height: 1, data: new Uint8Array(1), channels: 1 })),
    "png",
  );
  assert.equal(detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xdb])), "jpeg");
  assert.equal(detectImageFormat(new TextEncoder().encode("GIF89a")), null);
  assert.equal(detectImageFormat(new Uint8Array()), null);
});

Deno.test("decodeImage reads 8-bit gray, gray+alpha, RGB and RGBA PNGs exactly", () => {
  for (const channels of [1, 2, 3, 4] as const) {
    const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
    const image = decodeImage(encodePng({ width: 5, height: 3, data, channels, depth: 8 }));
    assert.deepEqual(
      { width: image.width, height: image.height, channels: image.channels, depth: image.depth },
      { width: 5, height: 3, channels, depth: 8 },
    );
    assert.deepEqual(Array.from(image.data), Array.from(data));
  }
});

Deno.test("decodeImage reads 16-bit PNGs as 16-bit samples", () => {
  const data = new Uint16Array([0, 1000, 65535, 40000]);
  const image = decodeImage(encodePng({ width: 2, height: 2, data, channels: 1, depth: 16 }));
  assert.equal(image.depth, 16);
  assert.deepEqual(Array.from(image.data), Array.from(data));
});

Deno.test("decodeImage spreads 1-bit gray PNGs over 0-255, rows padded to a byte", () => {
  // 3 pixels per row: 1 0 1 and 0 1 0, each row in its own byte.
  const packed = new Uint8Array([0b10100000, 0b01000000]);
  const image = decodeImage(
    encodePng({ width: 3, height: 2, data: packed, channels: 1, depth: 1 }),
  );
  assert.deepEqual(Array.from(image.data), [255, 0, 255, 0, 255, 0]);
});

Deno.test("decodeImage expands palette PNGs, with the palette's transparency", () => {
  const palette = [[255, 255, 255, 0], [10, 20, 30, 255]];
  const indices = new Uint8Array([0, 1, 1, 0]);
  const image = decodeImage(
    encodePng({ width: 2, height: 2, data: indices, channels: 1, depth: 8, palette }),
  );
  assert.equal(image.channels, 4);
  assert.deepEqual(Array.from(image.data), [
    ...palette[0],
    ...palette[1],
    ...palette[1],
    ...palette[0],
  ]);
});

Deno.test("decodeImage turns a gray PNG's colour key into an alpha channel", () => {
  const plain = encodePng({
    width: 3,
    height: 1,
    data: new Uint8Array([0, 200, 0]),
    channels: 1,
    depth: 8,
  });
  const keyed = insertPngChunk(plain, "tRNS", new Uint8Array([0, 200]));
  const image = decodeImage(keyed);
  assert.equal(image.channels, 2);
  assert.deepEqual(Array.from(image.data), [0, 255, 200, 0, 0, 255]);
});

Deno.test("decodeImage reads interlaced (Adam7) PNGs", () => {
  const data = Uint8Array.from({ length: 9 * 7 * 3 }, (_, i) => (i * 11) % 256);
  const png = encodePng({ width: 9, height: 7, data, channels: 3, depth: 8 }, {
    interlace: "Adam7",
  });
  assert.equal(png[28], 1, "the file is interlaced");
  assert.deepEqual(Array.from(decodeImage(png).data), Array.from(data));
});

Deno.test("decodeImage reads JPEG as RGB", () => {
  const rgba = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 256; i++) rgba.set(i < 128 ? [20, 20, 20, 255] : [240, 240, 240, 255], i * 4);
  const bytes = new Uint8Array(jpeg.encode({ width: 16, height: 16, data: rgba }, 95).data);
  const image = decodeImage(bytes);
  assert.deepEqual([image.width, image.height, image.channels], [16, 16, 3]);
  assert.ok(
    Math.abs(image.data[0] - 20) < 8 && Math.abs(image.data[image.data.length - 1] - 240) < 8,
  );
});

Deno.test("decodeImage turns a JPEG upright by its EXIF orientation", () => {
  // 8x16, dark top half and light bottom half: turned 90 degrees clockwise (6), dark is on the right.
  const rgba = new Uint8Array(8 * 16 * 4);
  for (let i = 0; i < 8 * 16; i++) rgba.set(i < 64 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
  const plain = new Uint8Array(jpeg.encode({ width: 8, height: 16, data: rgba }, 95).data);
  const image = decodeImage(withExifOrientation(plain, 6));
  assert.deepEqual([image.width, image.height], [16, 8]);
  assert.ok(image.data[0] > 200, "top left is light");
  assert.ok(image.data[(16 - 1) * 3] < 50, "top right is dark");
});

Deno.test("readExifOrientation reads the tag and falls back to upright", () => {
  const exif = withExifOrientation(new Uint8Array([0xff, 0xd8]), 8).subarray(11);
  assert.equal(readExifOrientation(exif), 8);
  assert.equal(readExifOrientation(new Uint8Array([0, 1, 2])), 1);
});

Deno.test("orientImage maps every EXIF orientation like the reference turns", () => {
  const image = { width: 3, height: 2, channels: 3 as const, data: CARD_RGB };
  const firstRed = (orientation: number) => {
    const turned = orientImage(image, orientation);
    const pixel = Array.from({ length: turned.width * turned.height }, (_, i) => i)
      .find((i) => turned.data[i * 3] === 255 && turned.data[i * 3 + 1] === 0);
    return [turned.width, turned.height, pixel];
  };
  // Where the red top-left pixel ends up for orientations 1 to 8.
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(firstRed), [
    [3, 2, 0],
    [3, 2, 2],
    [3, 2, 5],
    [3, 2, 3],
    [2, 3, 0],
    [2, 3, 1],
    [2, 3, 5],
    [2, 3, 4],
  ]);
  assert.throws(() => orientImage(image, 9), {
    name: "RangeError",
    message: "Cannot orient image: orientation is 9, expected 1 to 8",
  });
});

Deno.test("decodeImage names the file when the bytes are not an image", () => {
  assert.throws(() => decodeImage(new TextEncoder().encode("hello"), { name: "notes.txt" }), {
    name: "SyntaxError",
    message:
      "Cannot decode image 'notes.txt': it starts with bytes [68 65 6c 6c], expected a PNG (89 50 4e 47) or JPEG (ff d8 ff) file",
  });
  assert.throws(() => decodeImage(new Uint8Array()), {
    name: "SyntaxError",
    message:
      "Cannot decode image 'image': it starts with bytes [], expected a PNG (89 50 4e 47) or JPEG (ff d8 ff) file",
  });
});

Deno.test("decodeImage says so when a web page was saved under the image's name", () => {
  const page = new TextEncoder().encode("<!DOCTYPE html>\n<html><body><img src=x></body></html>");
  assert.throws(() => decodeImage(page, { name: "seven.png" }), {
    name: "SyntaxError",
    message:
      "Cannot decode image 'seven.png': it is an HTML page, expected a PNG or JPEG file; a web page was saved under the image's name, so save the image itself (right-click it, Save image as)",
  });
});

Deno.test("decodeImage reports damaged PNG and JPEG files as SyntaxError", () => {
  const png = encodePng({ width: 4, height: 4, data: new Uint8Array(48), channels: 3 });
  assert.throws(() => decodeImage(png.subarray(0, 40), { name: "cut.png" }), {
    name: "SyntaxError",
    message: /^Cannot decode PNG image 'cut\.png': the file is damaged or unsupported \(.+\)$/,
  });
  const jpg = new Uint8Array(
    jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256) }, 90).data,
  );
  assert.throws(() => decodeImage(jpg.subarray(0, 20), { name: "cut.jpg" }), {
    name: "SyntaxError",
    message: /^Cannot decode JPEG image 'cut\.jpg': the file is damaged or unsupported \(.+\)$/,
  });
});

Deno.test("decodeImage refuses images over the size limit before decoding them", () => {
  const png = encodePng({ width: 4, height: 4, data: new Uint8Array(16), channels: 1 });
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, 20000);
  view.setUint32(20, 10000);
  assert.throws(() => decodeImage(png, { name: "huge.png" }), {
    name: "RangeError",
    message:
      "Cannot decode image 'huge.png': it is 20000x10000 pixels, expected at most 100 megapixels",
  });
  const jpg = new Uint8Array(
    jpeg.encode({ width: 16, height: 16, data: new Uint8Array(1024) }, 90).data,
  );
  assert.throws(() => decodeImage(jpg, { name: "big.jpg", maxMegapixels: 0.0001 }), {
    name: "RangeError",
    message: "Cannot decode image 'big.jpg': it is larger than 0.0001 megapixels",
  });
});

Deno.test("readImage names the file when it cannot be read", async () => {
  const folder = await Deno.makeTempDir();
  try {
    await assert.rejects(readImage(join(folder, "missing.png")), {
      name: "NotFound",
      message: `Cannot read image '${join(folder, "missing.png")}': no such file`,
    });
    await assert.rejects(readImage(folder), {
      name: "IsADirectory",
      message: `Cannot read image '${folder}': it is a folder, expected a file`,
    });
    const path = join(folder, "card.png");
    await Deno.writeFile(path, encodePng({ width: 3, height: 2, data: CARD_RGB, channels: 3 }));
    assert.deepEqual(Array.from((await readImage(path)).data), Array.from(CARD_RGB));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
