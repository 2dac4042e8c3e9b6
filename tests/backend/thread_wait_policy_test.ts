import assert from "node:assert/strict";
import { PASSIVE_WAIT_SETTINGS, preferPassiveWaits } from "../../lib/backend/thread_wait_policy.ts";

/** Runs `body` with `values` as the environment's settings of those names, then restores them. */
function withEnvironment(values: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, Deno.env.get(name)]));
  const apply = (settings: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(settings)) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  };
  apply(values);
  try {
    body();
  } finally {
    apply(saved);
  }
}

Deno.test("preferPassiveWaits sets every unset variable to its passive value", () => {
  const unset = Object.fromEntries(
    Object.keys(PASSIVE_WAIT_SETTINGS).map((name) => [name, undefined]),
  );
  withEnvironment(unset, () => {
    assert.deepEqual(preferPassiveWaits(), ["OMP_WAIT_POLICY", "OPENBLAS_THREAD_TIMEOUT"]);
    assert.equal(Deno.env.get("OMP_WAIT_POLICY"), "passive");
    assert.equal(Deno.env.get("OPENBLAS_THREAD_TIMEOUT"), "4");
  });
});

Deno.test("preferPassiveWaits keeps a value the user set", () => {
  withEnvironment({ OMP_WAIT_POLICY: "active", OPENBLAS_THREAD_TIMEOUT: undefined }, () => {
    assert.deepEqual(preferPassiveWaits(), ["OPENBLAS_THREAD_TIMEOUT"]);
    assert.equal(Deno.env.get("OMP_WAIT_POLICY"), "active");
  });
});
