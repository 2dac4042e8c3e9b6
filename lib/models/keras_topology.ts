/**
 * Reading Keras 3's spelling of a layers model in tfjs 4.22's: the model
 * description that `tensorflowjs_converter --input_format keras` (or
 * `tfjs.converters.save_keras_model`) writes from a Keras 3 model differs
 * from the Keras 2 one tfjs reads in three places, each a known break
 * (tensorflow/tfjs#8328, #8358, #8494):
 *
 * - an `InputLayer`'s shape is `batch_shape`, not `batch_input_shape`;
 * - a layer's `dtype` is a `DTypePolicy` object
 *   (`{"class_name": "DTypePolicy", "config": {"name": "float32"}}`), not a string;
 * - a functional model's `inbound_nodes` are
 *   `{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}], "kwargs": {}}`,
 *   not `[[[layer, node, tensor, {}]]]`.
 *
 * The fix is made on a copy in memory; the file is never changed.
 *
 * @module
 */

/** A JSON object as parsed. */
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A layer's config with Keras 3's `batch_shape` and `DTypePolicy` in Keras 2's spelling. */
function normaliseLayerConfig(config: JsonObject): JsonObject {
  const normalised = { ...config };
  if ("batch_shape" in normalised && !("batch_input_shape" in normalised)) {
    normalised.batch_input_shape = normalised.batch_shape;
    delete normalised.batch_shape;
  }
  const dtype = normalised.dtype;
  if (isObject(dtype) && isObject(dtype.config) && typeof dtype.config.name === "string") {
    normalised.dtype = dtype.config.name;
  }
  if (Array.isArray(normalised.layers)) {
    normalised.layers = normalised.layers.map((layer) => normaliseLayer(layer));
  }
  return normalised;
}

/** The Keras tensors a Keras 3 node's arguments name, in order, at any depth. */
function kerasHistories(value: unknown): unknown[][] {
  if (Array.isArray(value)) return value.flatMap(kerasHistories);
  if (!isObject(value)) return [];
  if (value.class_name === "__keras_tensor__" && isObject(value.config)) {
    const history = value.config.keras_history;
    return Array.isArray(history) ? [[...history.slice(0, 3), {}]] : [];
  }
  return [];
}

/** One inbound node in Keras 2's spelling: a list of `[layer, node, tensor, kwargs]`. */
function normaliseInboundNode(node: unknown): unknown {
  return isObject(node) && "args" in node ? kerasHistories(node.args) : node;
}

/** A layer entry (`class_name`, `config`, and in functional models `inbound_nodes`) in Keras 2's spelling. */
function normaliseLayer(layer: unknown): unknown {
  if (!isObject(layer)) return layer;
  const normalised = { ...layer };
  if (isObject(normalised.config)) normalised.config = normaliseLayerConfig(normalised.config);
  if (Array.isArray(normalised.inbound_nodes)) {
    normalised.inbound_nodes = normalised.inbound_nodes.map(normaliseInboundNode);
  }
  return normalised;
}

/**
 * A layers model's `modelTopology` in the Keras 2 spelling tfjs 4.22 reads,
 * whether it holds the model config itself (as tfjs writes it) or under
 * `model_config` (as the converter writes it). A topology already in Keras
 * 2's spelling comes back equal; the argument is not changed.
 *
 * @param topology The `modelTopology` object of a `model.json`.
 * @returns A normalised copy.
 *
 * @example
 * ```ts
 * const json = JSON.parse(await Deno.readTextFile("keras_cnn/model.json"));
 * json.modelTopology = normaliseKerasTopology(json.modelTopology);
 * ```
 */
export function normaliseKerasTopology(topology: JsonObject): JsonObject {
  if (isObject(topology.model_config)) {
    return { ...topology, model_config: normaliseLayer(topology.model_config) };
  }
  return normaliseLayer(topology) as JsonObject;
}
