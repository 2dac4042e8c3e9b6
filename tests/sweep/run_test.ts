import assert from "node:assert/strict";
import { estimateSecondsLeft } from "../../lib/sweep/mod.ts";

Deno.test("time left: trials left at the mean wall time plus what running ones still need, per job", () => {
  assert.equal(estimateSecondsLeft([], { left: 3, startedAt: [], jobs: 2 }), undefined);
  // Mean 70 s; 4 left and none running, on 2 jobs: 4 x 70 / 2.
  assert.equal(estimateSecondsLeft([60, 80], { left: 4, startedAt: [], jobs: 2 }), 140);
  // Two running for 30 s and 50 s (now = 100 s): they still need 40 s and 20 s.
  const running = { left: 2, startedAt: [70_000, 50_000], jobs: 2, now: 100_000 };
  assert.equal(estimateSecondsLeft([60, 80], running), (2 * 70 + 40 + 20) / 2);
  // The last trial running alone ends when it ends, not sooner because a job is idle.
  assert.equal(
    estimateSecondsLeft([60], { left: 0, startedAt: [90_000], jobs: 2, now: 100_000 }),
    50,
  );
  // A trial running past the mean still needs at least nothing.
  assert.equal(estimateSecondsLeft([60], { left: 0, startedAt: [0], jobs: 1, now: 100_000 }), 0);
});
