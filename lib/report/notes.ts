/**
 * Sentences and figures the report states about the results, computed from
 * them so that they stay true whatever was trained.
 *
 * @module
 */
import type { ModelResult } from "../results.ts";

/** One headline figure of the report, such as a model's test accuracy. */
export interface ReportFact {
  /** What the figure is. */
  label: string;
  /** The figure, formatted. */
  value: string;
}

const COUNT = new Intl.NumberFormat("en-US");

/**
 * Explains whether the MLP and the CNN are compared at equal capacity,
 * from their parameter counts; `undefined` unless both are in `results`.
 *
 * @example
 * ```ts
 * parameterParityNote([mlpResult, cnnResult]);
 * // "The MLP has 235,146 trainable parameters and the CNN 225,034, 4.3% apart. ..."
 * ```
 */
export function parameterParityNote(results: readonly ModelResult[]): string | undefined {
  const mlp = results.find((result) => result.id === "mlp");
  const cnn = results.find((result) => result.id === "cnn");
  if (mlp === undefined || cnn === undefined) return undefined;
  const gap = Math.abs(mlp.params - cnn.params) / Math.max(mlp.params, cnn.params);
  const counts = `The MLP has ${COUNT.format(mlp.params)} trainable parameters and the CNN ${
    COUNT.format(cnn.params)
  }, ${(gap * 100).toFixed(1)}% apart.`;
  if (gap > 0.1) {
    return `${counts} Their sizes differ enough that part of any gap in accuracy may come from capacity rather than architecture.`;
  }
  const larger = mlp.params >= cnn.params ? "the MLP" : "the CNN";
  return `${counts} With about the same number of weights (slightly more in ${larger}), the comparison is fair: ` +
    "a difference in accuracy comes from the architecture (convolutions share weights across the image and " +
    "look at local strokes, where the MLP sees 784 unrelated inputs), not from the size of the model.";
}

/**
 * Headline figures of each model: test accuracy, test loss, parameters,
 * training time and inference speed.
 *
 * @example
 * ```ts
 * resultFacts([cnnResult])[0]; // { label: "CNN test accuracy", value: "99.21%" }
 * ```
 */
export function resultFacts(results: readonly ModelResult[]): ReportFact[] {
  return results.flatMap((result) => {
    const name = result.label;
    return [
      { label: `${name} test accuracy`, value: `${(result.testAccuracy * 100).toFixed(2)}%` },
      { label: `${name} test loss`, value: result.testLoss.toFixed(4) },
      { label: `${name} parameters`, value: COUNT.format(result.params) },
      {
        label: `${name} training`,
        value: `${result.epochs} epoch${result.epochs === 1 ? "" : "s"} in ${
          result.trainSeconds.toFixed(1)
        } s`,
      },
      {
        label: `${name} inference`,
        value: `${COUNT.format(Math.round(result.inferImagesPerSecond))} images/s`,
      },
    ];
  });
}
