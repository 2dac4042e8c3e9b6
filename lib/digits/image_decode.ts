/**
 * Decodes PNG and JPEG bytes into raster images, whatever their kind: 8 or
 * 16 bits, gray, gray with alpha, RGB, RGBA, palette, interlaced, and JPEG
 * photos turned by their EXIF orientation.
 *
 * @module
 */
import { convertIndexedToRgb, decode as decodePng, type DecodedPng } from "fast-png";
import jpeg from "jpeg-js";
import { looksLikeHtml } from "../data/mod.ts";
import type { RasterImage } from "./digit_preprocess.js";

export type { RasterImage };

/** The image formats {@link decodeImage} reads. */
export type ImageFormat = "png" | "jpeg";

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** What to call the image in error messages, usually its file name (default "image"). */
  name?: string;
  /** Largest image accepted, in megapixels, so that a hostile file cannot exhaust memory (default 100). */
  maxMegapixels?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/**
 * Tells the format of image bytes by their first bytes (magic number), or
 * null when they are neither PNG nor JPEG.
 *
 * @example
 * ```ts
 * detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])); // "jpeg"
 * ```
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  const startsWith = (signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  if (startsWith(PNG_SIGNATURE)) return "png";
  if (startsWith(JPEG_SIGNATURE)) return "jpeg";
  return null;
}

/**
 * Decodes PNG or JPEG bytes, chosen by their magic number. Throws a
 * SyntaxError naming the image when the bytes are not an image (saying so
 * when they are a web page saved under the image's name) or are damaged, and a RangeError when the image is larger than `maxMegapixels`.
 *
 * @example
 * ```ts
 * const image = decodeImage(await Deno.readFile("seven.png"), { name: "seven.png" });
 * image.channels; // 1, 2, 3 or 4
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): RasterImage {
  const settings = { name: options.name ?? "image", maxMegapixels: options.maxMegapixels ?? 100 };
  const format = detectImageFormat(bytes);
  if (format === null && looksLikeHtml(bytes)) {
    throw new SyntaxError(
      `Cannot decode image '${settings.name}': it is an HTML page, expected a PNG or JPEG file; a web page was saved under the image's name, so save the image itself (right-click it, Save image as)`,
    );
  }
  if (format === null) {
    const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0"));
    throw new SyntaxError(
      `Cannot decode image '${settings.name}': it starts with bytes [${
        start.join(" ")
      }], expected a PNG (89 50 4e 47) or JPEG (ff d8 ff) file`,
    );
  }
  if (format === "png") checkPngSize(bytes, settings);
  try {
    return format === "png" ? decodePngImage(bytes) : decodeJpegImage(bytes, settings);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (reason.startsWith("maxResolutionInMP limit exceeded")) {
      throw new RangeError(
        `Cannot decode image '${settings.name}': it is larger than ${settings.maxMegapixels} megapixels`,
      );
    }
    throw new SyntaxError(
      `Cannot decode ${format.toUpperCase()} image '${settings.name}': the file is damaged or unsupported (${reason})`,
      { cause: error },
    );
  }
}

/**
 * Reads an image file and decodes it with {@link decodeImage}. Every error
 * names the file: NotFound, IsADirectory and PermissionDenied when it cannot
 * be read, SyntaxError when it is not an image.
 *
 * @example
 * ```ts
 * const image = await readImage("digits/seven.jpg");
 * ```
 */
export async function readImage(
  path: string,
  options: Omit<DecodeImageOptions, "name"> = {},
): Promise<RasterImage> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw describeReadError(error, path);
  }
  return decodeImage(bytes, { ...options, name: path });
}

/** Rewords the usual file errors to name the file once, keeping their class. */
function describeReadError(error: unknown, path: string): unknown {
  const message = (reason: string) => `Cannot read image '${path}': ${reason}`;
  if (error instanceof Deno.errors.NotFound) {
    return new Deno.errors.NotFound(message("no such file"), { cause: error });
  }
  if (error instanceof Deno.errors.IsADirectory) {
    return new Deno.errors.IsADirectory(message("it is a folder, expected a file"), {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new Deno.errors.PermissionDenied(message("permission denied"), { cause: error });
  }
  return error;
}

/**
 * Refuses a PNG over the size limit before its pixels are allocated, from
 * the width and height at the start of its IHDR chunk, which PNG puts first.
 */
function checkPngSize(bytes: Uint8Array, options: Required<DecodeImageOptions>): void {
  if (bytes.length < 24) return;
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [width, height] = [header.getUint32(16), header.getUint32(20)];
  if (width * height > options.maxMegapixels * 1e6) {
    throw new RangeError(
      `Cannot decode image '${options.name}': it is ${width}x${height} pixels, expected at most ${options.maxMegapixels} megapixels`,
    );
  }
}

function decodePngImage(bytes: Uint8Array): RasterImage {
  const png = decodePng(bytes);
  if (png.palette !== undefined) {
    const channels = png.palette[0]?.length === 4 ? 4 : 3;
    const data = convertIndexedToRgb(png);
    return { width: png.width, height: png.height, channels, depth: 8, data };
  }
  if (png.depth >= 8) {
    const image = toRaster(png);
    return png.transparency?.length ? applyColourKey(image, png.transparency) : image;
  }
  const image = unpackLowDepth(png);
  // A low-depth key is in the packed scale; the samples were spread over 0-255.
  const key = png.transparency?.map((value) => (value * 255) / ((1 << png.depth) - 1));
  return key?.length ? applyColourKey(image, key) : image;
}

function toRaster(png: DecodedPng): RasterImage {
  if (png.channels < 1 || png.channels > 4) {
    throw new RangeError(`PNG has ${png.channels} channels, expected 1 to 4`);
  }
  return {
    width: png.width,
    height: png.height,
    channels: png.channels as RasterImage["channels"],
    depth: png.depth === 16 ? 16 : 8,
    data: png.data,
  };
}

/** Spreads 1, 2 or 4-bit gray samples (packed, rows padded to a byte) over 0-255. */
function unpackLowDepth(png: DecodedPng): RasterImage {
  const { width, height, depth } = png;
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = png.data[y * rowBytes + (bit >> 3)];
      const sample = (byte >> (8 - depth - (bit & 7))) & max;
      data[y * width + x] = Math.round((sample * 255) / max);
    }
  }
  return { width, height, channels: 1, depth: 8, data };
}

/**
 * Turns a PNG colour key (tRNS for gray or RGB images: one colour that means
 * transparent) into an alpha channel.
 */
function applyColourKey(
  image: RasterImage,
  key: ArrayLike<number>,
): RasterImage {
  const { width, height, channels, data } = image;
  const out = new (data instanceof Uint16Array ? Uint16Array : Uint8Array)(
    width * height * (channels + 1),
  );
  const opaque = image.depth === 16 ? 65535 : 255;
  for (let pixel = 0; pixel < width * height; pixel++) {
    let matches = true;
    for (let c = 0; c < channels; c++) {
      const value = data[pixel * channels + c];
      out[pixel * (channels + 1) + c] = value;
      matches &&= value === key[c];
    }
    out[pixel * (channels + 1) + channels] = matches ? 0 : opaque;
  }
  return {
    width,
    height,
    channels: (channels + 1) as RasterImage["channels"],
    depth: image.depth,
    data: out,
  };
}

function decodeJpegImage(bytes: Uint8Array, options: Required<DecodeImageOptions>): RasterImage {
  const decoded = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    maxResolutionInMP: options.maxMegapixels,
  }) as {
    width: number;
    height: number;
    data: Uint8Array;
    exifBuffer?: Uint8Array;
  };
  const image: RasterImage = {
    width: decoded.width,
    height: decoded.height,
    channels: 3,
    depth: 8,
    data: decoded.data,
  };
  const orientation = decoded.exifBuffer ? readExifOrientation(decoded.exifBuffer) : 1;
  return orientImage(image, orientation);
}

/**
 * Reads the orientation tag (0x0112) from a JPEG's EXIF block: phones store
 * photos as the sensor saw them and record here how to turn them upright.
 * Returns 1 (upright) when the block has no readable tag.
 *
 * @example
 * ```ts
 * readExifOrientation(exifBytes); // 6: turn 90 degrees clockwise to view
 * ```
 */
export function readExifOrientation(exif: Uint8Array): number {
  // jpeg-js leaves the "Exif\0" marker's padding byte in front of the TIFF header.
  const tiff = exif[0] === 0 ? 1 : 0;
  if (exif.length < tiff + 8) return 1;
  const view = new DataView(
    exif.buffer,
    exif.byteOffset + tiff,
    exif.byteLength - tiff,
  );
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  const directory = view.getUint32(4, little);
  if (directory + 2 > view.byteLength) return 1;
  const entries = view.getUint16(directory, little);
  for (let i = 0; i < entries; i++) {
    const entry = directory + 2 + i * 12;
    if (entry + 12 > view.byteLength) return 1;
    if (view.getUint16(entry, little) === 0x0112) {
      const value = view.getUint16(entry + 8, little);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Turns and mirrors an image as its EXIF orientation (1 to 8) says, so that
 * the result is upright.
 *
 * @example
 * ```ts
 * const upright = orientImage(photo, 6); // width and height swap
 * ```
 */
export function orientImage(
  image: RasterImage,
  orientation: number,
): RasterImage {
  if (orientation === 1) return image;
  const { width, height, channels, data } = image;
  const swaps = orientation >= 5;
  const outWidth = swaps ? height : width;
  const outHeight = swaps ? width : height;
  const source = SOURCE_OF[orientation];
  if (source === undefined) {
    throw new RangeError(
      `Cannot orient image: orientation is ${orientation}, expected 1 to 8`,
    );
  }
  const out = new (data.constructor as Uint8ArrayConstructor)(data.length);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const [sx, sy] = source(x, y, width, height);
      const from = (sy * width + sx) * channels;
      out.set(
        data.subarray(from, from + channels),
        (y * outWidth + x) * channels,
      );
    }
  }
  return { ...image, width: outWidth, height: outHeight, data: out };
}

/** For each EXIF orientation, where an upright pixel (x, y) comes from in the stored image. */
const SOURCE_OF: Record<
  number,
  (x: number, y: number, w: number, h: number) => [number, number]
> = {
  2: (x, y, w) => [w - 1 - x, y],
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  4: (x, y, _w, h) => [x, h - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _w, h) => [y, h - 1 - x],
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x],
  8: (x, y, w) => [w - 1 - y, x],
};
