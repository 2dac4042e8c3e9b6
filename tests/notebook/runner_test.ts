import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkKernelVersion,
  executeNotebook,
  findCellFailure,
  listNotebooks,
  type NotebookCells,
} from "../../lib/notebook/runner.ts";

/** A notebook of markdown and code cells, in nbformat 4. */
function notebookOf(cells: { code?: string; markdown?: string }[]) {
  return {
    cells: cells.map((cell, index) =>
      cell.code !== undefined
        ? {
          cell_type: "code",
          id: `c${index}`,
          metadata: {},
          execution_count: null,
          outputs: [],
          source: cell.code,
        }
        : { cell_type: "markdown", id: `c${index}`, metadata: {}, source: cell.markdown ?? "" }
    ),
    metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const STDERR = `[NbConvertApp] Converting notebook x.ipynb to notebook
Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/nbclient/client.py", line 915, in _check_raise_for_error
    raise CellExecutionError.from_cell_and_msg(cell, exec_reply_content)
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
const y = 2;
throw new RangeError("boom");
------------------

RangeError: boom
    at <anonymous>:2:7
RangeError: boom
`;

Deno.test("findCellFailure names the failing cell and the error", () => {
  const notebook = notebookOf([
    { markdown: "# Title" },
    { code: "const x = 1;" },
    { markdown: "text" },
    { code: 'const y = 2;\nthrow new RangeError("boom");' },
  ]) as NotebookCells;
  assert.deepEqual(findCellFailure(STDERR, notebook), {
    cell: 3,
    codeCell: 2,
    firstLine: "const y = 2;",
    error: "RangeError: boom",
  });
});

Deno.test("findCellFailure keeps the error when the cell or the report is not found", () => {
  const other = notebookOf([{ code: "something else" }]) as NotebookCells;
  assert.deepEqual(findCellFailure(STDERR, other), {
    error: "RangeError: boom",
    firstLine: "const y = 2;",
  });
  assert.deepEqual(findCellFailure("Kernel died\nDeadKernelError: Kernel died", other), {
    error: "DeadKernelError: Kernel died",
  });
});

Deno.test("checkKernelVersion accepts 2.9.0 and newer, and says what to do otherwise", () => {
  for (const line of ["deno 2.9.0 (stable)", "deno 2.10.1 (stable)", "deno 3.0.0"]) {
    checkKernelVersion(line);
  }
  assert.throws(() => checkKernelVersion("deno 2.8.9 (stable)", "/opt/deno"), {
    name: "RangeError",
    message:
      'Cannot trust the Deno kernel: /opt/deno reports "deno 2.8.9 (stable)", expected deno 2.9.0 or newer ' +
      "(older kernels report failing cells as passing); install a newer deno and run deno jupyter --install --force",
  });
  assert.throws(() => checkKernelVersion("cannot run: no such file"), { name: "RangeError" });
});

Deno.test("listNotebooks lists the .ipynb files in name order", async () => {
  const directory = await Deno.makeTempDir({ prefix: "notebook_runner_test_" });
  try {
    for (const name of ["02_b.ipynb", "01_a.ipynb", "notes.md", ".hidden.ipynb"]) {
      await Deno.writeTextFile(join(directory, name), "{}");
    }
    assert.deepEqual(await listNotebooks(directory), [
      join(directory, "01_a.ipynb"),
      join(directory, "02_b.ipynb"),
    ]);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

/**
 * Runs notebooks through nbconvert and a real Deno kernel. The kernelspec
 * is written into the temporary folder and found through JUPYTER_PATH, so
 * the test neither needs nor changes the user's Jupyter setup.
 */
Deno.test("executeNotebook executes a notebook and reports a failing cell as a failure", async () => {
  const directory = await Deno.makeTempDir({ prefix: "notebook_runner_test_" });
  try {
    const kernelDir = join(directory, "jupyter", "kernels", "deno");
    await Deno.mkdir(kernelDir, { recursive: true });
    await Deno.writeTextFile(
      join(kernelDir, "kernel.json"),
      JSON.stringify({
        argv: ["deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
        display_name: "Deno",
        language: "typescript",
      }),
    );
    const env = { JUPYTER_PATH: join(directory, "jupyter"), MNIST_QUICK: "1" };
    const good = join(directory, "good.ipynb");
    // Outputs may arrive after the kernel reports a cell done, so the check is an error or none.
    const checkEnv =
      'if (Deno.env.get("MNIST_QUICK") !== "1") throw new Error("MNIST_QUICK not passed");';
    await Deno.writeTextFile(good, JSON.stringify(notebookOf([{ code: checkEnv }])));
    const bad = join(directory, "bad.ipynb");
    await Deno.writeTextFile(
      bad,
      JSON.stringify(
        notebookOf([{ markdown: "# A failing notebook" }, { code: "const x = 1;" }, {
          code: 'throw new RangeError("deliberate");',
        }]),
      ),
    );
    const outDir = join(directory, "out");

    const passed = await executeNotebook(good, { outDir, env, cellTimeout: 120 });
    assert.equal(passed.failure, undefined, passed.log);
    assert.equal(passed.output, join(outDir, "good.ipynb"));
    assert.equal(JSON.parse(await Deno.readTextFile(passed.output!)).cells[0].execution_count, 1);

    const failed = await executeNotebook(bad, { outDir, env, cellTimeout: 120 });
    assert.deepEqual(failed.failure, {
      cell: 2,
      codeCell: 2,
      firstLine: 'throw new RangeError("deliberate");',
      error: "RangeError: deliberate",
    });
    assert.equal(failed.output, undefined);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
