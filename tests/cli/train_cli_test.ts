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

Deno.test("a model from --model-file trains and appears in metrics.json and the report", async () => {
  const folder = await Deno.makeTempDir();
  const file = join(folder, "my_models.ts");
  await Deno.writeTextFile(
    file,
    `import * as tf from "@tensorflow/tfjs";
export const models = [{ id: "mine", label: "My softmax", build: ({ seed }: { seed: number }) =>
  tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 10, activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
  ] }) }];
`,
  );
  const out = join(folder, "out");
  const args = ["--model-file", file, "--model", "mine,mlp", "--limit", "300", "--epochs", "1"];
  const { code, stderr } = await runTrain([...args, "--out", out]);
  assert.equal(code, 0, stderr);
  const metrics = JSON.parse(await Deno.readTextFile(join(out, "metrics.json")));
  assert.deepEqual(Object.keys(metrics.models), ["mine", "mlp"]);
  assert.equal(metrics.models.mine.params, 7850);
  assert.match(await Deno.readTextFile(join(out, "report.html")), /My softmax/);
});
