import assert from "node:assert/strict";
import { checkPositiveInteger, checkPositiveNumber } from "../lib/checks.ts";

Deno.test("checkPositiveNumber accepts finite numbers above 0 and names what it refuses", () => {
  checkPositiveNumber(1e-9, { action: "create Adam", name: "learningRate" });
  for (const value of [0, -1, NaN, Infinity]) {
    assert.throws(() => checkPositiveNumber(value, { action: "create Adam", name: "epsilon" }), {
      name: "RangeError",
      message: `Cannot create Adam: epsilon is ${value}, expected a positive finite number`,
    });
  }
});

Deno.test("checkPositiveInteger accepts whole numbers from 1 and names what it refuses", () => {
  checkPositiveInteger(1, { action: "train", name: "epochs" });
  for (const value of [0, 1.5, -2, NaN]) {
    assert.throws(() => checkPositiveInteger(value, { action: "train", name: "epochs" }), {
      name: "RangeError",
      message: `Cannot train: epochs is ${value}, expected a positive integer`,
    });
  }
});
