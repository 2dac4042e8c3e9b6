import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli/flags.ts";
import { parseTrainArgs, TRAIN_HELP } from "../../lib/cli/train_args.ts";
import { AUGMENT_PRESETS } from "../../lib/data/mod.ts";

Deno.test("parseTrainArgs gives the original notebooks' defaults", () => {
  const args = parseTrainArgs([]);
  assert.deepEqual(args.models, ["mlp", "cnn"]);
  assert.equal(args.epochs, undefined);
  assert.equal(args.batchSize, 64);
  assert.equal(args.learningRate, 0.001);
  assert.equal(args.validationSplit, 0.1);
  assert.equal(args.seed, 42);
  assert.equal(args.dataset, "mnist");
  assert.equal(args.out, "out/");
  assert.equal(args.backend, "auto");
  assert.equal(args.limit, undefined);
});

Deno.test("parseTrainArgs reads every flag", () => {
  const args = parseTrainArgs([
    "--model=cnn,scratch",
    "--epochs",
    "3",
    "--batch-size=32",
    "--learning-rate=0.01",
    "--validation-split=0.2",
    "--limit=1000",
    "--seed=7",
    "--dataset=fashion",
    "--out=results",
    "--backend=wasm",
  ]);
  assert.deepEqual(args.models, ["cnn", "scratch"]);
  assert.equal(args.epochs, 3);
  assert.equal(args.batchSize, 32);
  assert.equal(args.learningRate, 0.01);
  assert.equal(args.validationSplit, 0.2);
  assert.equal(args.limit, 1000);
  assert.equal(args.seed, 7);
  assert.equal(args.dataset, "fashion");
  assert.equal(args.dataDir, undefined);
  assert.equal(args.csv, undefined);
  assert.equal(args.out, "results");
  assert.equal(args.backend, "wasm");
});

Deno.test("parseTrainArgs reads --data-dir, or --train-csv with or without --test-csv", () => {
  assert.equal(parseTrainArgs(["--data-dir=/tmp/digits"]).dataDir, "/tmp/digits");
  assert.deepEqual(parseTrainArgs(["--train-csv", "a.csv", "--test-csv", "b.csv"]).csv, {
    train: "a.csv",
    test: "b.csv",
  });
  assert.deepEqual(parseTrainArgs(["--train-csv", "a.csv"]).csv, {
    train: "a.csv",
    test: undefined,
  });
});

Deno.test("parseTrainArgs reads --seeds as a count from --seed on, or as a list", () => {
  assert.deepEqual(parseTrainArgs([]).seeds, [42]);
  assert.deepEqual(parseTrainArgs(["--seeds", "3"]).seeds, [42, 43, 44]);
  assert.deepEqual(parseTrainArgs(["--seed=7", "--seeds=2"]).seeds, [7, 8]);
  assert.deepEqual(parseTrainArgs(["--seeds", "3,1,2"]).seeds, [3, 1, 2]);
});

Deno.test("parseTrainArgs reads --augment as a preset, each --augment-* flag overriding it", () => {
  assert.equal(parseTrainArgs([]).augment, undefined, "each model's own");
  assert.deepEqual(parseTrainArgs(["--augment=none"]).augment, AUGMENT_PRESETS.none);
  assert.deepEqual(parseTrainArgs(["--augment=standard"]).augment, AUGMENT_PRESETS.standard);
  assert.deepEqual(
    parseTrainArgs(["--augment=standard", "--augment-rotation=0", "--augment-thickness", "1"])
      .augment,
    { ...AUGMENT_PRESETS.standard, rotation: 0, thickness: 1 },
  );
  assert.deepEqual(parseTrainArgs(["--augment-shift=2"]).augment, {
    ...AUGMENT_PRESETS.none,
    shift: 2,
  });
});

Deno.test("parseTrainArgs reads the optimizer, sgd's momentum and the dropout rate", () => {
  const defaults = parseTrainArgs([]);
  assert.deepEqual([defaults.optimizer, defaults.momentum, defaults.dropoutRate], [
    "adam",
    undefined,
    undefined,
  ]);
  const sgd = parseTrainArgs(["--optimizer", "sgd"]);
  assert.deepEqual([sgd.optimizer, sgd.momentum], ["sgd", 0.9]);
  const args = parseTrainArgs([
    "--model=mlp,cnn,vgg",
    "--optimizer=sgd",
    "--momentum=0",
    "--dropout-rate=0",
  ]);
  assert.deepEqual([args.optimizer, args.momentum, args.dropoutRate], ["sgd", 0, 0]);
  assert.equal(parseTrainArgs(["--model=cnn", "--dropout-rate", "0.25"]).dropoutRate, 0.25);
  assert.equal(parseTrainArgs([]).learningRateSchedule, undefined, "each model's own");
  const cosine = parseTrainArgs(["--model=cnn", "--learning-rate-schedule", "cosine"]);
  assert.equal(cosine.learningRateSchedule, "cosine");
});

Deno.test("parseTrainArgs expands all and drops repeated models", () => {
  assert.deepEqual(parseTrainArgs(["--model", "all"]).models, ["mlp", "cnn", "scratch"]);
  assert.deepEqual(parseTrainArgs(["--model", "mlp,mlp"]).models, ["mlp"]);
});

const BAD_FLAGS: [string[], string][] = [
  [
    ["--model=rnn"],
    '--model has unknown model "rnn", expected mlp, cnn, scratch, lenet5, vgg, resnet, densenet or all, zoo',
  ],
  [
    ["--model=,"],
    "--model is empty, expected mlp, cnn, scratch, lenet5, vgg, resnet, densenet or all, zoo",
  ],
  [["--dataset=cifar"], '--dataset is "cifar", expected one of mnist, fashion'],
  [["--backend=gpu"], '--backend is "gpu", expected one of auto, webgpu, blas, wasm, cpu'],
  [["--epochs=0"], '--epochs is "0", expected a whole number above 0'],
  [["--epochs=-2"], '--epochs is "-2", expected a whole number above 0'],
  [["--epochs=two"], '--epochs is "two", expected a whole number above 0'],
  [["--epochs=1.5"], '--epochs is "1.5", expected a whole number above 0'],
  [["--batch-size="], '--batch-size is "", expected a whole number above 0'],
  [["--limit=0"], '--limit is "0", expected a whole number above 0'],
  [["--learning-rate=-1"], '--learning-rate is "-1", expected a number above 0'],
  [["--learning-rate=fast"], '--learning-rate is "fast", expected a number above 0'],
  [
    ["--validation-split=1"],
    '--validation-split is "1", expected a number between 0 and 1, exclusive',
  ],
  [
    ["--validation-split=0"],
    '--validation-split is "0", expected a number between 0 and 1, exclusive',
  ],
  [["--seed=-1"], '--seed is "-1", expected a whole number 0 or above'],
  [
    ["--seeds=0"],
    '--seeds is "0", expected a whole number of seeds above 0, or a comma list of seeds 0 or above',
  ],
  [
    ["--seeds=a,b"],
    '--seeds is "a,b", expected a whole number of seeds above 0, or a comma list of seeds 0 or above',
  ],
  [
    ["--seeds=1,,2"],
    '--seeds is "1,,2", expected a whole number of seeds above 0, or a comma list of seeds 0 or above',
  ],
  [["--seeds=1,2,1"], '--seeds is "1,2,1": seed 1 comes twice, expected each seed once'],
  [
    ["--seed", "5", "--seeds=1,2"],
    '--seed is given with --seeds "1,2", a list of the seeds themselves, expected one of the two (or --seeds as a count from --seed)',
  ],
  [
    ["--limit=1"],
    "--limit is 1, expected enough images to keep at least one on each side of --validation-split 0.1",
  ],
  [
    ["--limit=3", "--validation-split=0.9"],
    "--limit is 3, expected enough images to keep at least one on each side of --validation-split 0.9",
  ],
  [
    ["--augment=wild"],
    '--augment is "wild", expected one of none, light, standard, strong',
  ],
  [
    ["--augment-rotation", "-5"],
    '--augment-rotation is "-5", expected a number from 0 to 180',
  ],
  [["--augment-zoom=1"], '--augment-zoom is "1", expected a number from 0 up to 1, exclusive'],
  [["--augment-shift=x"], '--augment-shift is "x", expected a number from 0 to 14'],
  [["--out="], "--out is empty, expected a folder"],
  [
    ["--train-csv=a.csv", "--data-dir=digits"],
    "--data-dir and --train-csv are given together, expected one source of data",
  ],
  [
    ["--dataset=mnist", "--train-csv=a.csv"],
    "--dataset and --train-csv are given together, expected one source of data",
  ],
  [
    ["--dataset=fashion", "--data-dir=digits"],
    "--dataset and --data-dir are given together, expected one source of data",
  ],
  [
    ["--test-csv=b.csv"],
    "--test-csv is given without --train-csv, expected both, or --train-csv alone",
  ],
  [["--train-csv="], "--train-csv is empty, expected a CSV file"],
  [["--optimizer=rmsprop"], '--optimizer is "rmsprop", expected one of adam, sgd'],
  [
    ["--learning-rate-schedule=step"],
    '--learning-rate-schedule is "step", expected one of constant, cosine',
  ],
  [["--momentum=0.5"], "--momentum is given with --optimizer adam, expected --optimizer sgd"],
  [
    ["--optimizer=sgd", "--momentum=1"],
    '--momentum is "1", expected a number from 0 up to 1, exclusive',
  ],
  [
    ["--model=cnn", "--dropout-rate", "-0.1"],
    '--dropout-rate is "-0.1", expected a number from 0 up to 1, exclusive',
  ],
  [
    ["--model=cnn", "--dropout-rate=half"],
    '--dropout-rate is "half", expected a number from 0 up to 1, exclusive',
  ],
  [
    ["--model=zoo", "--dropout-rate=0.3"],
    "--dropout-rate is given but lenet5, resnet, densenet have no dropout layer, expected --model among mlp, cnn, vgg",
  ],
  [
    ["--model=scratch", "--dropout-rate=0.3"],
    "--dropout-rate is given but scratch has no dropout layer, expected --model among mlp, cnn, vgg",
  ],
];

for (const [flags, message] of BAD_FLAGS) {
  Deno.test(`parseTrainArgs rejects ${flags.join(" ")}`, () => {
    assert.throws(() => parseTrainArgs(flags), { name: "UsageError", message });
  });
}

Deno.test("parseTrainArgs rejects unknown flags and stray arguments as usage errors", () => {
  assert.throws(() => parseTrainArgs(["--epoch=3"]), UsageError);
  assert.throws(() => parseTrainArgs(["mlp"]), UsageError);
});

Deno.test("the help lists every flag with its default", () => {
  for (
    const flag of [
      "--model",
      "--epochs",
      "--batch-size",
      "--learning-rate",
      "--validation-split",
      "--limit",
      "--seed",
      "--seeds",
      "--augment",
      "--augment-shift",
      "--augment-rotation",
      "--augment-zoom",
      "--augment-thickness",
      "--dataset",
      "--data-dir",
      "--train-csv",
      "--test-csv",
      "--out",
      "--backend",
      "--optimizer",
      "--momentum",
      "--dropout-rate",
    ]
  ) {
    const line = TRAIN_HELP.split("\n").find((text) => text.trimStart().startsWith(flag));
    assert.ok(line, `help has no line for ${flag}`);
    assert.match(TRAIN_HELP.slice(TRAIN_HELP.indexOf(line)), /\(default: [^)]+\)/);
  }
});

Deno.test("parseTrainArgs reads a negative value given as a separate argument", () => {
  assert.throws(() => parseTrainArgs(["--epochs", "-3"]), {
    name: "UsageError",
    message: '--epochs is "-3", expected a whole number above 0',
  });
});

Deno.test("--blas-library makes auto blas, and --ignore-system-libraries is read", () => {
  const named = parseTrainArgs(["--blas-library", "/x/libopenblas.so.0"]);
  assert.equal(named.backend, "blas");
  assert.equal(named.blasLibrary, "/x/libopenblas.so.0");
  assert.equal(named.ignoreSystemLibraries, false);
  const ignoring = parseTrainArgs(["--ignore-system-libraries"]);
  assert.equal(ignoring.backend, "auto");
  assert.equal(ignoring.ignoreSystemLibraries, true);
  assert.equal(ignoring.blasLibrary, undefined);
});

Deno.test("--blas-library and --ignore-system-libraries refuse each other and other backends", () => {
  assert.throws(
    () => parseTrainArgs(["--ignore-system-libraries", "--backend", "wasm"]),
    /--ignore-system-libraries is given with --backend wasm, expected it alone with --backend auto/,
  );
  assert.throws(
    () => parseTrainArgs(["--ignore-system-libraries", "--blas-library", "/x/libopenblas.so.0"]),
    /--ignore-system-libraries is given with --blas-library \/x\/libopenblas.so.0/,
  );
  assert.throws(
    () => parseTrainArgs(["--blas-library", ""]),
    new UsageError("--blas-library is empty, expected the path or file name of a BLAS library"),
  );
  assert.throws(
    () => parseTrainArgs(["--backend", "cpu", "--blas-library", "/x/libopenblas.so.0"]),
    new UsageError("--blas-library is given with --backend cpu, expected --backend blas or auto"),
  );
});
