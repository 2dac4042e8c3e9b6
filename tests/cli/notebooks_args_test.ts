import assert from "node:assert/strict";
import { join } from "node:path";
import { checkNotebooksExist, parseNotebooksArgs, UsageError } from "../../lib/cli/mod.ts";
import { DEFAULT_PYTHON } from "../../lib/notebook/runner.ts";

Deno.test("the defaults run every notebook at full settings into out/notebooks", () => {
  assert.deepEqual(parseNotebooksArgs([]), {
    notebooks: [],
    quick: false,
    inPlace: false,
    out: "out/notebooks",
    cellTimeout: undefined,
    python: DEFAULT_PYTHON,
    help: false,
  });
});

Deno.test("--quick limits each cell's time unless told otherwise", () => {
  assert.equal(parseNotebooksArgs(["--quick"]).cellTimeout, 900);
  assert.equal(parseNotebooksArgs(["--quick", "--cell-timeout", "0"]).cellTimeout, undefined);
  assert.equal(parseNotebooksArgs(["--cell-timeout", "30"]).cellTimeout, 30);
});

Deno.test("notebooks can be named, and --in-place writes over them", () => {
  const args = parseNotebooksArgs(["--in-place", "notebooks/02_mlp_from_scratch.ipynb"]);
  assert.deepEqual(args.notebooks, ["notebooks/02_mlp_from_scratch.ipynb"]);
  assert.equal(args.inPlace, true);
});

Deno.test("bad flags are usage errors with a one-line message", () => {
  assert.throws(() => parseNotebooksArgs(["--cell-timeout", "soon"]), {
    name: "UsageError",
    message: '--cell-timeout is "soon", expected a whole number of seconds, 0 or above',
  });
  assert.throws(() => parseNotebooksArgs(["notebooks/README.md"]), {
    name: "UsageError",
    message: '"notebooks/README.md" is not a notebook, expected a path ending in .ipynb',
  });
  assert.throws(() => parseNotebooksArgs(["--out", " "]), {
    name: "UsageError",
    message: "--out is empty, expected a folder",
  });
  assert.throws(() => parseNotebooksArgs(["--fast"]), { name: "UsageError" });
});

Deno.test("a notebook that does not exist is one usage line naming it and those there are", async () => {
  const folder = await Deno.makeTempDir({ prefix: "notebook_paths_" });
  try {
    const first = join(folder, "01_first.ipynb");
    await Deno.writeTextFile(first, "{}");
    await Deno.writeTextFile(join(folder, "02_second.ipynb"), "{}");
    await checkNotebooksExist([first], { folder });
    const missing = join(folder, "03_missing.ipynb");
    await assert.rejects(
      () => checkNotebooksExist([first, missing], { folder }),
      new UsageError(
        `${missing} does not exist, expected one of ${first}, ${join(folder, "02_second.ipynb")}`,
      ),
    );
    const directory = join(folder, "04_folder.ipynb");
    await Deno.mkdir(directory);
    await assert.rejects(
      () => checkNotebooksExist([directory], { folder: join(folder, "none") }),
      new UsageError(
        `${directory} is not a file, expected no folder ${folder}/none/ to choose from`,
      ),
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("deno task notebooks with a missing notebook exits 2 with one line, before Jupyter", async () => {
  const command = new Deno.Command("deno", {
    args: ["run", "-P=notebooks", "lib/cli/notebooks.ts", "notebooks/00_missing.ipynb"],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
  const { code, stderr } = await command.output();
  const lines = new TextDecoder().decode(stderr).trim().split("\n")
    .filter((line) => !line.includes("experimental feature"));
  assert.equal(code, 2);
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(
    lines[0],
    /^notebooks: notebooks\/00_missing\.ipynb does not exist, expected one of notebooks\/01_mnist_mlp_vs_cnn\.ipynb, /,
  );
});
