import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { parsePredictArgs, UsageError } from "../../lib/cli/mod.ts";
import { preprocessDigit, readImage } from "../../lib/digits/mod.ts";
import { createRandom } from "../../lib/random.ts";
import { renderNumberPicture } from "../fixtures/degraded_digits.ts";
import { writeKeras3Copy } from "../fixtures/keras_folders.ts";
import { copySmallModels } from "../fixtures/small_models.ts";
import {
  accuracyOf,
  MNIST_TEST,
  type Prediction,
  runPredict,
  writeHandedDigits,
} from "../helpers/predict_run.ts";

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
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
