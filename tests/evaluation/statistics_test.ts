import assert from "node:assert/strict";
import { mcnemarTest, meanConfidenceInterval } from "../../lib/evaluation/mod.ts";

function assertClose(actual: number | null, expected: number, tolerance: number, what: string) {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual}, expected ${expected}`,
  );
}

Deno.test("the t interval matches a worked example with the table's t value", () => {
  // Five accuracies: mean 0.992, s = sqrt(1e-5 / 4) = 0.0015811; t(0.975, 4) = 2.776
  // from any t table (NIST/SEMATECH e-Handbook, table 1.3.6.7.2), so the half
  // width is 2.776 * 0.0015811 / sqrt(5) = 0.001963.
  const interval = meanConfidenceInterval([0.99, 0.992, 0.991, 0.993, 0.994]);
  assertClose(interval.mean, 0.992, 1e-12, "mean");
  assertClose(interval.standardDeviation, 0.0015811, 1e-7, "standard deviation");
  assertClose(interval.lower, 0.992 - 0.001963, 1e-6, "lower");
  assertClose(interval.upper, 0.992 + 0.001963, 1e-6, "upper");
  assert.equal(interval.count, 5);
  assert.equal(interval.confidence, 0.95);
});

Deno.test("the t interval of 25 values uses t(0.975, 24) = 2.064 from the table", () => {
  // The formula of the NIST/SEMATECH e-Handbook 7.2.2.1 with the critical value
  // of its table 1.3.6.7.2: 25 values of mean 5 and s = 1 give 5 ± 2.064 * 1 / 5,
  // 4.5872 to 5.4128. The values: 5 ± 1 alternating and one 5, rescaled to s = 1.
  const raw = Array.from({ length: 25 }, (_, i): number => (i === 24 ? 0 : i % 2 === 0 ? 1 : -1));
  const spread = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0) / 24);
  const values = raw.map((x) => 5 + x / spread);
  const interval = meanConfidenceInterval(values);
  assertClose(interval.lower, 4.5872, 1e-4, "lower");
  assertClose(interval.upper, 5.4128, 1e-4, "upper");
});

Deno.test("one value has a mean but no spread or interval", () => {
  assert.deepEqual(meanConfidenceInterval([0.99]), {
    count: 1,
    mean: 0.99,
    standardDeviation: null,
    lower: null,
    upper: null,
    confidence: 0.95,
  });
});

Deno.test("McNemar's exact test matches Fagerland et al. (2013)'s worked example", () => {
  // BMC Med Res Methodol 13:91, Table 1 (airway hyper-responsiveness, Bentur
  // et al.): of 8 discordant pairs, 1 one way and 7 the other; the exact
  // conditional p-value is 2 * binomcdf(1, 8, 0.5) = 0.0703.
  const test = mcnemarTest(1, 7);
  assertClose(test.pValue, 18 / 256, 1e-12, "p-value");
  assertClose(test.pValue, 0.070, 5e-4, "p-value as published");
  assert.equal(mcnemarTest(7, 1).pValue, test.pValue);
});

Deno.test("McNemar's test gives 1 without disagreement and for an even split", () => {
  assert.equal(mcnemarTest(0, 0).pValue, 1);
  assert.equal(mcnemarTest(5, 5).pValue, 1);
  // 0 against 10: 2 * 0.5^10.
  assertClose(mcnemarTest(0, 10).pValue, 2 / 1024, 1e-12, "p-value");
});

Deno.test("bad input is answered with one RangeError naming it", () => {
  assert.throws(() => meanConfidenceInterval([]), {
    name: "RangeError",
    message: "Cannot compute a confidence interval: found 0 values, expected at least 1",
  });
  assert.throws(() => meanConfidenceInterval([1, 2], { confidence: 95 }), {
    name: "RangeError",
    message: "Cannot compute a confidence interval: confidence is 95, expected a number in (0, 1)",
  });
  assert.throws(() => mcnemarTest(-1, 3), {
    name: "RangeError",
    message: "Cannot run McNemar's test: onlyFirst is -1, expected a whole number 0 or above",
  });
});

Deno.test("mcnemarTest gives a tiny p-value, not 0, for hundreds of one-sided disagreements", () => {
  const { pValue } = mcnemarTest(460, 966);
  // The normal approximation puts z near 13.4: p is about 1e-41, far inside a double's range.
  assert.ok(pValue > 1e-45 && pValue < 1e-38, `p ${pValue}`);
  // Symmetric counts still give 1, and a small table its exact value: 2 · (1/2)^3 for 0 against 3.
  assert.equal(mcnemarTest(50, 50).pValue, 1);
  assert.ok(Math.abs(mcnemarTest(0, 3).pValue - 0.25) < 1e-12);
});
