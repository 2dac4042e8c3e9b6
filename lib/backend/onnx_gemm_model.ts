/**
 * The bytes of a one-node ONNX model, `Y = alpha * op(A) * op(B) + beta * C`
 * (the `Gemm` operator), for ONNX Runtime to load from memory.
 *
 * The model is written directly in protobuf's wire format: it needs five
 * message types and three field kinds, where a protobuf library would need
 * the ONNX schema as well. Field numbers are those of `onnx/onnx.proto`
 * (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto,
 * TypeProto, TensorShapeProto); sides are symbolic (`M`, `N`, `K`), so one
 * session serves every shape.
 *
 * Sources: `onnx/onnx.proto` of https://github.com/onnx/onnx, and the
 * operator's definition, https://onnx.ai/onnx/operators/onnx__Gemm.html.
 *
 * @module
 */

/** The ONNX file format version written (IR version 8, ONNX 1.10 and later). */
export const ONNX_IR_VERSION = 8;
/** The operator set imported: Gemm's current definition dates from opset 13. */
export const ONNX_OPSET = 13;

/** Options for {@linkcode encodeGemmModel}. */
export interface GemmModelOptions {
  /** A is stored [K, M] and transposed. */
  transA: boolean;
  /** B is stored [N, K] and transposed. */
  transB: boolean;
  /** Scale of the product; default 1. */
  alpha?: number;
  /**
   * Scale of the input C, which is only an input when this is not 0;
   * default 0.
   */
  beta?: number;
}

const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
/** `AttributeProto.AttributeType` values. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
/** `TensorProto.DataType.FLOAT`. */
const ELEMENT_FLOAT = 1;

/** Appends protobuf fields to a growing byte list. */
class Message {
  readonly bytes: number[] = [];

  varint(field: number, value: number): this {
    this.#key(field, WIRE_VARINT);
    this.#rawVarint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.#key(field, WIRE_FIXED32);
    this.bytes.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }

  string(field: number, value: string): this {
    return this.message(field, new TextEncoder().encode(value));
  }

  message(field: number, value: Message | Uint8Array): this {
    const bytes = value instanceof Message ? value.bytes : value;
    this.#key(field, WIRE_LENGTH);
    this.#rawVarint(bytes.length);
    for (const byte of bytes) this.bytes.push(byte);
    return this;
  }

  #key(field: number, wire: number): void {
    this.#rawVarint(field * 8 + wire);
  }

  #rawVarint(value: number): void {
    let rest = value;
    while (rest > 0x7f) {
      this.bytes.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.bytes.push(rest);
  }
}

/** ValueInfoProto of a float32 matrix with symbolic sides. */
function matrixInfo(name: string, sides: [string, string]): Message {
  const shape = new Message();
  for (const side of sides) shape.message(1, new Message().string(2, side));
  const tensor = new Message().varint(1, ELEMENT_FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensor));
}

function intAttribute(name: string, value: number): Message {
  return new Message().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT);
}

function floatAttribute(name: string, value: number): Message {
  return new Message().string(1, name).float(2, value).varint(20, ATTRIBUTE_FLOAT);
}

/**
 * Encodes a model with inputs `A` and `B` (and `C` when `beta` is not 0)
 * and output `Y` [M, N]; A is [M, K] ([K, M] with `transA`), B is [K, N]
 * ([N, K] with `transB`), C is [M, N].
 *
 * @throws {RangeError} when alpha or beta is not a finite number.
 * @example
 * ```ts
 * const bytes = encodeGemmModel({ transA: false, transB: true });
 * // api.CreateSessionFromArray(env, bytes, bytes.length, options, out)
 * ```
 */
export function encodeGemmModel(options: GemmModelOptions): Uint8Array {
  const { transA, transB, alpha = 1, beta = 0 } = options;
  for (const [name, value] of [["alpha", alpha], ["beta", beta]] as const) {
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `Cannot encode a Gemm model: ${name} is ${value}, expected a finite number`,
      );
    }
  }
  const inputs = beta === 0 ? ["A", "B"] : ["A", "B", "C"];
  const node = new Message();
  for (const input of inputs) node.string(1, input);
  node.string(2, "Y").string(4, "Gemm")
    .message(5, intAttribute("transA", transA ? 1 : 0))
    .message(5, intAttribute("transB", transB ? 1 : 0))
    .message(5, floatAttribute("alpha", alpha))
    .message(5, floatAttribute("beta", beta));
  const graph = new Message().message(1, node).string(2, "gemm")
    .message(11, matrixInfo("A", transA ? ["K", "M"] : ["M", "K"]))
    .message(11, matrixInfo("B", transB ? ["N", "K"] : ["K", "N"]));
  if (beta !== 0) graph.message(11, matrixInfo("C", ["M", "N"]));
  graph.message(12, matrixInfo("Y", ["M", "N"]));
  const opset = new Message().string(1, "").varint(2, ONNX_OPSET);
  const model = new Message().varint(1, ONNX_IR_VERSION).string(2, "mnist-backend")
    .message(7, graph).message(8, opset);
  return new Uint8Array(model.bytes);
}
