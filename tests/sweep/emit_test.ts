import assert from "node:assert/strict";
import { emitTrialCommands, parseSweepAxis, planTrials, quoteShell } from "../../lib/sweep/mod.ts";

Deno.test("each trial is one shell line that skips a finished trial and logs its output", () => {
  const trials = planTrials([parseSweepAxis("learningRate=1e-3,3e-3")], { seeds: [1] });
  const spec = {
    model: "mlp",
    sharedArgs: ["--limit", "300"],
    keys: ["learningRate" as const],
    trials,
  };
  const lines = emitTrialCommands(spec, { out: "sweeps/lr", root: "/home/me/my mnist" });
  assert.equal(lines.length, 2);
  assert.equal(
    lines[0],
    "cd '/home/me/my mnist' && test -f sweeps/lr/trials/learningRate=0.001_seed=1/metrics.json || " +
      "{ mkdir -p sweeps/lr/logs && OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 NO_COLOR=1 deno task train " +
      "--model mlp --limit 300 --learning-rate 0.001 --seed 1 --out sweeps/lr/trials/learningRate=0.001_seed=1 " +
      "--blas-threads 1 > sweeps/lr/logs/learningRate=0.001_seed=1.log 2>&1; }",
  );
  assert.equal(quoteShell("it's"), `'it'"'"'s'`);
});
