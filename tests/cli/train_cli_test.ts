import assert from "node:assert/strict";
import { join } from "node:path";

async function runTrain(args: string[]) {
  const command = new Deno.Command("deno", {
    args: ["run", "-P=train", "lib/cli/train.ts", ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
  const { code, stdout, stderr } = await command.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

Deno.test("train --help lists the flags and exits 0", async () => {
  const { code, stdout } = await runTrain(["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /--model <ids>/);
  assert.match(stdout, /--backend <id>/);
});

Deno.test("a bad flag prints one line without a stack trace and exits 2", async () => {
  const { code, stderr } = await runTrain(["--epochs", "-3"]);
  assert.equal(code, 2);
  const lines = stderr.split("\n").filter((line) => line.startsWith("train:"));
  assert.deepEqual(lines, [
    'train: --epochs is "-3", expected a whole number above 0 (see deno task train --help)',
  ]);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

Deno.test("bad --seeds and --augment values print one line and exit 2", async () => {
  for (
    const [flags, message] of [
      [["--seeds", "0"], '--seeds is "0", expected a whole number of seeds above 0'],
      [["--augment", "wild"], '--augment is "wild", expected one of none, light, standard, strong'],
    ] as const
  ) {
    const { code, stderr } = await runTrain([...flags]);
    assert.equal(code, 2);
    const lines = stderr.split("\n").filter((line) => line.startsWith("train:"));
    assert.equal(lines.length, 1, stderr);
    assert.ok(lines[0].startsWith(`train: ${message}`), lines[0]);
    assert.doesNotMatch(stderr, /\n\s+at /);
  }
});

Deno.test("an --out that is a file is one line and exit 2, before any training", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const file = join(folder, "notes.txt");
    await Deno.writeTextFile(file, "not a folder");
    const { code, stdout, stderr } = await runTrain(["--out", file, "--limit", "300"]);
    assert.equal(code, 2, stderr);
    const lines = stderr.split("\n").filter((line) => line.startsWith("train:"));
    assert.deepEqual(lines, [
      `train: --out ${file} is a file, expected a folder to write the results in (new or existing) (see deno task train --help)`,
    ]);
    // Refused before the data is loaded or a backend chosen.
    assert.doesNotMatch(stdout, /backend:|data:/);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("an --out holding a sweep is refused before training", async () => {
  const out = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(out, "sweep.json"), "{}");
    const { code, stderr } = await runTrain(["--out", out, "--limit", "300"]);
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      new RegExp(`train: --out ${out} holds a sweep \\(sweep.json\\), expected a new folder`),
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("bad data exits 1 with one line and leaves the earlier results alone", async () => {
  const out = await Deno.makeTempDir();
  const data = await Deno.makeTempDir();
  await Deno.writeTextFile(join(out, "metrics.json"), "earlier run");
  await Deno.writeFile(
    join(data, "train-images-idx3-ubyte"),
    new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]),
  );
  for (
    const name of ["train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
  ) {
    await Deno.writeFile(join(data, name), new Uint8Array(8));
  }
  const { code, stderr } = await runTrain(["--data-dir", data, "--out", out, "--backend", "cpu"]);
  assert.equal(code, 1);
  assert.match(
    stderr,
    /train: Cannot read IDX images from .*train-images-idx3-ubyte: magic number is 2049, expected 2051/,
  );
  assert.doesNotMatch(stderr, /\n\s+at /);
  assert.equal(await Deno.readTextFile(join(out, "metrics.json")), "earlier run");
  await Deno.remove(out, { recursive: true });
  await Deno.remove(data, { recursive: true });
});

Deno.test("a --blas-library that cannot be opened stops the run with one line, exit 1", async () => {
  const out = await Deno.makeTempDir();
  const { code, stdout, stderr } = await runTrain([
    "--blas-library",
    "/no/such/libopenblas.so.0",
    "--limit",
    "300",
    "--out",
    out,
  ]);
  assert.equal(code, 1);
  const lines = stderr.split("\n").filter((line) => line.startsWith("train:"));
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], /\/no\/such\/libopenblas\.so\.0/);
  assert.doesNotMatch(stderr, /\n\s+at /);
  assert.doesNotMatch(stdout, /epoch/);
  await Deno.remove(out, { recursive: true });
});

// A full run on a CSV is left out for time: the refusals below show that both
// flags reach the CSV loader, whose reading and holding out tests/data tests.
Deno.test("--train-csv and --test-csv reach the CSV loader: a folder or a web page there is one line, exit 1", async () => {
  const folder = await Deno.makeTempDir({ prefix: "train_csv_" });
  try {
    const csv = join(folder, "my digits.csv");
    await Deno.writeTextFile(csv, "5," + new Array(784).fill(0).join(",") + "\n");
    const out = join(folder, "out");
    const page = join(folder, "page.csv");
    await Deno.writeTextFile(page, "<!DOCTYPE html>\n<html></html>\n");
    for (
      const [flags, message] of [
        [["--train-csv", folder], `train: Cannot read ${folder}: it is a folder, expected a file`],
        [
          ["--train-csv", csv, "--test-csv", page],
          `train: Cannot read MNIST CSV ${page}: it is an HTML page`,
        ],
      ] as [string[], string][]
    ) {
      const run = await runTrain([...flags, "--out", out, "--backend", "cpu"]);
      assert.equal(run.code, 1);
      const lines = run.stderr.split("\n").filter((line) => line.startsWith("train:"));
      assert.equal(lines.length, 1, run.stderr);
      assert.ok(lines[0].startsWith(message), lines[0]);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a module that is not a builder list exits 2 with one line", async () => {
  const folder = await Deno.makeTempDir();
  const file = join(folder, "my_models.ts");
  await Deno.writeTextFile(file, "export const other = 1;\n");
  const { code, stderr } = await runTrain(["--model-file", file, "--model", "mine"]);
  assert.equal(code, 2);
  const lines = stderr.split("\n").filter((line) => line.startsWith("train:"));
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^train: --model-file: Cannot register models: the module exports no models/,
  );
  assert.doesNotMatch(stderr, /\n\s+at /);
});

/** A module of one model for --model-file: softmax regression, 7850 weights. */
const MY_MODELS = `import * as tf from "@tensorflow/tfjs";
export const models = [{ id: "mine", label: "My softmax", build: ({ seed }: { seed: number }) =>
  tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 10, activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
  ] }) }];
`;

/** Every file a run of all three models and --model-file's "mine" writes into --out, by path. */
const RUN_FILES = [
  ...["confusion_matrix", "misclassified", "reliability", "sample_predictions"].flatMap((chart) =>
    ["cnn", "mine", "mlp", "scratch"].flatMap((id) => [`${chart}_${id}.png`, `${chart}_${id}.svg`])
  ),
  "per_class_errors.png",
  "per_class_errors.svg",
  "training_curves.png",
  "training_curves.svg",
].map((name) => `charts/${name}`).concat([
  "metrics.json",
  "models/cnn/model.json",
  "models/cnn/weights.bin",
  "models/mine/model.json",
  "models/mine/weights.bin",
  "models/mlp/model.json",
  "models/mlp/weights.bin",
  "models/scratch/weights.npz",
  "report.html",
  ...[
    "agreement",
    "calibration",
    "calibration_cnn",
    "calibration_mine",
    "calibration_mlp",
    "calibration_scratch",
    "classification_report_cnn",
    "classification_report_mine",
    "classification_report_mlp",
    "classification_report_scratch",
    "comparison",
    "disagreements",
    "mcnemar",
    "model_pairs",
    "most_confused_cnn",
    "most_confused_mine",
    "most_confused_mlp",
    "most_confused_scratch",
    "per_class_errors",
  ].map((name) => `tables/${name}.csv`),
]).sort();

/** Paths of every file under `folder`, relative to it, sorted. */
async function filesUnder(folder: string, prefix = ""): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of Deno.readDir(join(folder, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) paths.push(...await filesUnder(folder, path));
    else paths.push(path);
  }
  return paths.sort();
}

Deno.test("train --model all,mine with --model-file on 300 images for one epoch prints each model's lines and writes every file", async () => {
  const out = await Deno.makeTempDir({ prefix: "train_cli_" });
  try {
    // The three models of "all" and one from --model-file share the run, which costs mostly its
    // fixed part: loading MNIST, the 10000 test images and the report.
    const file = join(out, "my_models.ts");
    await Deno.writeTextFile(file, MY_MODELS);
    const run = join(out, "run");
    const args = ["--model-file", file, "--model", "all,mine", "--limit", "300", "--epochs", "1"];
    const { code, stdout, stderr } = await runTrain([...args, "--out", run]);
    assert.equal(code, 0, stderr);
    const lines = stdout.split("\n");
    assert.match(lines[0], /^backend: (blas|wasm): /);
    assert.equal(lines[1], "data: mnist, 270 training, 30 validation, 10000 test images");
    const epoch = String
      .raw`epoch 1/1 loss \d\.\d{4} acc \d\.\d{4} val_loss \d\.\d{4} val_acc \d\.\d{4} lr \d\.\de-\d [\d.]+ s \d+ img/s`;
    ["mlp", "cnn", "scratch", "mine"].forEach((id, i) => {
      assert.match(lines[2 + 2 * i], new RegExp(`^${id} ${epoch}$`));
      assert.match(
        lines[3 + 2 * i],
        new RegExp(
          `^${id}: test accuracy \\d+\\.\\d\\d%, test loss \\d\\.\\d{4}, trained in [\\d.]+ s$`,
        ),
      );
    });
    // The count takes each model's folder as one entry: 4 folders for their 7 files.
    assert.equal(
      lines.at(-2),
      `wrote ${RUN_FILES.length - 3} files to ${run} (open ${run}/report.html)`,
    );

    assert.deepEqual(await filesUnder(run), RUN_FILES);
    const metrics = JSON.parse(await Deno.readTextFile(join(run, "metrics.json")));
    assert.deepEqual(Object.keys(metrics.models), ["mlp", "cnn", "scratch", "mine"]);
    for (const [id, params] of [["mlp", 235146], ["cnn", 225034], ["scratch", 235146]] as const) {
      const model = metrics.models[id];
      assert.equal(model.params, params, `${id} params`);
      assert.equal(model.epochs, 1, `${id} epochs`);
      assert.equal(model.history.valAccuracy.length, 1);
      // 270 images for one epoch: well above chance (10%), far from trained.
      assert.ok(model.testAccuracy > 0.3, `${id} test accuracy ${model.testAccuracy}`);
    }
    assert.equal(metrics.models.mine.params, 7850);
    assert.equal(metrics.models.mine.history.valAccuracy.length, 1);
    assert.match(await Deno.readTextFile(join(run, "report.html")), /My softmax/);
    for (const id of ["mlp", "cnn", "mine"]) {
      const weights = await Deno.stat(join(run, "models", id, "weights.bin"));
      assert.equal(
        weights.size,
        4 * metrics.models[id].params,
        `${id} weights.bin holds every weight`,
      );
      JSON.parse(await Deno.readTextFile(join(run, "models", id, "model.json")));
    }
    const png = [0x89, 0x50, 0x4e, 0x47];
    for (const path of RUN_FILES) {
      const bytes = await Deno.readFile(join(run, path));
      assert.ok(bytes.length > 0, `${path} is empty`);
      if (path.endsWith(".png")) assert.deepEqual([...bytes.subarray(0, 4)], png, path);
      if (path.endsWith(".svg")) assert.match(new TextDecoder().decode(bytes), /^<svg/, path);
      if (path.endsWith(".csv")) assert.ok(new TextDecoder().decode(bytes).includes("\n"), path);
    }
    assert.match(await Deno.readTextFile(join(run, "report.html")), /<html/i);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
