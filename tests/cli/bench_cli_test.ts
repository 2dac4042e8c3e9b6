import assert from "node:assert/strict";

const PROJECT = new URL("../..", import.meta.url).pathname;

async function runBench(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: ["run", "-P=bench", "lib/cli/bench.ts", ...args],
    cwd: PROJECT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = (bytes: Uint8Array) =>
    new TextDecoder().decode(bytes).split("\n").filter((line) =>
      line !== "" && !line.startsWith("Warning Permissions in the config file")
    );
  return { code, stdout: lines(stdout), stderr: lines(stderr) };
}

Deno.test("bench --json for 0.05 s prints one JSON object of both models' speeds", async () => {
  const run = await runBench([
    "--backend",
    "wasm",
    "--seconds",
    "0.05",
    "--repeats",
    "1",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr.join("\n"));
  assert.equal(run.stdout.length, 1, run.stdout.join("\n"));
  const result = JSON.parse(run.stdout[0]);
  assert.deepEqual(Object.keys(result), ["backend", "mlp", "cnn"]);
  assert.match(result.backend, /^(blas|wasm)$/);
  for (const id of ["mlp", "cnn"]) {
    assert.deepEqual(Object.keys(result[id]), ["trainImagesPerSecond", "inferImagesPerSecond"]);
    for (const figure of Object.values(result[id]) as number[]) {
      assert.ok(Number.isInteger(figure) && figure > 0, `${id}: ${figure}`);
    }
  }
  assert.deepEqual(run.stderr, [
    "bench: mlp: training",
    "bench: mlp: inference",
    "bench: cnn: training",
    "bench: cnn: inference",
  ]);
});
