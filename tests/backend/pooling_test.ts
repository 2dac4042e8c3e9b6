import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  assertClose,
  assertMatchesCpu,
  assertThreadedMatchesCpu,
  seededValues,
  setupPath,
  testFastPaths,
  valuesOn,
} from "../helpers/backend_compare.ts";

type Pad = "valid" | "same";

/** Max-pool gradient of `x` through pool `size`, `strides`, `pad`. */
function poolGradient(x: tf.Tensor4D, size: number, strides: number, pad: Pad): tf.Tensor[] {
  const y = tf.maxPool(x, size, strides, pad);
  const dy = tf.tensor(seededValues(y.size, 9), y.shape);
  const dx = tf.grad((a: tf.Tensor) =>
    tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, pad), dy))
  )(x);
  return [y, dx];
}

const INPUTS: Record<string, (shape: [number, number, number, number]) => tf.Tensor4D> = {
  "mixed-sign": (shape) => tf.tensor4d(seededValues(shape.reduce((a, b) => a * b), 5), shape),
  "all non-positive": (shape) =>
    tf.neg(tf.abs(tf.tensor4d(seededValues(shape.reduce((a, b) => a * b), 6), shape))),
  "ReLU-like with ties at zero": (shape) =>
    tf.relu(tf.tensor4d(seededValues(shape.reduce((a, b) => a * b), 7), shape)),
};

for (const [size, strides] of [[2, 2], [3, 2], [2, 1], [3, 3]]) {
  for (const pad of ["valid", "same"] as const) {
    for (const [kind, make] of Object.entries(INPUTS)) {
      const label = `maxPool ${size}x${size} strides ${strides} ${pad}, ${kind} inputs`;
      testFastPaths(
        `${label}: gradient matches cpu`,
        (path) =>
          assertMatchesCpu(path, label, () => poolGradient(make([2, 7, 6, 6]), size, strides, pad)),
      );
    }
  }
}

testFastPaths("each 2x2 window with a NaN or only -Infinity follows cpu's rule", async (path) => {
  const values = seededValues(2 * 4 * 4 * 2, 3);
  values.set([NaN, -Infinity], 0);
  values.set([2, 1], 4);
  values.set([NaN, 0.5], 12);
  values.set([3, Infinity], 14);
  values.set([-Infinity, -Infinity], 8);
  values.set([-Infinity, -Infinity], 2);
  values.set([-Infinity, -Infinity], 10);
  const compute = () => {
    const x = tf.tensor4d(values, [2, 4, 4, 2]);
    const dy = tf.ones([2, 2, 2, 2]);
    return [
      tf.maxPool(x, 2, 2, "valid"),
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, "valid"), dy)))(x),
    ];
  };
  const expected = await valuesOn("cpu", compute);
  const actual = await valuesOn(path, compute);
  expected.forEach((values, i) =>
    assertClose(actual[i], values, `maxPool ${i} with NaN and -Infinity`)
  );
});

testFastPaths(
  "windows sprinkled with NaN and -Infinity, 4 channels at a time, follow cpu's rule",
  async (path) => {
    const values = seededValues(2 * 6 * 6 * 8, 4);
    for (let i = 0; i < values.length; i += 7) values[i] = NaN;
    for (let i = 3; i < values.length; i += 11) values[i] = -Infinity;
    for (const pixel of [0, 1, 6, 7]) values.fill(-Infinity, pixel * 8, pixel * 8 + 8);
    const compute = () => [
      ...poolGradient(tf.tensor4d(values, [2, 6, 6, 8]), 2, 2, "valid"),
      ...poolGradient(tf.tensor4d(values, [2, 6, 6, 8]), 3, 2, "same"),
    ];
    const expected = await valuesOn("cpu", compute);
    const actual = await valuesOn(path, compute);
    expected.forEach((values, i) =>
      assertClose(actual[i], values, `pooling output or gradient ${i} with NaN and -Infinity`)
    );
  },
);

testFastPaths(
  "a 2x2 pool that tiles its input exactly fills every gradient",
  (path) =>
    assertMatchesCpu(path, "exact tiling", () => {
      const x = tf.tensor4d(seededValues(3 * 8 * 6 * 8, 12), [3, 8, 6, 8]);
      // Twice, so that the second output may reuse the first one's memory.
      return [poolGradient(x, 2, 2, "valid")[1], poolGradient(tf.neg(x), 2, 2, "same")[1]];
    }),
);

/** Gradient of sum(maxPool(relu(x + bias)) * dy) for x and bias, as the CNN's layers make it. */
function reluPoolGradient(shape: [number, number, number, number]): tf.Tensor[] {
  const x = tf.tensor4d(seededValues(shape.reduce((a, b) => a * b), 11), shape);
  const bias = tf.tensor1d(seededValues(shape[3], 12));
  const pooled = tf.maxPool(x, 2, 2, "valid");
  const dy = tf.tensor(seededValues(pooled.size, 13), pooled.shape);
  const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.maxPool(tf.relu(tf.add(a, b)) as tf.Tensor4D, 2, 2, "valid"), dy))
  )([x, bias]);
  return gradients;
}

for (const shape of [[2, 6, 6, 8], [2, 7, 5, 8]] as [number, number, number, number][]) {
  testFastPaths(
    `ReLU's gradient made inside a 2x2 pool's gradient matches cpu (${shape.join("x")})`,
    (path) => assertMatchesCpu(path, "relu then pool", () => reluPoolGradient(shape)),
  );
}

testFastPaths(
  "at a size split across threads, pools and their gradients match cpu and repeat bit for bit",
  async (path) => {
    const shape: [number, number, number, number] = [6, 32, 32, 16];
    await assertThreadedMatchesCpu(path, "relu then pool", () => reluPoolGradient(shape));
    const x = () => INPUTS["mixed-sign"](shape);
    await assertThreadedMatchesCpu(path, "3x3 pool", () => poolGradient(x(), 3, 2, "same"));
  },
);

testFastPaths(
  "pool gradients of a ReLU output whose ReLU gradient nobody asks for keep no memory",
  async (path) => {
    await setupPath(path);
    const x = tf.relu(tf.tensor4d(seededValues(2 * 6 * 6 * 8, 14), [2, 6, 6, 8]));
    const poolGradient = tf.grad((r: tf.Tensor) =>
      tf.sum(tf.maxPool(r as tf.Tensor4D, 2, 2, "valid"))
    );
    // Up to two unclaimed ReLU gradients wait for a ReLU gradient kernel, the
    // oldest freed when a third comes: three calls fill the places.
    for (let i = 0; i < 3; i++) poolGradient(x).dispose();
    const dataBefore = tf.engine().backend.numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) poolGradient(x).dispose();
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.engine().backend.numDataIds(), dataBefore, "heap buffers after warm-up");
    x.dispose();
  },
);

testFastPaths(
  "the bias gradient made inside the pool gradient equals the Sum kernel's bit for bit",
  async (path) => {
    await setupPath(path);
    const [xGradient, biasGradient] = reluPoolGradient([3, 9, 7, 8]);
    const summed = tf.sum(xGradient, [0, 1, 2]);
    assert.deepEqual(Array.from(biasGradient.dataSync()), Array.from(summed.dataSync()));
    tf.dispose([xGradient, biasGradient, summed]);
  },
);

testFastPaths(
  "a 2x2 pool recorded for its gradient gives the outputs and gradients of the unrecorded scan, bit for bit",
  async (path) => {
    await setupPath(path);
    for (const shape of [[2, 6, 6, 8], [3, 7, 5, 16]] as [number, number, number, number][]) {
      const values = seededValues(shape.reduce((a, b) => a * b), 21);
      for (let i = 0; i < values.length; i += 13) values[i] = NaN;
      for (let i = 5; i < values.length; i += 17) values[i] = -Infinity;
      for (let i = 2; i < values.length; i += 3) values[i] = 0;
      values.fill(-Infinity, 0, 2 * shape[2] * shape[3]);
      const x = tf.tensor4d(values, shape);
      // Outside tf.grad nothing is recorded: the gradient kernel scans the input.
      const scannedOutput = tf.maxPool(x, 2, 2, "valid");
      const dy = tf.tensor(seededValues(scannedOutput.size, 22), scannedOutput.shape);
      const attrs = { filterSize: [2, 2], strides: [2, 2], pad: "valid" };
      const scanned = tf.engine().runKernel(
        "MaxPoolGrad",
        { dy, input: x, output: scannedOutput },
        attrs,
      ) as tf.Tensor;
      let recordedOutput: tf.Tensor | undefined;
      const recorded = tf.grad((a: tf.Tensor) => {
        recordedOutput = tf.keep(tf.maxPool(a as tf.Tensor4D, 2, 2, "valid"));
        return tf.sum(tf.mul(recordedOutput, dy));
      })(x);
      const label = shape.join("x");
      assert.deepEqual(
        Array.from(recordedOutput!.dataSync()),
        Array.from(scannedOutput.dataSync()),
        `outputs ${label}`,
      );
      assert.deepEqual(
        Array.from(recorded.dataSync()),
        Array.from(scanned.dataSync()),
        `gradients ${label}`,
      );
      tf.dispose([x, scannedOutput, dy, scanned, recordedOutput!, recorded]);
    }
  },
);
