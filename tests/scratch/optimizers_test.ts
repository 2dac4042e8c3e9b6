import assert from "node:assert/strict";
import { createAdam, createSgd } from "../../lib/scratch/optimizers.ts";

Deno.test("Adam's first step moves each parameter by about the learning rate, against its gradient", () => {
  const theta = Float32Array.of(1, -2, 0.5);
  createAdam([theta], { learningRate: 0.01 }).step([Float32Array.of(0.5, -30, 1e-4)]);
  // m̂ = g and v̂ = g² after one step, so the step is α · g / (|g| + ε).
  const expected = [1 - 0.01, -2 + 0.01, 0.5 - 0.01 * 1e-4 / (1e-4 + 1e-7)];
  theta.forEach((value, i) =>
    assert.ok(Math.abs(value - expected[i]) < 1e-6, `${value} vs ${expected[i]}`)
  );
});

Deno.test("SGD with momentum follows velocity = μ·velocity - η·g, θ += velocity", () => {
  const theta = Float32Array.of(1);
  const sgd = createSgd([theta], { learningRate: 0.1, momentum: 0.5 });
  sgd.step([Float32Array.of(2)]); // velocity -0.2
  sgd.step([Float32Array.of(2)]); // velocity 0.5 · -0.2 - 0.2 = -0.3
  assert.ok(Math.abs(theta[0] - 0.5) < 1e-6);
});

Deno.test("a new learning rate takes effect at the next step and keeps the running moments", () => {
  const theta = Float32Array.of(1);
  const sgd = createSgd([theta], { learningRate: 0.1, momentum: 0.5 });
  sgd.step([Float32Array.of(2)]); // velocity -0.2, θ 0.8
  sgd.learningRate = 0.01;
  assert.equal(sgd.learningRate, 0.01);
  sgd.step([Float32Array.of(2)]); // velocity 0.5 · -0.2 - 0.01 · 2 = -0.12, θ 0.68
  assert.ok(Math.abs(theta[0] - 0.68) < 1e-6, `${theta[0]}`);
  const adam = createAdam([theta], { learningRate: 0.1 });
  adam.learningRate = 0.001;
  adam.step([Float32Array.of(-3)]); // the first step moves by the learning rate
  assert.ok(Math.abs(theta[0] - 0.681) < 1e-6, `${theta[0]}`);
  assert.throws(
    () => (adam.learningRate = 0),
    /Cannot set the learning rate of Adam: learningRate is 0, expected a positive finite number/,
  );
  assert.equal(adam.learningRate, 0.001);
});

/** f(θ) = Σ c_i (θ_i - target_i)², an ill-conditioned bowl. */
function bowl(theta: Float32Array, gradient: Float32Array): number {
  let loss = 0;
  theta.forEach((value, i) => {
    const curvature = 10 ** (i % 3) / 10, difference = value - (i - 2);
    loss += curvature * difference * difference;
    gradient[i] = 2 * curvature * difference;
  });
  return loss;
}

for (const optimizer of ["adam", "sgd"] as const) {
  Deno.test(`${optimizer} reduces the loss of an ill-conditioned bowl a hundredfold`, () => {
    const theta = new Float32Array(6), gradient = new Float32Array(6);
    const step = optimizer === "adam"
      ? createAdam([theta], { learningRate: 0.05 })
      : createSgd([theta], { learningRate: 0.04, momentum: 0.9 });
    const initial = bowl(theta, gradient);
    for (let i = 0; i < 300; i++) {
      bowl(theta, gradient);
      step.step([gradient]);
    }
    const final = bowl(theta, gradient);
    assert.ok(final < initial / 100, `loss ${initial} -> ${final}`);
  });
}

Deno.test("optimizers reject bad settings and mismatched gradients", () => {
  assert.throws(
    () => createAdam([], { learningRate: 0 }),
    new RangeError("Cannot create Adam: learningRate is 0, expected a positive finite number"),
  );
  assert.throws(
    () => createSgd([], { momentum: 1 }),
    new RangeError("Cannot create SGD: momentum is 1, expected a number in [0, 1)"),
  );
  assert.throws(
    () => createAdam([new Float32Array(3)]).step([new Float32Array(2)]),
    new RangeError("Cannot take an optimizer step: gradient sizes are [2], expected [3]"),
  );
});
