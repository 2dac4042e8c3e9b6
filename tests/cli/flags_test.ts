import assert from "node:assert/strict";
import {
  parseChoice,
  parseNonEmpty,
  parsePositive,
  parseWholeNumber,
  readFlags,
  UsageError,
} from "../../lib/cli/flags.ts";

const OPTIONS = {
  out: { type: "string", default: "out/" },
  quick: { type: "boolean", default: false },
} as const;

Deno.test("readFlags reads defaults, values and, when allowed, stray arguments", () => {
  assert.deepEqual({ ...readFlags([], OPTIONS).values }, { out: "out/", quick: false });
  const { values, positionals } = readFlags(["--out", "x", "--quick", "a.ipynb"], OPTIONS, {
    allowPositionals: true,
  });
  assert.deepEqual({ ...values }, { out: "x", quick: true });
  assert.deepEqual(positionals, ["a.ipynb"]);
});

Deno.test("readFlags joins a negative value to its flag, but not to a switch", () => {
  assert.equal(readFlags(["--out", "-3"], OPTIONS).values.out, "-3");
  assert.throws(() => readFlags(["--quick", "-3"], OPTIONS), {
    name: "UsageError",
    message: "Unknown option '-3'",
  });
});

Deno.test("readFlags turns parseArgs errors into one-line usage errors", () => {
  assert.throws(() => readFlags(["--fast"], OPTIONS), new UsageError("Unknown option '--fast'"));
  // With positionals allowed, parseArgs adds advice about "--" that a mistyped flag does not need.
  assert.throws(
    () => readFlags(["--fast", "a.png"], OPTIONS, { allowPositionals: true }),
    new UsageError("Unknown option '--fast'"),
  );
  assert.throws(() => readFlags(["a.ipynb"], OPTIONS), {
    name: "UsageError",
    message: "Unexpected argument 'a.ipynb'. This command does not take positional arguments",
  });
  assert.throws(() => readFlags(["--out", "-x"], OPTIONS), (error: Error) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /^Option '--out' argument is ambiguous\. Did you forget/);
    assert.ok(!error.message.includes("\n"), error.message);
    return true;
  });
});

Deno.test("parsePositive accepts numbers above 0, whole ones when asked", () => {
  assert.equal(parsePositive("seconds", "0.5"), 0.5);
  assert.equal(parsePositive("epochs", "3", { whole: true }), 3);
  const bad: [string, boolean, string][] = [
    ["0", false, '--x is "0", expected a number above 0'],
    [" ", false, '--x is " ", expected a number above 0'],
    ["Infinity", false, '--x is "Infinity", expected a number above 0'],
    ["2.5", true, '--x is "2.5", expected a whole number above 0'],
    ["-1", true, '--x is "-1", expected a whole number above 0'],
  ];
  for (const [text, whole, message] of bad) {
    assert.throws(() => parsePositive("x", text, { whole }), { name: "UsageError", message });
  }
});

Deno.test("parseWholeNumber checks the range and names it", () => {
  assert.equal(parseWholeNumber("seed", "0", { min: 0 }), 0);
  assert.equal(parseWholeNumber("port", "65535", { min: 0, max: 65535 }), 65535);
  assert.throws(() => parseWholeNumber("seed", "1.5", { min: 0 }), {
    name: "UsageError",
    message: '--seed is "1.5", expected a whole number 0 or above',
  });
  assert.throws(() => parseWholeNumber("port", "65536", { min: 0, max: 65535 }), {
    name: "UsageError",
    message: '--port is "65536", expected a whole number from 0 to 65535',
  });
  assert.throws(() => parseWholeNumber("cell-timeout", "", { min: 0, unit: "seconds" }), {
    name: "UsageError",
    message: '--cell-timeout is "", expected a whole number of seconds, 0 or above',
  });
});

Deno.test("parseChoice and parseNonEmpty name the flag and what was expected", () => {
  assert.equal(parseChoice("backend", "wasm", { choices: ["blas", "wasm"] }), "wasm");
  assert.throws(() => parseChoice("backend", "gpu", { choices: ["blas", "wasm"] }), {
    name: "UsageError",
    message: '--backend is "gpu", expected one of blas, wasm',
  });
  assert.equal(parseNonEmpty("out", "out/", { expected: "a folder" }), "out/");
  assert.throws(() => parseNonEmpty("host", "  ", { expected: "an address" }), {
    name: "UsageError",
    message: "--host is empty, expected an address",
  });
});
