import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { defaultBlasThreads, setupBackend } from "../../lib/backend/mod.ts";
import { benchmarkModels } from "../../lib/backend/bench.ts";
import { BENCH_HELP, parseBenchArgs } from "../../lib/cli/bench_args.ts";
import { UsageError } from "../../lib/cli/flags.ts";

Deno.test("bench flags default to auto, 3 s, 3 repeats, a BLAS thread per core, a table", () => {
  assert.deepEqual(parseBenchArgs([]), {
    backend: "auto",
    seconds: 3,
    repeats: 3,
    blasThreads: defaultBlasThreads(),
    blasLibrary: undefined,
    wasmThreads: defaultBlasThreads(),
    ignoreSystemLibraries: false,
    json: false,
    help: false,
  });
  const args = parseBenchArgs([
    "--backend",
    "blas",
    "--seconds",
    "0.5",
    "--repeats",
    "5",
    "--json",
    "--blas-library",
    "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "--wasm-threads",
    "1",
  ]);
  assert.equal(args.wasmThreads, 1);
  assert.equal(args.ignoreSystemLibraries, false);
  assert.equal(args.backend, "blas");
  assert.equal(args.blasLibrary, "/usr/lib/x86_64-linux-gnu/libopenblas.so.0");
  assert.equal(args.seconds, 0.5);
  assert.equal(args.repeats, 5);
  assert.equal(args.json, true);
  assert.equal(parseBenchArgs(["--ignore-system-libraries"]).ignoreSystemLibraries, true);
});

Deno.test("the bench help lists every flag with its default", () => {
  for (
    const flag of [
      "--backend",
      "--seconds",
      "--repeats",
      "--blas-threads",
      "--blas-library",
      "--wasm-threads",
      "--ignore-system-libraries",
      "--json",
      "--help",
    ]
  ) {
    assert.ok(BENCH_HELP.includes(flag), flag);
  }
  assert.equal(BENCH_HELP.match(/\(default: [^)]+\)/g)?.length, 8);
});

Deno.test("bad bench flags are refused with a one-line UsageError", () => {
  assert.throws(
    () => parseBenchArgs(["--backend", "gpu"]),
    new UsageError(
      '--backend is "gpu", expected one of auto, webgpu, blas, wasm, cpu',
    ),
  );
  assert.throws(
    () => parseBenchArgs(["--seconds=0"]),
    new UsageError(
      '--seconds is "0", expected a number above 0',
    ),
  );
  assert.throws(
    () => parseBenchArgs(["--repeats", "2.5"]),
    new UsageError(
      '--repeats is "2.5", expected a whole number above 0',
    ),
  );
  assert.throws(() => parseBenchArgs(["--fast"]), UsageError);
  assert.throws(
    () => parseBenchArgs(["--backend", "blas", "--ignore-system-libraries"]),
    new UsageError(
      "--ignore-system-libraries is given with --backend blas, expected it alone with --backend auto " +
        "(it makes auto act as on a machine without oneDNN or OpenBLAS)",
    ),
  );
  assert.throws(
    () => parseBenchArgs(["--ignore-system-libraries", "--blas-library", "/x/libopenblas.so.0"]),
    /--ignore-system-libraries is given with --blas-library \/x\/libopenblas.so.0/,
  );
  assert.throws(
    () => parseBenchArgs(["--backend", "wasm", "--blas-library", "/x/libopenblas.so.0"]),
    new UsageError("--blas-library is given with --backend wasm, expected --backend blas or auto"),
  );
});

Deno.test("a library named with --blas-library is used or the run stops: auto becomes blas", () => {
  assert.equal(parseBenchArgs(["--blas-library", "/x/libopenblas.so.0"]).backend, "blas");
  assert.equal(parseBenchArgs([]).backend, "auto");
});

Deno.test("benchmarkModels refuses non-positive durations before measuring", async () => {
  await assert.rejects(
    () => benchmarkModels({ backend: "cpu", seconds: 0 }),
    new RangeError("Cannot benchmark: seconds is 0, expected a positive finite number"),
  );
  await assert.rejects(
    () => benchmarkModels({ backend: "cpu", repeats: 1.5 }),
    new RangeError("Cannot benchmark: repeats is 1.5, expected a positive integer"),
  );
});

Deno.test("benchmarkModels measures both models briefly and leaves no tensor behind", async () => {
  const { id } = await setupBackend({ backend: "wasm" });
  const progress: string[] = [];
  const options = {
    backend: id,
    seconds: 0.02,
    repeats: 1,
    warmupSeconds: 0,
    onProgress: (message: string) => void progress.push(message),
  };
  await benchmarkModels(options);
  const tensors = tf.memory().numTensors;
  progress.length = 0;
  const result = await benchmarkModels(options);
  assert.equal(tf.memory().numTensors, tensors, "tensors after a second benchmark");
  assert.deepEqual(Object.keys(result), ["backend", "mlp", "cnn"]);
  assert.equal(result.backend, id);
  for (const model of ["mlp", "cnn"] as const) {
    for (const figure of [result[model].trainImagesPerSecond, result[model].inferImagesPerSecond]) {
      assert.ok(Number.isInteger(figure) && figure > 0, `${model}: ${figure} images/s`);
    }
  }
  assert.deepEqual(progress, [
    "mlp: training",
    "mlp: inference",
    "cnn: training",
    "cnn: inference",
  ]);
});
