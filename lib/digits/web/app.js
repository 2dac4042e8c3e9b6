// @ts-check
/// <reference no-default-lib="true" />
/// <reference lib="dom" />
/// <reference lib="esnext" />
/**
 * The draw-a-digit page: a drawing pad, the 28x28 input the models see, and
 * each model's probabilities as bar charts, updated as you draw.
 *
 * It preprocesses with `digit_preprocess.js`, the module `deno task predict`
 * uses, so the page and the command line give the models the same input;
 * the server runs the models (`POST /predict`) and lists them (`/models`).
 * The bars are plain HTML rather than Vega-Lite: they are redrawn on every
 * animation frame while you draw, and need nothing but a width.
 *
 * @module
 */
import { BlankImageError, MNIST_SIZE, preprocessDigit } from "../digit_preprocess.js";

/** @typedef {{ id: string, label: string, params: number }} PageModel */
/** @typedef {{ id: string, probabilities: number[] }} ModelPrediction */

/** Pen width on the 280-pixel pad: once the digit is scaled to 20 pixels it is about as thick as MNIST's strokes. */
const PEN_WIDTH = 20;

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
 * Asks the server for every model's probabilities of one preprocessed image.
 *
 * @param {Float32Array} pixels 784 values in [0, 1]
 * @returns {Promise<ModelPrediction[]>}
 */
async function predict(pixels) {
  const body = /** @type {ArrayBuffer} */ (pixels.slice().buffer);
  const response = await fetch("/predict", { method: "POST", body });
  if (!response.ok) throw new Error(`Cannot predict: the server answered ${response.status}`);
  return await response.json();
}

/**
 * Makes the pad drawable with any pointer (mouse, pen, touch) and calls
 * `onDraw` after every change.
 *
 * @param {HTMLCanvasElement} pad
 * @param {() => void} onDraw
 */
function setUpPad(pad, onDraw) {
  const context =
    /** @type {CanvasRenderingContext2D} */ (pad.getContext("2d", { willReadFrequently: true }));
  Object.assign(context, {
    lineWidth: PEN_WIDTH,
    lineCap: "round",
    lineJoin: "round",
    strokeStyle: "black",
  });
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

async function main() {
  const pad = /** @type {HTMLCanvasElement} */ (element("pad"));
  const input = /** @type {HTMLCanvasElement} */ (element("input"));
  /** @type {PageModel[]} */
  const models = await (await fetch("/models")).json();
  const sections = createSections(models);
  let pending = false;
  // Each drawing change gets a number, so that a late answer never paints over a newer one.
  let latest = 0;
  const update = async () => {
    pending = false;
    const request = ++latest;
    const pixels = readDigit(pad);
    showInput(input, pixels);
    if (pixels === null || sections.length === 0) {
      sections.forEach((section) => showProbabilities(section, null));
      document.body.dataset.predicting = "false";
      return;
    }
    document.body.dataset.predicting = "true";
    const predictions = await predict(pixels);
    if (request !== latest) return;
    predictions.forEach((prediction, i) =>
      showProbabilities(sections[i], prediction.probabilities)
    );
    document.body.dataset.predicting = "false";
  };
  const context = setUpPad(pad, () => {
    if (!pending) requestAnimationFrame(() => void update().catch(showError));
    pending = true;
  });
  const clear = () => {
    context.fillStyle = "white";
    context.fillRect(0, 0, pad.width, pad.height);
    void update().catch(showError);
  };
  element("clear").addEventListener("click", clear);
  clear();
  document.body.dataset.ready = "true";
  await checkReport();
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
 * The pad's drawing as a model input, or null while it is blank.
 *
 * @param {HTMLCanvasElement} pad
 * @returns {Float32Array | null}
 */
function readDigit(pad) {
  const context = /** @type {CanvasRenderingContext2D} */ (pad.getContext("2d"));
  const { data, width, height } = context.getImageData(0, 0, pad.width, pad.height);
  try {
    return preprocessDigit({ width, height, channels: 4, data });
  } catch (error) {
    if (error instanceof BlankImageError) return null;
    throw error;
  }
}

main().catch((error) => {
  document.body.dataset.error = String(error);
  throw error;
});
