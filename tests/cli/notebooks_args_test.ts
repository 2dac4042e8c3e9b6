import assert from "node:assert/strict";
import { parseNotebooksArgs } from "../../lib/cli/notebooks_args.ts";
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
