/**
 * The two statistics that say how far to trust a comparison across seeds:
 * a t confidence interval for a mean over a few runs, and McNemar's paired
 * test on the test images two models disagree on.
 *
 * The sums come from simple-statistics, the t quantile and the binomial
 * distribution from jStat; only the formulas that put them together are
 * written here. (stdlib's single-distribution packages were tried first, but
 * they load the `debug` package, which reads the environment at import and
 * so needs an env permission the commands do not grant.)
 *
 * @module
 */
import jstat from "jstat";
import { mean, sampleStandardDeviation } from "simple-statistics";

/** The two jStat functions used, typed here: jstat ships no type declarations. */
const { studentt, combinationln } = jstat as {
  studentt: { inv(probability: number, degreesOfFreedom: number): number };
  combinationln(n: number, k: number): number;
};

/**
 * P(X <= k) for X binomial with n trials and p = 1/2, summed in log space.
 * jStat's `binomial.cdf` multiplies the terms out and returns 0 once they
 * underflow (for 460 of 1,426 it gives 0 where the answer is about 1e-41),
 * which would print a p-value of 0; each term here is
 * exp(ln C(n, i) - n ln 2), added with the log-sum-exp of the largest.
 */
function halfBinomialCdf(k: number, n: number): number {
  const logs = Array.from({ length: k + 1 }, (_, i) => combinationln(n, i) - n * Math.LN2);
  const largest = Math.max(...logs);
  return Math.exp(largest) * logs.reduce((sum, log) => sum + Math.exp(log - largest), 0);
}

/** A sample's mean, spread and confidence interval. */
export interface MeanInterval {
  /** How many values. */
  count: number;
  /** Their mean. */
  mean: number;
  /** Their sample standard deviation (divisor n - 1); null for a single value. */
  standardDeviation: number | null;
  /** Lower end of the confidence interval of the mean; null for a single value. */
  lower: number | null;
  /** Upper end of the confidence interval of the mean; null for a single value. */
  upper: number | null;
  /** The confidence level of the interval, such as 0.95. */
  confidence: number;
}

/** Options for {@linkcode meanConfidenceInterval}. */
export interface MeanIntervalOptions {
  /** Confidence level, in (0, 1); default 0.95. */
  confidence?: number;
}

/**
 * The mean of a few values with Student's t confidence interval:
 * `mean ± t(1 - α/2, n - 1) · s / √n`, where `s` is the sample standard
 * deviation (NIST/SEMATECH e-Handbook of Statistical Methods, section
 * 7.2.2.1, "Confidence limits for the mean"; Student 1908). It assumes the
 * values are independent draws from a roughly normal distribution, as test
 * accuracies of one model over seeds are. With one value there is no spread,
 * and the interval is null.
 *
 * @throws {RangeError} when there are no values, one is not finite, or the
 * confidence is not in (0, 1).
 *
 * @example
 * ```ts
 * const { mean, lower, upper } = meanConfidenceInterval([0.991, 0.992, 0.993]);
 * // mean 0.992, interval 0.992 ± 4.303 · 0.001 / √3
 * ```
 */
export function meanConfidenceInterval(
  values: readonly number[],
  options: MeanIntervalOptions = {},
): MeanInterval {
  const confidence = options.confidence ?? 0.95;
  const action = "compute a confidence interval";
  if (values.length === 0) {
    throw new RangeError(`Cannot ${action}: found 0 values, expected at least 1`);
  }
  if (values.some((value) => !Number.isFinite(value))) {
    throw new RangeError(`Cannot ${action}: found ${values.join(", ")}, expected finite numbers`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `Cannot ${action}: confidence is ${confidence}, expected a number in (0, 1)`,
    );
  }
  const count = values.length;
  const centre = mean([...values]);
  if (count === 1) {
    return { count, mean: centre, standardDeviation: null, lower: null, upper: null, confidence };
  }
  const deviation = sampleStandardDeviation([...values]);
  const half = studentt.inv(1 - (1 - confidence) / 2, count - 1) * deviation / Math.sqrt(count);
  return {
    count,
    mean: centre,
    standardDeviation: deviation,
    lower: centre - half,
    upper: centre + half,
    confidence,
  };
}

/** The outcome of McNemar's test for two classifiers on the same images. */
export interface McNemarTest {
  /** Images the first model gets right and the second wrong. */
  onlyFirst: number;
  /** Images the second model gets right and the first wrong. */
  onlySecond: number;
  /** Two-sided p-value of the exact test: 1 when the models never disagree. */
  pValue: number;
}

/**
 * McNemar's test (McNemar 1947, Psychometrika 12:153-157) in its exact
 * conditional form: under the hypothesis that both models are equally
 * accurate, each of the `b + c` discordant images is equally likely to
 * favour either, so `min(b, c)` is binomial with `n = b + c`, `p = 1/2`,
 * and the two-sided p-value is `min(1, 2 · P(X ≤ min(b, c)))` (Fagerland,
 * Lydersen and Laake 2013, "The McNemar test for binary matched-pairs
 * data", BMC Medical Research Methodology 13:91, the exact conditional test;
 * equation 1 of its supplementary material). The exact form
 * is used rather than the chi-square with continuity correction because it
 * needs no large-sample approximation; with the hundreds of discordant
 * images of MNIST models the two agree closely.
 *
 * @throws {RangeError} when a count is not a whole number 0 or above.
 *
 * @example
 * ```ts
 * mcnemarTest(1, 7).pValue; // 0.0703: Fagerland et al. 2013, Table 1 (Bentur et al.)
 * ```
 */
export function mcnemarTest(onlyFirst: number, onlySecond: number): McNemarTest {
  for (const [name, count] of [["onlyFirst", onlyFirst], ["onlySecond", onlySecond]] as const) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(
        `Cannot run McNemar's test: ${name} is ${count}, expected a whole number 0 or above`,
      );
    }
  }
  const discordant = onlyFirst + onlySecond;
  const pValue = discordant === 0
    ? 1
    : Math.min(1, 2 * halfBinomialCdf(Math.min(onlyFirst, onlySecond), discordant));
  return { onlyFirst, onlySecond, pValue };
}
