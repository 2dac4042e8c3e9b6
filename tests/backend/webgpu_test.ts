import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES, setupBackend } from "../../lib/backend/mod.ts";
import { FUSED_ADAM_KERNEL } from "../../lib/backend/fused_adam.ts";
import { RELU_GRADIENT_KERNEL } from "../../lib/backend/relu_gradient.ts";
import {
  describeAdapter,
  type FoundWebGpuAdapter,
  requestWebGpuDevice,
  requiredFeaturesFor,
} from "../../lib/backend/webgpu_adapter.ts";
import { findWebGpuAdapterOnce } from "../../lib/backend/webgpu_backend.ts";
import { compileLayersModel, createCnn, createMlp } from "../../lib/models/mod.ts";
import { assertClose, seededValues } from "../helpers/backend_compare.ts";

/**
 * Why the tests that need an adapter are skipped, or null when one exists.
 * `.ci/run` installs a software adapter and sets REQUIRE_WEBGPU=1, so that
 * in CI a missing adapter fails the tests instead of skipping them.
 */
const NO_ADAPTER: string | null = await findWebGpuAdapterOnce().then(
  () => null,
  (error: Error) => error.message,
);
if (NO_ADAPTER !== null && Deno.env.get("REQUIRE_WEBGPU") === "1") {
  throw new Error(`REQUIRE_WEBGPU=1 but ${NO_ADAPTER}`);
}

/** Registers a test that needs an adapter, ignored with the reason when there is none. */
function testOnWebGpu(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: NO_ADAPTER ? `${name} (ignored: ${NO_ADAPTER})` : name,
    ignore: NO_ADAPTER !== null,
    fn,
  });
}

const LLVMPIPE = {
  vendor: "65541",
  architecture: "",
  description: "llvmpipe (LLVM 15.0.6, 256 bits)",
  isFallbackAdapter: true,
};

Deno.test("an adapter is named by description, vendor, architecture and kind in one line", () => {
  assert.equal(
    describeAdapter(LLVMPIPE),
    "llvmpipe (LLVM 15.0.6, 256 bits), vendor 65541, architecture unknown, software fallback",
  );
  assert.equal(
    describeAdapter({
      vendor: "nvidia",
      architecture: "hopper",
      description: "NVIDIA H200",
      isFallbackAdapter: false,
    }),
    "NVIDIA H200, vendor nvidia, architecture hopper, hardware",
  );
});

Deno.test("the device is asked for flat feature names, never bgra8unorm-storage", () => {
  const gpu = new Set(["timestamp-query", "bgra8unorm-storage", "shader-f16"]);
  assert.deepEqual(requiredFeaturesFor(gpu), ["timestamp-query"]);
  assert.deepEqual(requiredFeaturesFor(new Set(["depth-clip-control"])), []);
});

Deno.test("an adapter that refuses a device is named in one line with the reason", async () => {
  const asked: GPUDeviceDescriptor[] = [];
  const refusing = {
    features: new Set(["timestamp-query", "bgra8unorm-storage"]),
    limits: { maxBufferSize: 256 },
    requestDevice(descriptor: GPUDeviceDescriptor) {
      asked.push(descriptor);
      return Promise.reject(new TypeError("device lost\nat wgpu"));
    },
  } as unknown as GPUAdapter;
  const found: FoundWebGpuAdapter = { adapter: refusing, info: LLVMPIPE };
  await assert.rejects(
    () => requestWebGpuDevice(found),
    (error: Error) => {
      assert.ok(error instanceof Deno.errors.NotSupported);
      assert.equal(
        error.message,
        "Cannot get a WebGPU device from llvmpipe (LLVM 15.0.6, 256 bits): device lost",
      );
      return true;
    },
  );
  assert.deepEqual(asked[0].requiredFeatures, ["timestamp-query"]);
  assert.equal(asked[0].requiredLimits?.maxBufferSize, 256);
});

testOnWebGpu(
  "webgpu is set up as asked, names its adapter, and auto passes over a software one",
  async () => {
    const { info: adapter } = await findWebGpuAdapterOnce();
    const info = await setupBackend({ backend: "webgpu" });
    assert.equal(info.id, "webgpu");
    assert.equal(tf.getBackend(), BACKEND_NAMES.webgpu);
    assert.equal(
      info.description,
      `webgpu: stock tfjs kernels on ${describeAdapter(adapter)}, as asked`,
    );
    const auto = await setupBackend({ backend: "auto" });
    if (adapter.isFallbackAdapter) {
      assert.notEqual(auto.id, "webgpu");
      assert.match(
        auto.description,
        /, no WebGPU: (no GPU device \(.+\)|.+ is a software fallback)$/,
      );
    } else {
      assert.equal(auto.id, "webgpu");
    }
  },
);

testOnWebGpu("switching between webgpu and the other backends keeps each working", async () => {
  for (const backend of ["webgpu", "wasm", "cpu", "webgpu"] as const) {
    await setupBackend({ backend });
    const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]));
    assert.deepEqual(await product.array(), [[19, 22], [43, 50]], `matMul on ${backend}`);
    tf.dispose(product);
  }
});

testOnWebGpu("none of the project's own kernels is registered on webgpu", async () => {
  await setupBackend({ backend: "wasm" });
  await setupBackend({ backend: "webgpu" });
  for (const kernel of [FUSED_ADAM_KERNEL, RELU_GRADIENT_KERNEL]) {
    assert.equal(tf.getKernel(kernel, BACKEND_NAMES.webgpu), undefined, kernel);
    assert.notEqual(tf.getKernel(kernel, BACKEND_NAMES.wasm), undefined, kernel);
  }
});

/**
 * Runs `compute` on `backend` and reads its outputs back asynchronously:
 * tfjs's synchronous read-back from WebGPU needs an OffscreenCanvas, which
 * Deno has not.
 */
async function valuesOn(
  backend: "cpu" | "webgpu",
  compute: () => tf.Tensor[],
): Promise<Float32Array[]> {
  await setupBackend({ backend });
  const outputs = tf.tidy(compute);
  const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outputs);
  return values;
}

/**
 * Float32 on both backends, summed in other orders (the GPU in tiles) and
 * with WGSL's exp and log, which may be a few ulp off: 1e-4 of the larger of
 * a value and the outputs' root mean square allows sums of about a thousand
 * terms (the 784-input dense layer) with room, and still catches a wrong
 * index, a missing term or a swapped gradient, which are off by the order
 * of the values themselves. Measured on lavapipe: at most 2.5e-6 (the
 * dense layer), 4e-7 for the convolutions, 0 for pooling.
 */
const OP_TOLERANCE = 1e-4;

async function assertWebGpuMatchesCpu(label: string, compute: () => tf.Tensor[]): Promise<void> {
  const expected = await valuesOn("cpu", compute);
  const actual = await valuesOn("webgpu", compute);
  expected.forEach((values, i) =>
    assertClose(actual[i], values, `${label} output ${i}`, OP_TOLERANCE)
  );
}

/**
 * The outputs of `f` and the gradients of a weighted sum of them with
 * respect to each input. The weights vary, so that a gradient routed to the
 * wrong element shows.
 */
function withGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
): tf.Tensor[] {
  const output = f(...inputs);
  const weighting = tf.tensor(seededValues(output.size, 99), output.shape);
  const gradients = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weighting)))(inputs);
  return [output, ...gradients];
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

testOnWebGpu(
  "dense layers, fused with bias and ReLU or not, match cpu forward and backward",
  () =>
    assertWebGpuMatchesCpu("dense", () => [
      ...withGradients(
        (x, w, b) => tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }),
        [seeded([8, 784], 1), seeded([784, 32], 2), seeded([32], 3)],
      ),
      ...withGradients((x, w) => tf.matMul(x, w), [seeded([8, 128], 4), seeded([128, 10], 5)]),
    ]),
);

testOnWebGpu(
  "softmax and categorical cross-entropy match cpu forward and backward",
  () =>
    assertWebGpuMatchesCpu("softmax", () => {
      const labels = tf.oneHot(tf.tensor1d([3, 0, 9, 9, 1, 4, 7, 2], "int32"), 10).toFloat();
      return [
        ...withGradients((logits) => tf.softmax(logits), [seeded([8, 10], 6)]),
        ...withGradients(
          (logits) => tf.metrics.categoricalCrossentropy(labels, tf.softmax(logits)),
          [tf.mul(seeded([8, 10], 7), 4)],
        ),
      ];
    }),
);

testOnWebGpu(
  "dropout draws the same seeded mask as cpu, forward and backward",
  () =>
    assertWebGpuMatchesCpu(
      "dropout",
      () => withGradients((x) => tf.dropout(x, 0.5, undefined, 1234), [seeded([16, 128], 8)]),
    ),
);

testOnWebGpu(
  "both convolutions, fused with bias and ReLU, match cpu forward and backward",
  () =>
    assertWebGpuMatchesCpu("conv2d", () => [
      ...withGradients(
        (x, w, b) =>
          tf.fused.conv2d({
            x: x as tf.Tensor4D,
            filter: w as tf.Tensor4D,
            bias: b,
            strides: 1,
            pad: "valid",
            activation: "relu",
          }),
        [seeded([2, 12, 12, 1], 9), seeded([3, 3, 1, 8], 10), seeded([8], 11)],
      ),
      ...withGradients(
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid"),
        [seeded([2, 7, 7, 8], 12), seeded([3, 3, 8, 16], 13)],
      ),
    ]),
);

testOnWebGpu(
  "2x2 max pooling, odd sizes included, and flatten match cpu forward and backward",
  () =>
    assertWebGpuMatchesCpu("maxPool", () => [
      ...withGradients((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"), [
        seeded([2, 10, 10, 8], 14),
      ]),
      ...withGradients((x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"), [
        seeded([2, 5, 5, 16], 15),
      ]),
      ...withGradients((x) => tf.reshape(x, [2, -1]), [seeded([2, 5, 5, 16], 16)]),
    ]),
);

testOnWebGpu(
  "five Adam steps move the weights as on cpu",
  () =>
    assertWebGpuMatchesCpu("adam", () => {
      const start = seeded([40, 3], 17);
      const weights = tf.variable(start);
      const target = seeded([40, 3], 18);
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 5; step++) {
        optimizer.minimize(() => tf.sum(tf.square(tf.sub(weights, target))));
      }
      const moved = tf.sub(weights, start);
      optimizer.dispose();
      weights.dispose();
      return [moved];
    }),
);

/** A batch of random images and one-hot labels. */
function randomBatch(size: number, seed: number): [tf.Tensor, tf.Tensor] {
  const x = tf.tensor4d(seededValues(size * 784, seed).map((v) => (v + 1) / 2), [size, 28, 28, 1]);
  const labels = tf.tensor1d(Array.from({ length: size }, (_, i) => (i * 7 + seed) % 10), "int32");
  return [x, tf.tidy(() => tf.oneHot(labels, 10).toFloat())];
}

/** Losses and weights after two training steps of a fresh model on `backend`. */
async function trainTwoSteps(
  backend: "cpu" | "webgpu",
  create: typeof createMlp,
  batchSize: number,
): Promise<{ losses: number[]; weights: Float32Array[]; leaked: number }> {
  await setupBackend({ backend });
  const model = compileLayersModel(create({ seed: 1 }), { learningRate: 1e-3 });
  const [x, y] = randomBatch(batchSize, 3);
  const losses = [(await model.trainOnBatch(x, y) as number[])[0]];
  const tensors = tf.memory().numTensors;
  losses.push((await model.trainOnBatch(x, y) as number[])[0]);
  const leaked = tf.memory().numTensors - tensors;
  const weights = await Promise.all(
    model.getWeights().map((w) => w.data() as Promise<Float32Array>),
  );
  tf.dispose([x, y]);
  model.optimizer.dispose();
  model.dispose();
  return { losses, weights, leaked };
}

/**
 * Adam's first steps move every weight by about the learning rate whatever
 * the gradient's size, so a gradient near Adam's epsilon (1e-7) that rounds
 * differently moves its weight differently: no bound follows from float32
 * rounding alone. 1e-3 of the weights' root mean square (about 5e-5 here)
 * is twenty times below one step of 1e-3, so a wrong gradient still fails.
 * Measured on lavapipe: at most 3.5e-4 (the MLP's first layer) and 1e-4 (the
 * CNN's dense layer), most layers below 2e-5.
 */
const STEP_TOLERANCE = 1e-3;

for (const [name, create, batchSize] of [["mlp", createMlp, 16], ["cnn", createCnn, 4]] as const) {
  testOnWebGpu(
    `two ${name} training steps on webgpu match cpu and leave no tensor behind`,
    async () => {
      // The wasm set-up installs the fused Adam and ReLU gradient; webgpu must not use them.
      await setupBackend({ backend: "wasm" });
      const expected = await trainTwoSteps("cpu", create, batchSize);
      const actual = await trainTwoSteps("webgpu", create, batchSize);
      assertClose(
        new Float32Array(actual.losses),
        new Float32Array(expected.losses),
        `${name} losses`,
        OP_TOLERANCE,
      );
      expected.weights.forEach((values, i) =>
        assertClose(actual.weights[i], values, `${name} weights ${i}`, STEP_TOLERANCE)
      );
      assert.equal(actual.leaked, 0, "tensors left after a second step on webgpu");
    },
  );
}
