import assert from "node:assert/strict";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import { countCsvColumns, parseMnistCsv, parseUnlabelledCsv } from "../../lib/data/mnist_csv.ts";
import { csvRow } from "../fixtures/idx_bytes.ts";

/** The first line of Kaggle's Digit Recognizer train.csv. */
const KAGGLE_TRAIN_HEADER = [
  "label",
  ...Array.from({ length: IMAGE_PIXELS }, (_, k) => `pixel${k}`),
]
  .join(",");

/** The first line of its test.csv: pixels only. */
const KAGGLE_TEST_HEADER = KAGGLE_TRAIN_HEADER.slice("label,".length);

/** A row whose pixel k is (k + shift) % 256, so misplaced pixels show. */
function patternRow(label: number, shift: number): string {
  return [label, ...Array.from({ length: IMAGE_PIXELS }, (_, k) => (k + shift) % 256)].join(",");
}

Deno.test("parseMnistCsv puts each label and pixel in its place", () => {
  const digits = parseMnistCsv(`${patternRow(7, 0)}\n${patternRow(2, 100)}\n`);
  assert.equal(digits.count, 2);
  assert.deepEqual(digits.labels, Uint8Array.of(7, 2));
  const expected = Uint8Array.from(
    { length: 2 * IMAGE_PIXELS },
    (_, i) => (i % IMAGE_PIXELS + (i < IMAGE_PIXELS ? 0 : 100)) % 256,
  );
  assert.deepEqual(digits.pixels, expected);
});

Deno.test("parseMnistCsv accepts Windows line endings and no final newline", () => {
  const digits = parseMnistCsv(`${csvRow("3", "255")}\r\n${csvRow("5")}`);
  assert.deepEqual(digits.labels, Uint8Array.of(3, 5));
  assert.equal(digits.pixels[0], 255);
  assert.equal(digits.pixels[IMAGE_PIXELS], 0);
});

Deno.test("blank lines at the end of a CSV are not rows, with and without labels", () => {
  for (const end of ["\n\n", "\r\n\r\n", "\n \n\t\n"]) {
    const digits = parseMnistCsv(`${csvRow("3", "255")}\n${csvRow("5")}${end}`);
    assert.deepEqual(digits.labels, Uint8Array.of(3, 5));
    const header = Array.from({ length: IMAGE_PIXELS }, (_, k) => `pixel${k}`).join(",");
    const row = new Array(IMAGE_PIXELS).fill(9).join(",");
    assert.equal(parseUnlabelledCsv(`${header}\n${row}\n${row}${end}`).count, 2);
  }
});

Deno.test("an empty CSV is a SyntaxError", () => {
  for (const text of ["", "\n\n"]) {
    assert.throws(() => parseMnistCsv(text, { source: "e.csv" }), {
      name: "SyntaxError",
      message:
        "Cannot read MNIST CSV e.csv: file is empty, expected rows of a label and 784 pixels",
    });
  }
});

Deno.test("rows of the wrong width are a RangeError naming the column count", () => {
  assert.throws(() => parseMnistCsv("1,2,3\n4,5,6\n", { source: "w.csv" }), {
    name: "RangeError",
    message:
      "Cannot read MNIST CSV w.csv: rows have 3 columns, expected 785 (a label and 784 pixels)",
  });
  // 28x28 pixels without the label column.
  const noLabel = Array(IMAGE_PIXELS).fill("0").join(",");
  assert.throws(() => parseMnistCsv(noLabel, { source: "w.csv" }), {
    name: "RangeError",
    message:
      "Cannot read MNIST CSV w.csv: rows have 784 columns, expected 785 (a label and 784 pixels); a file without labels, such as Kaggle's test.csv, cannot be trained or tested on",
  });
});

Deno.test("a later row that is too long is an error, not silently cut", () => {
  assert.throws(() => parseMnistCsv(`${csvRow("1")}\n${csvRow("2")},9\n`, { source: "l.csv" }), {
    name: "RangeError",
    message:
      "Cannot read MNIST CSV l.csv: a row has more columns than the first row, expected the same number in every row",
  });
});

Deno.test("a later row that is too short names its first missing cell", () => {
  const short = csvRow("4").split(",").slice(0, 700).join(",");
  assert.throws(() => parseMnistCsv(`${csvRow("1")}\n${short}\n`, { source: "s.csv" }), {
    name: "SyntaxError",
    message: 'Cannot read MNIST CSV s.csv: row 2, column 701 is "", expected a whole number',
  });
});

Deno.test("cells that are not whole numbers are a SyntaxError naming row, column and text", () => {
  const cases: [string, string][] = [
    [`${csvRow("1")}\n${csvRow("x")}\n`, 'row 2, column 1 is "x"'],
    [`${csvRow("1")}\n${csvRow("1", "0.5")}\n`, 'row 2, column 2 is "0.5"'],
    [`${csvRow("")}\n`, 'row 1, column 1 is ""'],
    [`${csvRow(" 3")}\n`, 'row 1, column 1 is " 3"'],
    // A first row with numbers in it is data with a bad cell, not a header.
    [`${csvRow("label")}\n${csvRow("1")}\n`, 'row 1, column 1 is "label"'],
    // Rows count the file's lines, the header included.
    [`${KAGGLE_TRAIN_HEADER}\n${csvRow("1")}\n${csvRow("1", "x")}\n`, 'row 3, column 2 is "x"'],
  ];
  for (const [text, cell] of cases) {
    assert.throws(() => parseMnistCsv(text, { source: "n.csv" }), {
      name: "SyntaxError",
      message: `Cannot read MNIST CSV n.csv: ${cell}, expected a whole number`,
    });
  }
});

Deno.test("labels outside 0-9 and pixels outside 0-255 are a RangeError", () => {
  const cases: [string, string][] = [
    [`${csvRow("9")}\n${csvRow("10")}\n`, "row 2, column 1 is 10, expected 0 to 9"],
    [`${csvRow("-1")}\n`, "row 1, column 1 is -1, expected 0 to 9"],
    [`${csvRow("0")}\n${csvRow("0", "256")}\n`, "row 2, column 2 is 256, expected 0 to 255"],
    [`${csvRow("0", "-1")}\n`, "row 1, column 2 is -1, expected 0 to 255"],
  ];
  for (const [text, problem] of cases) {
    assert.throws(() => parseMnistCsv(text, { source: "r.csv" }), {
      name: "RangeError",
      message: `Cannot read MNIST CSV r.csv: ${problem}`,
    });
  }
});

Deno.test("a header row is recognised and never taken as a sample", () => {
  const digits = parseMnistCsv(
    `${KAGGLE_TRAIN_HEADER}\n${patternRow(7, 0)}\n${patternRow(2, 5)}\n`,
  );
  assert.equal(digits.count, 2);
  assert.equal(digits.hasHeader, true);
  assert.deepEqual(digits.labels, Uint8Array.of(7, 2));
  assert.equal(digits.pixels[IMAGE_PIXELS], 5);
  assert.equal(parseMnistCsv(`${csvRow("3")}\n`).hasHeader, false);
});

Deno.test("a header without rows is a SyntaxError", () => {
  assert.throws(() => parseMnistCsv(`${KAGGLE_TRAIN_HEADER}\n`, { source: "h.csv" }), {
    name: "SyntaxError",
    message:
      "Cannot read MNIST CSV h.csv: it has a header but no rows, expected at least one image",
  });
});

Deno.test("parseUnlabelledCsv reads Kaggle's test.csv: 784 pixels a row, with or without header", () => {
  const pixelsOnly = (shift: number) => patternRow(0, shift).slice(2);
  for (const header of [`${KAGGLE_TEST_HEADER}\n`, ""]) {
    const images = parseUnlabelledCsv(`${header}${pixelsOnly(0)}\n${pixelsOnly(100)}\n`);
    assert.equal(images.count, 2);
    assert.equal(images.hasHeader, header !== "");
    assert.equal(images.pixels[IMAGE_PIXELS + 1], 101);
  }
  assert.throws(
    () => parseUnlabelledCsv(`${KAGGLE_TRAIN_HEADER}\n${csvRow("1")}\n`, { source: "t.csv" }),
    {
      name: "RangeError",
      message:
        "Cannot read MNIST CSV t.csv: rows have 785 columns, expected 784 (pixels only, as in Kaggle's test.csv)",
    },
  );
});

Deno.test("countCsvColumns counts the first line's cells", () => {
  assert.equal(countCsvColumns(`${KAGGLE_TEST_HEADER}\r\n1,2`), IMAGE_PIXELS);
  assert.equal(countCsvColumns(csvRow("1")), IMAGE_PIXELS + 1);
  assert.equal(countCsvColumns(""), 0);
});

Deno.test("an HTML page saved under a CSV's name is named as such", () => {
  assert.throws(
    () =>
      parseMnistCsv("<!DOCTYPE html>\n<html><body>train.csv</body></html>", { source: "p.csv" }),
    {
      name: "SyntaxError",
      message:
        "Cannot read MNIST CSV p.csv: it is an HTML page, expected rows of numbers; a web page was saved under the data file's name, so download the file itself (the page's download link)",
    },
  );
});
