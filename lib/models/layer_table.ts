/**
 * The layers of a model as a table, in the columns of Keras'
 * `model.summary()`: what a notebook shows before training.
 *
 * @module
 */
import pl from "nodejs-polars";
import type { DigitModel } from "./model.ts";

/**
 * Lists the layers of a model: `layer` (its name), `type`, `outputShape`
 * (batch dimension as null) and `params`; the params add up to the model's.
 *
 * @example
 * ```ts
 * layerTable(createModelRegistry().get("cnn").build({ seed: 42 })).getColumn("params").sum(); // 225034
 * ```
 */
export function layerTable(model: DigitModel): pl.DataFrame {
  const layers = model.summary();
  return pl.DataFrame([
    pl.Series("layer", layers.map((layer) => layer.name), pl.String),
    pl.Series("type", layers.map((layer) => layer.type), pl.String),
    pl.Series("outputShape", layers.map((layer) => JSON.stringify(layer.outputShape)), pl.String),
    pl.Series("params", layers.map((layer) => layer.params), pl.Int32),
  ]);
}
