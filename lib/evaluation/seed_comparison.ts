/**
 * Comparisons across seeds: each model's test accuracy over seeds with its
 * confidence interval, and each pair of models tested with McNemar's test
 * on the same test images, seed by seed.
 *
 * Why seed by seed rather than on counts pooled over seeds: pooling counts
 * every test image once per seed, as if the seeds had drawn new images, and
 * so treats repeated, dependent pairs as independent and makes p-values too
 * small. Per seed each test is valid on its own; the pair's summary then
 * gives the mean difference in accuracy over seeds with its t interval
 * (paired by seed) and how many seeds' tests reach p < 0.05.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { ModelResult, SeedRuns } from "../results.ts";
import { predictClasses } from "./classes.ts";
import { checkSameLength } from "./checks.ts";
import { mcnemarTest } from "./statistics.ts";
import { meanConfidenceInterval } from "./statistics.ts";

/** The p-value below which a seed's test counts as a difference. */
const SIGNIFICANCE = 0.05;

function checkSeedRuns(runs: SeedRuns, action: string): void {
  if (runs.byModel.length === 0) {
    throw new RangeError(`Cannot ${action}: found 0 models, expected 1 or more`);
  }
  for (const results of runs.byModel) {
    if (results.length !== runs.seeds.length) {
      throw new RangeError(
        `Cannot ${action}: ${
          results[0]?.id
        } has ${results.length} results, expected one per seed (${runs.seeds.length})`,
      );
    }
  }
}

/**
 * One row per model and seed: `model`, `seed`, `testAccuracy` (0 to 1).
 *
 * @throws {RangeError} when a model lacks a result for some seed.
 *
 * @example
 * ```ts
 * seedAccuracies({ seeds: [1, 2], byModel: [[cnn1, cnn2]] }); // 2 rows
 * ```
 */
export function seedAccuracies(runs: SeedRuns): pl.DataFrame {
  checkSeedRuns(runs, "list accuracies per seed");
  const rows = runs.byModel.flatMap((results) =>
    results.map((result, index) => ({
      model: result.id,
      seed: runs.seeds[index],
      testAccuracy: result.testAccuracy,
    }))
  );
  return pl.DataFrame(rows);
}

/**
 * One row per model: `model`, `seeds` (how many), `testAccuracyMean`,
 * `testAccuracySd` (sample standard deviation), and `ciLower`, `ciUpper`:
 * the 95% t interval of the mean ({@linkcode meanConfidenceInterval}).
 * Accuracies are 0 to 1; spread and interval are null for a single seed.
 *
 * @throws {RangeError} when a model lacks a result for some seed.
 *
 * @example
 * ```ts
 * seedSummary(runs).select("model", "testAccuracyMean", "ciLower", "ciUpper");
 * ```
 */
export function seedSummary(runs: SeedRuns): pl.DataFrame {
  checkSeedRuns(runs, "summarise accuracies over seeds");
  const rows = runs.byModel.map((results) => {
    const interval = meanConfidenceInterval(results.map((result) => result.testAccuracy));
    return {
      model: results[0].id,
      seeds: interval.count,
      testAccuracyMean: interval.mean,
      testAccuracySd: interval.standardDeviation,
      ciLower: interval.lower,
      ciUpper: interval.upper,
    };
  });
  return pl.DataFrame(rows, {
    schema: {
      model: pl.String,
      seeds: pl.Int32,
      testAccuracyMean: pl.Float64,
      testAccuracySd: pl.Float64,
      ciLower: pl.Float64,
      ciUpper: pl.Float64,
    },
  });
}

/** Whether each test image is classified right, from softmax outputs. */
function rightAnswers(probabilities: Float32Array, labels: Uint8Array): Uint8Array {
  const predicted = predictClasses(probabilities, labels.length);
  checkSameLength(labels, predicted, "compare models on the same test images");
  return predicted.map((value, index) => value === labels[index] ? 1 : 0);
}

/** Counts the images only the first gets right, and only the second. */
function discordantCounts(first: Uint8Array, second: Uint8Array): [number, number] {
  let onlyFirst = 0;
  let onlySecond = 0;
  for (let i = 0; i < first.length; i++) {
    if (first[i] > second[i]) onlyFirst++;
    else if (second[i] > first[i]) onlySecond++;
  }
  return [onlyFirst, onlySecond];
}

/**
 * McNemar's exact test for each pair of models and each seed, on the same
 * test images: one row per pair and seed with `first`, `second` (model
 * ids), `seed`, `onlyFirst` and `onlySecond` (test images only that model
 * gets right), `accuracyDifference` (first minus second, 0 to 1) and
 * `pValue`. Empty with fewer than two models.
 *
 * @throws {RangeError} when a model lacks a result for some seed, or the
 * outputs and labels count different images.
 *
 * @example
 * ```ts
 * mcnemarTable(runs, test.labels).filter(pl.col("pValue").lt(0.05));
 * ```
 */
export function mcnemarTable(runs: SeedRuns, labels: Uint8Array): pl.DataFrame {
  checkSeedRuns(runs, "test pairs of models");
  const right = runs.byModel.map((results) =>
    results.map((result) => rightAnswers(result.probabilities, labels))
  );
  const rows = [];
  for (let a = 0; a < runs.byModel.length; a++) {
    for (let b = a + 1; b < runs.byModel.length; b++) {
      for (const [index, seed] of runs.seeds.entries()) {
        const [onlyFirst, onlySecond] = discordantCounts(right[a][index], right[b][index]);
        rows.push({
          first: runs.byModel[a][index].id,
          second: runs.byModel[b][index].id,
          seed,
          onlyFirst,
          onlySecond,
          accuracyDifference: (onlyFirst - onlySecond) / labels.length,
          pValue: mcnemarTest(onlyFirst, onlySecond).pValue,
        });
      }
    }
  }
  return pl.DataFrame(rows, {
    schema: {
      first: pl.String,
      second: pl.String,
      seed: pl.Int32,
      onlyFirst: pl.Int32,
      onlySecond: pl.Int32,
      accuracyDifference: pl.Float64,
      pValue: pl.Float64,
    },
  });
}

/**
 * Sums up {@linkcode mcnemarTable} per pair of models: `first`, `second`,
 * `seeds`, `differenceMean` (first minus second, 0 to 1) with its 95% t
 * interval over seeds, `differenceLower` and `differenceUpper` (null for a
 * single seed), `significantSeeds` (seeds whose p-value is below 0.05) and
 * `largestPValue`. An interval that holds 0 says the seeds alone could
 * explain the difference.
 *
 * @example
 * ```ts
 * pairSummary(mcnemarTable(runs, test.labels));
 * ```
 */
export function pairSummary(tests: pl.DataFrame): pl.DataFrame {
  const rows = new Map<
    string,
    { first: string; second: string; differences: number[]; p: number[] }
  >();
  for (const row of tests.toRecords()) {
    const key = `${row.first}\u0000${row.second}`;
    const entry = rows.get(key) ??
      { first: String(row.first), second: String(row.second), differences: [], p: [] };
    entry.differences.push(Number(row.accuracyDifference));
    entry.p.push(Number(row.pValue));
    rows.set(key, entry);
  }
  const summary = [...rows.values()].map((entry) => {
    const interval = meanConfidenceInterval(entry.differences);
    return {
      first: entry.first,
      second: entry.second,
      seeds: interval.count,
      differenceMean: interval.mean,
      differenceLower: interval.lower,
      differenceUpper: interval.upper,
      significantSeeds: entry.p.filter((p) => p < SIGNIFICANCE).length,
      largestPValue: Math.max(...entry.p),
    };
  });
  return pl.DataFrame(summary, {
    schema: {
      first: pl.String,
      second: pl.String,
      seeds: pl.Int32,
      differenceMean: pl.Float64,
      differenceLower: pl.Float64,
      differenceUpper: pl.Float64,
      significantSeeds: pl.Int32,
      largestPValue: pl.Float64,
    },
  });
}

/**
 * McNemar's exact test between the runs of one model with different seeds:
 * one row per pair of seeds with `firstSeed`, `secondSeed`, `onlyFirst`,
 * `onlySecond` (test images only that run gets right), `disagreements`
 * (their sum) and `pValue`. It shows how many test images the seed alone
 * moves, the yardstick for a difference between two models.
 *
 * @throws {RangeError} when the seeds and results differ in number, or the
 * outputs and labels count different images.
 *
 * @example
 * ```ts
 * seedPairsTable(cnnRuns, [42, 43, 44], test.labels);
 * ```
 */
export function seedPairsTable(
  results: readonly ModelResult[],
  seeds: readonly number[],
  labels: Uint8Array,
): pl.DataFrame {
  if (results.length !== seeds.length) {
    throw new RangeError(
      `Cannot test seeds against each other: found ${results.length} results, expected one per seed (${seeds.length})`,
    );
  }
  const right = results.map((result) => rightAnswers(result.probabilities, labels));
  const rows = [];
  for (let a = 0; a < results.length; a++) {
    for (let b = a + 1; b < results.length; b++) {
      const [onlyFirst, onlySecond] = discordantCounts(right[a], right[b]);
      rows.push({
        firstSeed: seeds[a],
        secondSeed: seeds[b],
        onlyFirst,
        onlySecond,
        disagreements: onlyFirst + onlySecond,
        pValue: mcnemarTest(onlyFirst, onlySecond).pValue,
      });
    }
  }
  return pl.DataFrame(rows, {
    schema: {
      firstSeed: pl.Int32,
      secondSeed: pl.Int32,
      onlyFirst: pl.Int32,
      onlySecond: pl.Int32,
      disagreements: pl.Int32,
      pValue: pl.Float64,
    },
  });
}
