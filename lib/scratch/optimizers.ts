/**
 * Gradient-descent optimizers for the from-scratch MLP: Adam, and SGD with
 * momentum. Each keeps its state in buffers allocated once, beside the
 * parameters it updates, and updates them in place.
 *
 * @module
 */
import { checkPositiveNumber } from "../checks.ts";

/** The optimizers the from-scratch MLP can train with. */
export type ScratchOptimizerId = "adam" | "sgd";

/** Updates a fixed list of parameter arrays from gradients of the same shapes. */
export interface ScratchOptimizer {
  /** Which rule this is. */
  readonly id: ScratchOptimizerId;
  /**
   * The step size of the steps from now on; a learning-rate schedule lowers
   * it between epochs. Setting it keeps the running moments.
   *
   * @throws {RangeError} when set to a number that is not finite and > 0.
   */
  learningRate: number;
  /** Takes one step: changes every parameter using its gradient (same order, same lengths). */
  step(gradients: readonly Float32Array[]): void;
}

/** Options for {@linkcode createAdam}; the defaults are those of Keras and tfjs. */
export interface AdamOptions {
  /** Step size α. Default 1e-3. */
  learningRate?: number;
  /** Decay β1 of the running mean of gradients. Default 0.9. */
  beta1?: number;
  /** Decay β2 of the running mean of squared gradients. Default 0.999. */
  beta2?: number;
  /** ε, which keeps the division finite. Default 1e-7, as in Keras and tfjs. */
  epsilon?: number;
}

/** Options for {@linkcode createSgd}. */
export interface SgdOptions {
  /** Step size η. Default 1e-2. */
  learningRate?: number;
  /** Momentum μ, the fraction of the last step kept. Default 0.9. */
  momentum?: number;
}

/**
 * An optimizer's `step` around a learning rate that can be changed between
 * steps, checked as it is set.
 */
function withLearningRate(
  id: ScratchOptimizerId,
  initial: number,
  step: (gradients: readonly Float32Array[], learningRate: number) => void,
): ScratchOptimizer {
  const action = `set the learning rate of ${id === "adam" ? "Adam" : "SGD"}`;
  let learningRate = initial;
  return {
    id,
    get learningRate(): number {
      return learningRate;
    },
    set learningRate(value: number) {
      checkPositiveNumber(value, { action, name: "learningRate" });
      learningRate = value;
    },
    step: (gradients) => step(gradients, learningRate),
  };
}

function checkFraction(action: string, name: string, value: number): void {
  if (!(value >= 0 && value < 1)) {
    throw new RangeError(
      `Cannot create ${action}: ${name} is ${value}, expected a number in [0, 1)`,
    );
  }
}

/** Throws unless each gradient matches its parameter; a plain loop, as it runs every step. */
function checkGradients(
  parameters: readonly Float32Array[],
  gradients: readonly Float32Array[],
): void {
  let matches = gradients.length === parameters.length;
  for (let p = 0; matches && p < parameters.length; p++) {
    matches = gradients[p].length === parameters[p].length;
  }
  if (!matches) {
    const found = gradients.map((gradient) => gradient.length);
    const expected = parameters.map((values) => values.length);
    throw new RangeError(
      `Cannot take an optimizer step: gradient sizes are [${found}], expected [${expected}]`,
    );
  }
}

/**
 * Creates Adam for `parameters`. With g the gradient and t the step count:
 * `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²` (running means of g and g²),
 * `m̂ = m / (1-β1^t)`, `v̂ = v / (1-β2^t)` (undoing their bias towards the
 * zero start), then `θ -= α · m̂ / (√v̂ + ε)`: each parameter moves by about
 * α, whatever the scale of its gradient.
 *
 * @example
 * ```ts
 * const network = createScratchMlp();
 * const adam = createAdam(listParameters(network), { learningRate: 1e-3 });
 * adam.step(workspace.gradients);
 * ```
 */
export function createAdam(
  parameters: readonly Float32Array[],
  options: AdamOptions = {},
): ScratchOptimizer {
  const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = options;
  checkPositiveNumber(learningRate, { action: "create Adam", name: "learningRate" });
  checkFraction("Adam", "beta1", beta1);
  checkFraction("Adam", "beta2", beta2);
  checkPositiveNumber(epsilon, { action: "create Adam", name: "epsilon" });
  const means = parameters.map((values) => new Float32Array(values.length));
  const squares = parameters.map((values) => new Float32Array(values.length));
  let t = 0;
  const step = (gradients: readonly Float32Array[], learningRate: number): void => {
    checkGradients(parameters, gradients);
    t++;
    const meanCorrection = 1 / (1 - beta1 ** t), squareCorrection = 1 / (1 - beta2 ** t);
    for (let p = 0; p < parameters.length; p++) {
      const theta = parameters[p], g = gradients[p], m = means[p], v = squares[p];
      for (let i = 0; i < theta.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        const mHat = m[i] * meanCorrection, vHat = v[i] * squareCorrection;
        theta[i] -= learningRate * mHat / (Math.sqrt(vHat) + epsilon);
      }
    }
  };
  return withLearningRate("adam", learningRate, step);
}

/**
 * Creates SGD with momentum for `parameters`, in the Keras form:
 * `velocity = μ·velocity - η·g`, then `θ += velocity`. The velocity
 * averages recent gradients, which damps zig-zags across narrow valleys.
 * With μ = 0 this is plain gradient descent, `θ -= η·g`.
 *
 * @example
 * ```ts
 * const sgd = createSgd(listParameters(network), { learningRate: 0.01, momentum: 0.9 });
 * sgd.step(workspace.gradients);
 * ```
 */
export function createSgd(
  parameters: readonly Float32Array[],
  options: SgdOptions = {},
): ScratchOptimizer {
  const { learningRate = 1e-2, momentum = 0.9 } = options;
  checkPositiveNumber(learningRate, { action: "create SGD", name: "learningRate" });
  checkFraction("SGD", "momentum", momentum);
  const velocities = parameters.map((values) => new Float32Array(values.length));
  const step = (gradients: readonly Float32Array[], learningRate: number): void => {
    checkGradients(parameters, gradients);
    for (let p = 0; p < parameters.length; p++) {
      const theta = parameters[p], g = gradients[p], velocity = velocities[p];
      for (let i = 0; i < theta.length; i++) {
        velocity[i] = momentum * velocity[i] - learningRate * g[i];
        theta[i] += velocity[i];
      }
    }
  };
  return withLearningRate("sgd", learningRate, step);
}
