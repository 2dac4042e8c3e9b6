import assert from "node:assert/strict";
import { parseSweepArgs, UsageError } from "../../lib/cli/mod.ts";

const BASE = ["--model", "mlp", "--out", "sweeps/x"];

Deno.test("sweep flags become a sweep: model, shared train flags, keys and trials", () => {
  const args = parseSweepArgs([
    ...BASE,
    "--grid",
    "learningRate=3e-4,1e-3",
    "--grid",
    "batchSize=32,64,128",
    "--seeds",
    "1,2",
    "--limit",
    "300",
    "--epochs",
    "1",
    "--jobs",
    "2",
  ]);
  assert.equal(args.spec?.trials.length, 12);
  assert.deepEqual(args.spec?.sharedArgs, ["--epochs", "1", "--limit", "300"]);
  assert.deepEqual(args.spec?.keys, ["learningRate", "batchSize"]);
  assert.equal(args.jobs, 2);
  assert.equal(parseSweepArgs(["--collect", "sweeps/x"]).collect, "sweeps/x");
});

Deno.test("bad sweep input is one line naming the flag, the value and what was expected", () => {
  const cases: [string[], string][] = [
    [
      ["--grid", "dropout=0.1"],
      '--grid: Cannot read grid "dropout=0.1": unknown key "dropout", expected one of learningRate, batchSize, epochs, dropoutRate, optimizer, augment, learningRateSchedule',
    ],
    [
      ["--grid", "batchSize="],
      '--grid: Cannot read grid "batchSize=": the list of batchSize is empty, expected key=v1,v2',
    ],
    [
      ["--grid", "batchSize=32,big"],
      '--grid: Cannot read batchSize: found "big", expected a whole number above 0',
    ],
    [["--grid", "epochs=1", "--jobs", "0"], '--jobs is "0", expected a whole number above 0'],
    [
      ["--grid", "epochs=1", "--seeds", "1,x"],
      '--seeds is "x", expected a whole number 0 or above',
    ],
    [
      ["--grid", "epochs=1", "--seeds", "1,2,1"],
      '--seeds is "1,2,1": seed 1 comes twice, expected each seed once',
    ],
    [
      ["--grid", "learningRate=1e-3,3e-3,0.001"],
      '--grid: Cannot read grid "learningRate=1e-3,3e-3,0.001": learningRate 0.001 comes twice ("1e-3" and "0.001"), expected each value once',
    ],
    [
      ["--grid", "optimizer=adam,sgd,adam"],
      '--grid: Cannot read grid "optimizer=adam,sgd,adam": optimizer adam comes twice, expected each value once',
    ],
    [
      ["--grid", "epochs=1", "--epochs", "2"],
      "--epochs is given and --grid varies epochs, expected one of them",
    ],
    [[], '--grid is missing, expected at least one such as "learningRate=1e-3,3e-3"'],
  ];
  for (const [flags, message] of cases) {
    assert.throws(() => parseSweepArgs([...BASE, ...flags]), new UsageError(message));
  }
  assert.throws(
    () => parseSweepArgs(["--model", "vit", "--grid", "epochs=1", "--out", "x"]),
    /--model is "vit", expected one of mlp, cnn, scratch/,
  );
});

Deno.test("random draws that repeat a setting run it once, and the sweep says so", () => {
  // Two choices drawn five times must repeat: 2 distinct settings, each once per seed.
  const args = parseSweepArgs([
    ...BASE,
    "--grid",
    "optimizer=adam,sgd",
    "--random",
    "5",
    "--seeds",
    "1,2",
  ]);
  assert.equal(args.spec?.trials.length, 4);
  assert.deepEqual(args.notes, [
    "--random 5 drew 3 settings more than once; each runs once, so 2 distinct settings run",
  ]);
  assert.equal(parseSweepArgs([...BASE, "--grid", "optimizer=adam,sgd"]).notes, undefined);
  const ranges = parseSweepArgs([...BASE, "--grid", "learningRate=1e-4..1e-2", "--random", "3"]);
  assert.equal(ranges.spec?.trials.length, 3);
  assert.equal(ranges.notes, undefined);
});

Deno.test("--collect takes no other sweep flag: it reads the settings from the folder", () => {
  for (
    const flags of [["--model", "cnn"], ["--emit=trials.sh"], ["--out", "x", "--random-seed", "3"]]
  ) {
    assert.throws(
      () => parseSweepArgs(["--collect", "sweeps/x", ...flags]),
      /--collect is given with --\S+.*, expected it alone \(it reads the settings from the sweep's folder\)/,
    );
  }
  assert.equal(parseSweepArgs(["--collect=sweeps/x"]).out, "sweeps/x");
});
