// @ts-check
/// <reference no-default-lib="true" />
/// <reference lib="dom" />
/// <reference lib="esnext" />
/**
 * The draw-a-digit page: a drawing pad (or a picture: chosen, dropped or
 * taken with the phone's camera), the 28x28 input the models see, and each
 * model's probabilities as bar charts, updated as you draw. In number mode
 * the pad is wide, and several digits written in a row (drawn or in a
 * picture) are cut apart and read one by one: each model's number, and
 * each digit's 28x28 and probabilities.
 *
 * It preprocesses with `digit_preprocess.js` and `number_segment.js`, the
 * modules `deno task predict` uses, so the page and the command line give
 * the models the same input; the server runs the models (`POST /predict`)
 * and lists them (`/models`). The bars are plain HTML rather than
 * Vega-Lite: they are redrawn on every animation frame while you draw, and
 * need nothing but a width.
 *
 * @module
 */
import { BlankImageError, MNIST_SIZE, preprocessDigit } from "../digit_preprocess.js";
import { segmentNumber } from "../number_segment.js";

/** @typedef {import("../digit_preprocess.js").RasterImage} RasterImage */
/** @typedef {{ id: string, label: string, params: number }} PageModel */
/** @typedef {{ id: string, probabilities: number[] }} ModelPrediction */
/**
 * A picture to read: the pad's drawing or a photo, its name, and what to do
 * when it has no ink.
 *
 * @typedef {{ image: RasterImage, name: string, onBlank: (error: Error) => void }} PictureSource
 */

/** Pen width on the 280-pixel pad: once the digit is scaled to 20 pixels it is about as thick as MNIST's strokes. */
const PEN_WIDTH = 20;

/** The page's heading in each mode. */
const HEADINGS = { digit: "Draw a digit", number: "Write a number" };

/** The pad's size in each mode, in pixels: one digit, or several in a row. */
const PAD_SIZES = { digit: { width: 280, height: 280 }, number: { width: 700, height: 280 } };

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function element(id) {
  const found = document.getElementById(id);
  if (found === null) throw new TypeError(`Cannot start the page: no element #${id}`);
  return found;
}

/**
 * Fills a model's chart with ten empty bars, one per digit.
 *
 * @param {HTMLElement} section
 */
function createBars(section) {
  const list = /** @type {HTMLElement} */ (section.querySelector(".bars"));
  list.replaceChildren();
  for (let digit = 0; digit < 10; digit++) {
    const item = document.createElement("li");
    item.dataset.digit = String(digit);
    item.innerHTML =
      `<span class="label">${digit}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
    list.append(item);
  }
}

/**
 * Shows ten probabilities as bars and the most probable digit above them.
 *
 * @param {HTMLElement} section
 * @param {ArrayLike<number> | null} probabilities null clears the chart
 */
function showProbabilities(section, probabilities) {
  const values = probabilities === null ? null : Array.from(probabilities);
  const best = values === null ? -1 : values.indexOf(Math.max(...values));
  section.querySelectorAll(".bars li").forEach((item, digit) => {
    const share = values === null ? 0 : values[digit];
    const fill = /** @type {HTMLElement} */ (item.querySelector(".fill"));
    fill.style.width = `${(share * 100).toFixed(1)}%`;
    /** @type {HTMLElement} */ (item.querySelector(".value")).textContent = values === null
      ? ""
      : `${(share * 100).toFixed(1)}%`;
    item.classList.toggle("top", digit === best);
  });
  const verdict = /** @type {HTMLElement} */ (section.querySelector(".verdict"));
  verdict.innerHTML = values === null
    ? ""
    : `<span class="digit">${best}</span> with ${(values[best] * 100).toFixed(1)}%`;
  section.dataset.digit = values === null ? "" : String(best);
}

/**
 * Draws the 784 model inputs, in [0, 1], on the small 28x28 canvas.
 *
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array | null} pixels null clears it
 */
function showInput(canvas, pixels) {
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const image = context.createImageData(MNIST_SIZE, MNIST_SIZE);
  for (let i = 0; i < MNIST_SIZE * MNIST_SIZE; i++) {
    const level = pixels === null ? 0 : Math.round(pixels[i] * 255);
    image.data.set([level, level, level, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

/**
 * Adds a section with empty bars for each model the server shows, or says
 * that there is none yet.
 *
 * @param {PageModel[]} models
 * @returns {HTMLElement[]} the sections, in the models' order
 */
function createSections(models) {
  const template = element("no-models");
  template.hidden = models.length > 0;
  return models.map((model) => {
    const section = document.createElement("section");
    section.className = "model";
    section.id = model.id;
    section.innerHTML =
      `<h2></h2><p class="verdict"></p><ol class="bars"></ol><p class="status"></p>`;
    /** @type {HTMLElement} */ (section.querySelector("h2")).textContent = model.label;
    /** @type {HTMLElement} */ (section.querySelector(".status")).textContent = `${
      model.params.toLocaleString("en")
    } weights.`;
    createBars(section);
    section.dataset.state = "ready";
    template.before(section);
    return section;
  });
}

/**
 * Asks the server for every model's probabilities of preprocessed images.
 *
 * @param {Float32Array} pixels 784 values in [0, 1] an image, one image after another
 * @returns {Promise<ModelPrediction[]>} 10 probabilities an image, per model
 */
async function predict(pixels) {
  const body = /** @type {ArrayBuffer} */ (pixels.slice().buffer);
  const response = await fetch("/predict", { method: "POST", body });
  if (!response.ok) throw new Error(`Cannot predict: the server answered ${response.status}`);
  return await response.json();
}

/**
 * Sets the pad's pen: round, black, {@link PEN_WIDTH} wide.
 *
 * @param {CanvasRenderingContext2D} context
 */
function setPen(context) {
  Object.assign(context, {
    lineWidth: PEN_WIDTH,
    lineCap: "round",
    lineJoin: "round",
    strokeStyle: "black",
  });
}

/**
 * Makes the pad drawable with any pointer (mouse, pen, touch), calls
 * `onStart` as a stroke begins and `onDraw` after every change.
 *
 * @param {HTMLCanvasElement} pad
 * @param {() => void} onDraw
 * @param {() => void} onStart
 */
function setUpPad(pad, onDraw, onStart) {
  const context =
    /** @type {CanvasRenderingContext2D} */ (pad.getContext("2d", { willReadFrequently: true }));
  setPen(context);
  /** @param {PointerEvent} event */
  const pointAt = (event) => {
    const box = pad.getBoundingClientRect();
    return [
      (event.clientX - box.left) * pad.width / box.width,
      (event.clientY - box.top) * pad.height / box.height,
    ];
  };
  let drawing = false;
  pad.addEventListener("pointerdown", (event) => {
    onStart();
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    const [x, y] = pointAt(event);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x, y);
    context.stroke();
    onDraw();
  });
  pad.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const [x, y] = pointAt(event);
    context.lineTo(x, y);
    context.stroke();
    onDraw();
  });
  const stop = () => drawing = false;
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  return context;
}

/** Hides the report link when no training run has written a report yet. */
async function checkReport() {
  const response = await fetch("/out/report.html", { method: "HEAD" });
  element("report-link").hidden = !response.ok;
  element("report-missing").hidden = response.ok;
}

/**
 * What the page reads: the pad, or a picture brought to it, in one mode.
 *
 * @typedef {object} PageState
 * @property {"digit" | "number"} mode One digit, or a number written in a row.
 * @property {{ image: RasterImage, name: string } | null} photo The picture, or null for the pad.
 */

/**
 * The parts of the page that show what the models read.
 *
 * @typedef {object} PageView
 * @property {HTMLCanvasElement} input The 28x28 input of one digit.
 * @property {HTMLElement[]} sections One per model, in the models' order.
 * @property {PageModel[]} models
 * @property {HTMLElement} digits Number mode: one card per digit.
 */

async function main() {
  const pad = /** @type {HTMLCanvasElement} */ (element("pad"));
  /** @type {PageModel[]} */
  const models = await (await fetch("/models")).json();
  /** @type {PageView} */
  const view = {
    input: /** @type {HTMLCanvasElement} */ (element("input")),
    sections: createSections(models),
    models,
    digits: element("number-digits"),
  };
  /** @type {PageState} */
  const state = { mode: "digit", photo: null };
  let pending = false;
  // Each change gets a number, so that a late answer never paints over a newer one.
  let latest = 0;
  const update = async () => {
    pending = false;
    const request = ++latest;
    const image = state.photo?.image ?? readPad(pad);
    const name = state.photo?.name ?? "drawing";
    // An empty pad is one not drawn on yet; a picture without ink is a mistake to report.
    /** @param {Error} error */
    const onBlank = (error) => {
      if (state.photo !== null) showPhotoStatus(`Cannot read ${name}: ${error.message}`, true);
    };
    document.body.dataset.predicting = "true";
    const shown = state.mode === "number"
      ? await showNumber(view, { image, name, onBlank }, () => request === latest)
      : await showDigit(view, { image, name, onBlank }, () => request === latest);
    if (shown) document.body.dataset.predicting = "false";
  };
  const refresh = () => void update().catch(showError);
  const context = setUpPad(pad, () => {
    if (!pending) requestAnimationFrame(refresh);
    pending = true;
  }, () => {
    // Drawing on a picture starts a new drawing.
    if (state.photo !== null) clearPad(pad, context, state);
  });
  const clear = () => {
    clearPad(pad, context, state);
    refresh();
  };
  element("clear").addEventListener("click", clear);
  setUpModes(pad, state, clear);
  setUpPhotos(pad, state, refresh);
  clear();
  document.body.dataset.ready = "true";
  await checkReport();
}

/**
 * Empties the pad and forgets any picture.
 *
 * @param {HTMLCanvasElement} pad
 * @param {CanvasRenderingContext2D} context
 * @param {PageState} state
 */
function clearPad(pad, context, state) {
  state.photo = null;
  element("photo-status").textContent = "";
  context.fillStyle = "white";
  context.fillRect(0, 0, pad.width, pad.height);
}

/**
 * Switches between one digit and a number: the pad's size, which views show.
 *
 * @param {HTMLCanvasElement} pad
 * @param {PageState} state
 * @param {() => void} clear
 */
function setUpModes(pad, state, clear) {
  for (const radio of document.querySelectorAll('input[name="mode"]')) {
    radio.addEventListener("change", () => {
      const mode = /** @type {HTMLInputElement} */ (radio).value === "number" ? "number" : "digit";
      state.mode = mode;
      document.body.dataset.mode = mode;
      // Resizing a canvas resets its drawing state, so the pen is set again.
      Object.assign(pad, PAD_SIZES[mode]);
      setPen(/** @type {CanvasRenderingContext2D} */ (pad.getContext("2d")));
      element("number-view").hidden = mode !== "number";
      element("heading").textContent = HEADINGS[mode];
      document.title = `${HEADINGS[mode]} · MNIST models`;
      /** @type {HTMLElement} */ (document.querySelector(".seen")).hidden = mode === "number";
      clear();
    });
  }
}

/**
 * Takes pictures from the file chooser (and so the phone's camera) and from
 * drops on the drop zone; each is decoded, shown on the pad and read.
 *
 * @param {HTMLCanvasElement} pad
 * @param {PageState} state
 * @param {() => void} refresh
 */
function setUpPhotos(pad, state, refresh) {
  const chooser = /** @type {HTMLInputElement} */ (element("photo"));
  const zone = element("drop-zone");
  /** @param {File | undefined} file */
  const open = async (file) => {
    if (file === undefined) return;
    try {
      const { image, bitmap } = await decodePicture(file);
      drawPreview(pad, bitmap);
      bitmap.close();
      state.photo = { image, name: file.name };
      showPhotoStatus(`${file.name}, ${image.width}x${image.height}`, false);
      refresh();
    } catch (error) {
      showPhotoStatus(
        `Cannot read ${file.name}: ${error instanceof Error ? error.message : error}`,
        true,
      );
    }
  };
  chooser.addEventListener("change", () => {
    const file = chooser.files?.[0];
    // Emptied, so that choosing the same file again is a change too.
    chooser.value = "";
    void open(file).catch(showError);
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    void open(event.dataTransfer?.files[0]).catch(showError);
  });
}

/**
 * Says what became of the picture, beside the file chooser.
 *
 * @param {string} text
 * @param {boolean} isError
 */
function showPhotoStatus(text, isError) {
  const status = element("photo-status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

/**
 * Decodes a picture file with the browser's own decoders (PNG, JPEG, and
 * whatever else it reads), at full size, without colour management, so
 * that the pixels are the file's as the command line decodes them.
 *
 * @param {Blob} file
 * @returns {Promise<{ image: RasterImage, bitmap: ImageBitmap }>}
 */
async function decodePicture(file) {
  const bitmap = await createImageBitmap(file, {
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
    imageOrientation: "from-image",
  });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext("2d"));
  context.drawImage(bitmap, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { image: { width, height, channels: 4, data }, bitmap };
}

/**
 * Shows a picture on the pad, scaled to fit on white.
 *
 * @param {HTMLCanvasElement} pad
 * @param {ImageBitmap} bitmap
 */
function drawPreview(pad, bitmap) {
  const context = /** @type {CanvasRenderingContext2D} */ (pad.getContext("2d"));
  const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
  const [width, height] = [bitmap.width * scale, bitmap.height * scale];
  context.fillStyle = "white";
  context.fillRect(0, 0, pad.width, pad.height);
  context.drawImage(bitmap, (pad.width - width) / 2, (pad.height - height) / 2, width, height);
}

/**
 * One digit: its 28x28 input and every model's probabilities.
 *
 * @param {PageView} view
 * @param {PictureSource} source
 * @param {() => boolean} current Whether this is still the latest change.
 * @returns {Promise<boolean>} whether it was shown (false when a newer change came first)
 */
async function showDigit(view, source, current) {
  const pixels = readDigit(source);
  showInput(view.input, pixels);
  view.sections.forEach((section) => delete section.dataset.number);
  if (pixels === null || view.sections.length === 0) {
    view.sections.forEach((section) => showProbabilities(section, null));
    return true;
  }
  const predictions = await predict(pixels);
  if (!current()) return false;
  predictions.forEach((prediction, i) =>
    showProbabilities(view.sections[i], prediction.probabilities)
  );
  return true;
}

/**
 * A number: each model's reading of it, and a card per digit with its
 * 28x28 input and every model's probabilities.
 *
 * @param {PageView} view
 * @param {PictureSource} source
 * @param {() => boolean} current Whether this is still the latest change.
 * @returns {Promise<boolean>} whether it was shown (false when a newer change came first)
 */
async function showNumber(view, source, current) {
  const digits = readNumber(source);
  const pixels = new Float32Array(digits.length * MNIST_SIZE * MNIST_SIZE);
  digits.forEach((digit, i) => pixels.set(digit, i * MNIST_SIZE * MNIST_SIZE));
  const predictions = digits.length > 0 && view.sections.length > 0 ? await predict(pixels) : [];
  if (!current()) return false;
  const cards = createDigitCards(view, digits);
  view.sections.forEach((section, i) => {
    showProbabilities(section, null);
    const all = predictions[i]?.probabilities ?? [];
    const read = digits.map((_, k) => {
      const probabilities = all.slice(k * 10, (k + 1) * 10);
      const part = /** @type {HTMLElement} */ (cards[k].querySelectorAll(".digit-model")[i]);
      showProbabilities(part, probabilities);
      return part.dataset.digit;
    });
    section.dataset.number = read.join("");
    const number = document.createElement("span");
    number.className = "digit";
    number.textContent = read.join("");
    /** @type {HTMLElement} */ (section.querySelector(".verdict")).replaceChildren(number);
  });
  return true;
}

/**
 * Replaces the digit cards: one per digit, with its 28x28 input and a
 * compact chart per model.
 *
 * @param {PageView} view
 * @param {Float32Array[]} digits 784 values each
 * @returns {HTMLElement[]}
 */
function createDigitCards(view, digits) {
  const cards = digits.map((pixels, k) => {
    const card = document.createElement("div");
    card.className = "digit-card";
    card.dataset.index = String(k);
    const canvas = document.createElement("canvas");
    Object.assign(canvas, { width: MNIST_SIZE, height: MNIST_SIZE });
    showInput(canvas, pixels);
    card.append(canvas);
    for (const model of view.models) {
      const part = document.createElement("div");
      part.className = "digit-model";
      part.dataset.model = model.id;
      part.innerHTML = `<h3></h3><p class="verdict"></p><ol class="bars"></ol>`;
      /** @type {HTMLElement} */ (part.querySelector("h3")).textContent = model.label;
      createBars(part);
      card.append(part);
    }
    return card;
  });
  view.digits.replaceChildren(...cards);
  return cards;
}

/**
 * Records an error where tests and people can see it.
 *
 * @param {unknown} error
 */
function showError(error) {
  document.body.dataset.error = String(error);
}

/**
 * The pad's drawing, as a picture.
 *
 * @param {HTMLCanvasElement} pad
 * @returns {RasterImage}
 */
function readPad(pad) {
  const context = /** @type {CanvasRenderingContext2D} */ (pad.getContext("2d"));
  const { data, width, height } = context.getImageData(0, 0, pad.width, pad.height);
  return { width, height, channels: 4, data };
}

/**
 * A picture's digit as a model input, or null while it has none (after
 * telling `source.onBlank`).
 *
 * @param {PictureSource} source
 * @returns {Float32Array | null}
 */
function readDigit({ image, name, onBlank }) {
  try {
    return preprocessDigit(image, { name });
  } catch (error) {
    if (!(error instanceof BlankImageError)) throw error;
    onBlank(error);
    return null;
  }
}

/**
 * A picture's digits, left to right, as model inputs; none while it has
 * none (after telling `source.onBlank`).
 *
 * @param {PictureSource} source
 * @returns {Float32Array[]}
 */
function readNumber({ image, name, onBlank }) {
  try {
    return segmentNumber(image, { name }).map((digit) => digit.pixels);
  } catch (error) {
    if (!(error instanceof BlankImageError)) throw error;
    onBlank(error);
    return [];
  }
}

main().catch((error) => {
  document.body.dataset.error = String(error);
  throw error;
});
