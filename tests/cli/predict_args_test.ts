import assert from "node:assert/strict";
import { parsePredictArgs, PREDICT_HELP } from "../../lib/cli/predict_args.ts";

Deno.test("parsePredictArgs reads --csv with --submission, and --save-input with image files", () => {
  const csv = parsePredictArgs(["--model", "m", "--csv", "test.csv", "--submission", "s.csv"]);
  assert.deepEqual([csv.csv, csv.submission, csv.files, csv.saveInput], [
    "test.csv",
    "s.csv",
    [],
    undefined,
  ]);
  const files = parsePredictArgs(["--model", "m", "--save-input", "inputs", "a.png", "b.jpg"]);
  assert.deepEqual([files.csv, files.saveInput, files.files], [undefined, "inputs", [
    "a.png",
    "b.jpg",
  ]]);
});

Deno.test("parsePredictArgs refuses inputs and outputs that do not go together", () => {
  const cases: [string[], string][] = [
    [
      ["--csv", "test.csv", "a.png", "b.png"],
      "--csv is given with image files (a.png, ...), expected one or the other",
    ],
    [
      ["--submission", "s.csv", "a.png"],
      "--submission is given without --csv, expected --csv <file> for the rows to submit",
    ],
    [
      ["--csv", "test.csv", "--save-input", "inputs"],
      "--save-input is given with --csv, expected image files: CSV rows are already 28x28 images",
    ],
    [
      ["--csv", "test.csv", "--number"],
      "--number is given with --csv, expected pictures of numbers: a CSV row is one digit",
    ],
    [
      ["--number", "--save-input", "inputs", "year.png"],
      "--save-input is given with --number, expected one or the other: --save-input writes one 28x28 image a file",
    ],
    [[], "no image files given, expected at least one PNG or JPEG file, or --csv <file>"],
    [["--csv", " "], "--csv is empty, expected a CSV file"],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parsePredictArgs(["--model", "m", ...args]), {
      name: "UsageError",
      message,
    });
  }
});

Deno.test("the predict help shows the CSV and input flags with their defaults", () => {
  for (const flag of ["--csv <file>", "--submission <file>", "--save-input <folder>"]) {
    const at = PREDICT_HELP.indexOf(`  ${flag}`);
    assert.ok(at >= 0, flag);
    assert.match(PREDICT_HELP.slice(at), /^[^]*?\(default: none\)/);
  }
});

Deno.test("the predict help suggests the training that served photos and scans best", () => {
  assert.ok(PREDICT_HELP.includes("\n  deno task train --model cnn --augment standard\n"));
});
