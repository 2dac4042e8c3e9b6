import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { scalePixels } from "../../lib/data/mod.ts";
import { predictDigits } from "../../lib/digits/mod.ts";
import { loadModel, saveLayersModel } from "../../lib/models/mod.ts";
import { copyModelFolder } from "../fixtures/keras_folders.ts";
import { copySmallModels } from "../fixtures/small_models.ts";
import { MNIST_TEST, runPredict, writeHandedDigits } from "../helpers/predict_run.ts";

// The command's CSV input, its errors and its help; tests/cli/predict_cli_test.ts reads image
// files. Two files, so that the parallel test run takes them on two threads.
Deno.test("deno task predict: CSV input, errors and help", async (t) => {
  const out = await Deno.makeTempDir({ prefix: "predict_input_cli_" });
  try {
    await copySmallModels(out, ["mlp", "cnn"]);
    const labels = await writeHandedDigits(out, 4);
    const files = [...labels.keys()];
    const models = join(out, "models");
    const [mlp, cnn] = [join(models, "mlp"), join(models, "cnn")];

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

    await t.step("a folder without a model is one clear line, exit 1", async () => {
      const run = await runPredict(["--model", out, files[0]]);
      assert.equal(run.code, 1);
      assert.deepEqual(run.stderr, [
        `predict: Cannot load model from '${out}': found neither model.json (tfjs layers model) nor weights.npz (from-scratch MLP)`,
      ]);
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
