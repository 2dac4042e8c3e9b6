/**
 * The range checks every folder makes of a numeric option, with one
 * message form: `Cannot <action>: <name> is <value>, expected ...`.
 *
 * @module
 */

/** What a check names in its message. */
export interface CheckContext {
  /** What was being done, as the message's verb phrase ("create Adam"). */
  action: string;
  /** The option's name ("learningRate"). */
  name: string;
}

/**
 * Throws unless `value` is a finite number above 0.
 *
 * @throws {RangeError} `Cannot <action>: <name> is <value>, expected a positive finite number`.
 *
 * @example
 * ```ts
 * checkPositiveNumber(1e-3, { action: "create Adam", name: "learningRate" });
 * ```
 */
export function checkPositiveNumber(value: number, context: CheckContext): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `Cannot ${context.action}: ${context.name} is ${value}, expected a positive finite number`,
    );
  }
}

/**
 * Throws unless `value` is a whole number of at least 1.
 *
 * @throws {RangeError} `Cannot <action>: <name> is <value>, expected a positive integer`.
 *
 * @example
 * ```ts
 * checkPositiveInteger(64, { action: "train", name: "batchSize" });
 * ```
 */
export function checkPositiveInteger(value: number, context: CheckContext): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Cannot ${context.action}: ${context.name} is ${value}, expected a positive integer`,
    );
  }
}
