// @ts-check
/// <reference no-default-lib="true" />
/// <reference lib="dom" />
/// <reference lib="esnext" />
/**
 * The draw-a-digit page: a drawing pad, the 28x28 input the models see, and
 * the MLP's and CNN's probabilities as bar charts, updated as you draw.
 *
 * It preprocesses with `digit_preprocess.js`, the module `deno task predict`
 * uses, so the page and the command line give the models the same input.
 * The bars are plain HTML rather than Vega-Lite: they are redrawn on every
 * animation frame while you draw, and need nothing but a width.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BlankImageError, MNIST_SIZE, preprocessDigit } from "../digit_preprocess.js";

/** The models the page shows, by their folder under `out/models/`. */
const MODELS = ["mlp", "cnn"];

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
 * Loads a trained model from `out/models/<id>/`, or returns null and says
 * why in the model's section.
 *
 * @param {string} id
 * @param {HTMLElement} section
 * @returns {Promise<tf.LayersModel | null>}
 */
async function loadModel(id, section) {
  const status = /** @type {HTMLElement} */ (section.querySelector(".status"));
  try {
    const model = await tf.loadLayersModel(`/out/models/${id}/model.json`);
    status.textContent = `Loaded from out/models/${id}, ${
      model.countParams().toLocaleString("en")
    } weights.`;
    section.dataset.state = "ready";
    return model;
  } catch (error) {
    status.textContent = `No trained model in out/models/${id} (run deno task train): ${
      error instanceof Error ? error.message : error
    }`;
    status.classList.add("error");
    section.dataset.state = "missing";
    return null;
  }
}

/**
 * The probabilities a model gives one preprocessed image.
 *
 * @param {tf.LayersModel} model
 * @param {Float32Array} pixels
 * @returns {Float32Array}
 */
function predict(model, pixels) {
  const shape = /** @type {number[]} */ (model.inputs[0].shape.slice(1));
  const output = tf.tidy(
    () => /** @type {tf.Tensor} */ (model.predict(tf.tensor(pixels, [1, ...shape]))),
  );
  const probabilities = /** @type {Float32Array} */ (output.dataSync());
  output.dispose();
  return probabilities;
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
  // One small image per frame: the CPU backend answers in milliseconds and
  // needs neither WebGL nor a GPU start-up.
  await tf.setBackend("cpu");
  const pad = /** @type {HTMLCanvasElement} */ (element("pad"));
  const input = /** @type {HTMLCanvasElement} */ (element("input"));
  const sections = MODELS.map((id) => element(id));
  sections.forEach(createBars);
  const models = await Promise.all(MODELS.map((id, i) => loadModel(id, sections[i])));
  let pending = false;
  const update = () => {
    pending = false;
    const pixels = readDigit(pad);
    showInput(input, pixels);
    models.forEach((model, i) => {
      if (model !== null) {
        showProbabilities(sections[i], pixels === null ? null : predict(model, pixels));
      }
    });
  };
  const context = setUpPad(pad, () => {
    if (!pending) requestAnimationFrame(update);
    pending = true;
  });
  const clear = () => {
    context.fillStyle = "white";
    context.fillRect(0, 0, pad.width, pad.height);
    update();
  };
  element("clear").addEventListener("click", clear);
  clear();
  document.body.dataset.ready = "true";
  await checkReport();
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
