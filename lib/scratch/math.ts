/**
 * The arithmetic of a dense network, one small function per formula.
 *
 * A matrix is a row-major `Float32Array` with its row and column counts;
 * `data` may be longer than `rows * cols` so that one buffer, sized for a full
 * batch, also serves the shorter last batch. Every function writes into
 * buffers it is given and allocates nothing, because training calls them
 * thousands of times per epoch.
 *
 * @module
 */

/** A row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  /** The elements, row after row; may be longer than `rows * cols`. */
  data: Float32Array;
  /** Rows in use; a batch buffer shrinks this for the last, shorter batch. */
  rows: number;
  /** Columns. */
  cols: number;
}

/** Where a function writes its result matrix, like NumPy's `out=`. */
export interface OutputOptions {
  /** The matrix that receives the result; its previous contents are overwritten. */
  out: Matrix;
}

/**
 * Creates a zero matrix of the given shape.
 *
 * @example
 * ```ts
 * const m = createMatrix(2, 3); // m.data.length === 6
 * ```
 */
export function createMatrix(rows: number, cols: number): Matrix {
  return { data: new Float32Array(rows * cols), rows, cols };
}

/** The error for mismatched shapes; built only when thrown, so checks cost nothing. */
function shapeError(
  action: string,
  found: number[],
  expected: number[],
): RangeError {
  return new RangeError(
    `Cannot ${action}: sizes are [${found}], expected [${expected}]`,
  );
}

/**
 * Matrix product `out = a · b`, that is `out[i][j] = Σ_k a[i][k] · b[k][j]`,
 * for `a` of shape [n, k] and `b` of shape [k, m].
 *
 * The loops run i, k, j so that the innermost one walks a row of `b` and a
 * row of `out` in memory order. A zero `a[i][k]` adds nothing and is
 * skipped: most MNIST pixels are background and half the ReLU outputs are
 * zero, so this saves most of the work of the first layers.
 *
 * @example
 * ```ts
 * const out = createMatrix(1, 1);
 * matmul({ data: Float32Array.of(1, 2), rows: 1, cols: 2 },
 *   { data: Float32Array.of(3, 4), rows: 2, cols: 1 }, { out }); // out.data[0] === 11
 * ```
 */
export function matmul(a: Matrix, b: Matrix, { out }: OutputOptions): void {
  const n = a.rows, inner = a.cols, m = b.cols;
  if (b.rows !== inner || out.rows !== n || out.cols !== m) {
    throw shapeError("multiply a · b", [b.rows, out.rows, out.cols], [
      inner,
      n,
      m,
    ]);
  }
  const A = a.data, B = b.data, C = out.data;
  C.fill(0, 0, n * m);
  for (let i = 0; i < n; i++) {
    const rowA = i * inner, rowC = i * m;
    for (let k = 0; k < inner; k++) {
      const aik = A[rowA + k];
      if (aik === 0) continue;
      const rowB = k * m;
      for (let j = 0; j < m; j++) C[rowC + j] += aik * B[rowB + j];
    }
  }
}

/**
 * Product with the first factor transposed, `out = aᵀ · b`, that is
 * `out[k][j] = Σ_i a[i][k] · b[i][j]`, for `a` of shape [n, k] and `b` of
 * shape [n, m]. With `a` a layer's input and `b` the loss gradient at its
 * output, this is the weight gradient dL/dW, summed over the batch.
 *
 * Loops run i, k, j (each sample adds `a[i][k] · b[i]` to row k of `out`),
 * so the inner loop is again contiguous, and zero inputs are skipped.
 *
 * @example
 * ```ts
 * const out = createMatrix(2, 1);
 * matmulTransposeA({ data: Float32Array.of(1, 2), rows: 1, cols: 2 },
 *   { data: Float32Array.of(3), rows: 1, cols: 1 }, { out }); // out.data is [3, 6]
 * ```
 */
export function matmulTransposeA(
  a: Matrix,
  b: Matrix,
  { out }: OutputOptions,
): void {
  const n = a.rows, inner = a.cols, m = b.cols;
  if (b.rows !== n || out.rows !== inner || out.cols !== m) {
    throw shapeError("multiply aᵀ · b", [b.rows, out.rows, out.cols], [
      n,
      inner,
      m,
    ]);
  }
  const A = a.data, B = b.data, C = out.data;
  C.fill(0, 0, inner * m);
  for (let i = 0; i < n; i++) {
    const rowA = i * inner, rowB = i * m;
    for (let k = 0; k < inner; k++) {
      const aik = A[rowA + k];
      if (aik === 0) continue;
      const rowC = k * m;
      for (let j = 0; j < m; j++) C[rowC + j] += aik * B[rowB + j];
    }
  }
}

/**
 * Product with the second factor transposed, `out = a · bᵀ`, that is
 * `out[i][k] = Σ_j a[i][j] · b[k][j]`, for `a` of shape [n, m] and `b` of
 * shape [k, m]. With `a` the loss gradient at a layer's output and `b` its
 * weights, this carries the gradient back to the layer's input.
 *
 * Each element is a dot product of two rows, both read in memory order.
 *
 * @example
 * ```ts
 * const out = createMatrix(1, 1);
 * matmulTransposeB({ data: Float32Array.of(1, 2), rows: 1, cols: 2 },
 *   { data: Float32Array.of(3, 4), rows: 1, cols: 2 }, { out }); // out.data[0] === 11
 * ```
 */
export function matmulTransposeB(
  a: Matrix,
  b: Matrix,
  { out }: OutputOptions,
): void {
  const n = a.rows, m = a.cols, k = b.rows;
  if (b.cols !== m || out.rows !== n || out.cols !== k) {
    throw shapeError("multiply a · bᵀ", [b.cols, out.rows, out.cols], [
      m,
      n,
      k,
    ]);
  }
  const A = a.data, B = b.data, C = out.data;
  for (let i = 0; i < n; i++) {
    const rowA = i * m, rowC = i * k;
    for (let r = 0; r < k; r++) {
      const rowB = r * m;
      let sum = 0;
      for (let j = 0; j < m; j++) sum += A[rowA + j] * B[rowB + j];
      C[rowC + r] = sum;
    }
  }
}

/**
 * Adds a bias to every row, in place: `z[i][j] += bias[j]`.
 *
 * @example
 * ```ts
 * const z = { data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 };
 * addBias(z, Float32Array.of(10, 20)); // z.data is [11, 22, 13, 24]
 * ```
 */
export function addBias(z: Matrix, bias: Float32Array): void {
  if (bias.length !== z.cols) {
    throw shapeError("add a bias", [bias.length], [z.cols]);
  }
  const Z = z.data, m = z.cols;
  for (let i = 0; i < z.rows; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) Z[row + j] += bias[j];
  }
}

/**
 * Sums each column over the rows: `out[j] = Σ_i a[i][j]`. With `a` the loss
 * gradient at a layer's output, this is the bias gradient dL/db.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * sumColumns({ data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 }, out); // [4, 6]
 * ```
 */
export function sumColumns(a: Matrix, out: Float32Array): void {
  if (out.length !== a.cols) {
    throw shapeError("sum columns", [out.length], [a.cols]);
  }
  const A = a.data, m = a.cols;
  out.fill(0);
  for (let i = 0; i < a.rows; i++) {
    const row = i * m;
    for (let j = 0; j < m; j++) out[j] += A[row + j];
  }
}

/**
 * The rectified linear unit, in place: `z = max(z, 0)`.
 *
 * @example
 * ```ts
 * const z = { data: Float32Array.of(-1, 2), rows: 1, cols: 2 };
 * relu(z); // z.data is [0, 2]
 * ```
 */
export function relu(z: Matrix): void {
  const Z = z.data, size = z.rows * z.cols;
  for (let i = 0; i < size; i++) if (Z[i] < 0) Z[i] = 0;
}

/**
 * Back-propagates through ReLU, in place: `gradient *= relu'(z)`, where
 * `relu'(z) = 1 if z > 0, else 0`. Since `relu(z) > 0` exactly when
 * `z > 0`, the layer's output `activation` stands in for z.
 *
 * @example
 * ```ts
 * const gradient = { data: Float32Array.of(5, 7), rows: 1, cols: 2 };
 * reluBackward(gradient, { data: Float32Array.of(0, 3), rows: 1, cols: 2 }); // [0, 7]
 * ```
 */
export function reluBackward(gradient: Matrix, activation: Matrix): void {
  if (activation.rows !== gradient.rows || activation.cols !== gradient.cols) {
    const found = [activation.rows, activation.cols];
    throw shapeError("apply relu'", found, [gradient.rows, gradient.cols]);
  }
  const G = gradient.data, H = activation.data, size = gradient.rows * gradient.cols;
  for (let i = 0; i < size; i++) if (H[i] <= 0) G[i] = 0;
}

/**
 * Turns one row of logits into probabilities in place,
 * `p_j = exp(z_j - max z) / Σ_l exp(z_l - max z)`, and returns
 * `log Σ_l exp(z_l)`. Subtracting the maximum first keeps exp from
 * overflowing without changing the result.
 */
function softmaxRow(Z: Float32Array, start: number, cols: number): number {
  let max = -Infinity;
  for (let j = start; j < start + cols; j++) if (Z[j] > max) max = Z[j];
  let sum = 0;
  for (let j = start; j < start + cols; j++) {
    const e = Math.exp(Z[j] - max);
    Z[j] = e;
    sum += e;
  }
  for (let j = start; j < start + cols; j++) Z[j] /= sum;
  return max + Math.log(sum);
}

/**
 * Softmax of each row, in place: `p[i][j] = exp(z[i][j]) / Σ_l exp(z[i][l])`.
 *
 * @example
 * ```ts
 * const z = { data: Float32Array.of(0, 0), rows: 1, cols: 2 };
 * softmax(z); // z.data is [0.5, 0.5]
 * ```
 */
export function softmax(z: Matrix): void {
  for (let i = 0; i < z.rows; i++) softmaxRow(z.data, i * z.cols, z.cols);
}

/**
 * Softmax and cross-entropy fused: turns each row of logits into
 * probabilities in place and returns the summed loss
 * `Σ_i -log p[i][y_i] = Σ_i (log Σ_l exp(z[i][l]) - z[i][y_i])`.
 * Computed from the logits this way, the loss stays finite even when a
 * probability rounds to zero.
 *
 * @example
 * ```ts
 * const z = { data: Float32Array.of(0, 0), rows: 1, cols: 2 };
 * softmaxCrossEntropy(z, Uint8Array.of(1)); // Math.LN2, and z.data is [0.5, 0.5]
 * ```
 */
export function softmaxCrossEntropy(
  logits: Matrix,
  labels: Uint8Array,
): number {
  if (labels.length < logits.rows) {
    throw shapeError("compute cross-entropy", [labels.length], [logits.rows]);
  }
  const Z = logits.data, m = logits.cols;
  let loss = 0;
  for (let i = 0; i < logits.rows; i++) {
    const start = i * m;
    const target = Z[start + labels[i]];
    loss += softmaxRow(Z, start, m) - target;
  }
  return loss;
}

/**
 * Gradient of the mean cross-entropy with respect to the logits:
 * `out = (p - y) / n`, with y the one-hot labels and n the batch size.
 * Fusing softmax with cross-entropy gives this simple, stable form.
 *
 * @example
 * ```ts
 * const out = createMatrix(1, 2);
 * softmaxCrossEntropyGradient({ data: Float32Array.of(0.25, 0.75), rows: 1, cols: 2 },
 *   Uint8Array.of(1), { out }); // out.data is [0.25, -0.25]
 * ```
 */
export function softmaxCrossEntropyGradient(
  probabilities: Matrix,
  labels: Uint8Array,
  { out }: OutputOptions,
): void {
  const n = probabilities.rows, m = probabilities.cols;
  if (out.rows !== n || out.cols !== m || labels.length < n) {
    const found = [out.rows, out.cols, labels.length];
    throw shapeError("compute the softmax gradient", found, [n, m, n]);
  }
  const P = probabilities.data, G = out.data;
  for (let i = 0; i < n * m; i++) G[i] = P[i] / n;
  for (let i = 0; i < n; i++) G[i * m + labels[i]] -= 1 / n;
}

/**
 * Counts the rows whose largest probability is at the label's index.
 *
 * @example
 * ```ts
 * countCorrect({ data: Float32Array.of(0.9, 0.1, 0.3, 0.7), rows: 2, cols: 2 },
 *   Uint8Array.of(0, 0)); // 1
 * ```
 */
export function countCorrect(
  probabilities: Matrix,
  labels: Uint8Array,
): number {
  const P = probabilities.data, m = probabilities.cols;
  let correct = 0;
  for (let i = 0; i < probabilities.rows; i++) {
    let best = 0;
    for (let j = 1; j < m; j++) if (P[i * m + j] > P[i * m + best]) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}
