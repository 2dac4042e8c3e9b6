/**
 * `deno task notebooks`: executes every notebook headless with nbconvert and
 * the Deno kernel, and fails, naming the notebook and the cell, when a cell
 * throws. `--quick` trains on a small subset.
 *
 * The only place that reads Deno.args, prints and exits; the work is in
 * `lib/notebook_runner.ts`.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import {
  checkDenoKernel,
  checkKernelVersion,
  checkNbconvert,
  executeNotebook,
  installDenoKernel,
  listNotebooks,
  type NotebookExecution,
} from "../notebook/mod.ts";
import { checkNotebooksExist } from "./notebook_paths.ts";
import { NOTEBOOKS_HELP, type NotebooksArgs, parseNotebooksArgs } from "./notebooks_args.ts";
import { runCommand } from "./run_command.ts";

/** Committed notebooks stay under this size so they diff and load well. */
const SIZE_BUDGET = 1_000_000;

/** Makes sure nbconvert and a recent Deno kernel are there, installing the kernelspec if needed. */
async function prepareJupyter(python: string): Promise<void> {
  await checkNbconvert(python);
  let kernel = await checkDenoKernel(python);
  if (!kernel.found) {
    console.log("notebooks: no Deno kernelspec found; running deno jupyter --install");
    await installDenoKernel();
    kernel = await checkDenoKernel(python);
    if (!kernel.found) {
      throw new Error("Cannot find the Deno kernelspec after deno jupyter --install");
    }
  }
  checkKernelVersion(kernel.version ?? "", kernel.argv?.[0]);
}

/** A path as the user would type it: relative inside this folder, absolute outside it. */
function shownPath(path: string): string {
  const inside = relative(".", path);
  return inside.startsWith("..") ? resolve(path) : inside;
}

/** One line about a finished run; the log of a failed one is kept beside it. */
async function report(run: NotebookExecution, logDir: string): Promise<boolean> {
  const name = run.notebook.split("/").pop();
  if (run.failure === undefined) {
    const size = `${Math.round((run.bytes ?? 0) / 1000)} kB`;
    const over = (run.bytes ?? 0) > SIZE_BUDGET
      ? ` (over the ${SIZE_BUDGET / 1e6} MB a committed notebook keeps to)`
      : "";
    console.log(
      `notebooks: ${name} ok in ${run.seconds.toFixed(1)} s, ${size}${over} -> ${
        shownPath(run.output ?? "")
      }`,
    );
    return true;
  }
  const { cell, codeCell, firstLine, error } = run.failure;
  const start = firstLine === undefined ? "" : ` starting "${firstLine}"`;
  const where = cell === undefined
    ? ` in the cell${start}`
    : ` in cell ${cell + 1} (code cell ${codeCell})${start}`;
  await Deno.mkdir(logDir, { recursive: true });
  const log = join(logDir, `${name}.log`);
  await Deno.writeTextFile(log, run.log);
  console.error(`notebooks: ${name} failed${where}: ${error} (nbconvert's output: ${log})`);
  return false;
}

async function runAll(args: NotebooksArgs): Promise<boolean> {
  await prepareJupyter(args.python);
  const notebooks = args.notebooks.length > 0 ? args.notebooks : await listNotebooks("notebooks");
  if (notebooks.length === 0) {
    throw new Deno.errors.NotFound("Cannot run notebooks: none found in notebooks/");
  }
  const env = args.quick ? { MNIST_QUICK: "1" } : { MNIST_QUICK: "0" };
  console.log(
    `notebooks: running ${notebooks.length} notebook(s)${
      args.quick ? " in quick mode" : " at the defaults"
    }`,
  );
  let ok = true;
  for (const notebook of notebooks) {
    const outDir = args.inPlace ? dirname(notebook) : args.out;
    const run = await executeNotebook(notebook, {
      outDir,
      env,
      cellTimeout: args.cellTimeout,
      python: args.python,
    });
    ok = (await report(run, args.out)) && ok;
  }
  return ok;
}

/** Parses the flags, then checks that the notebooks named exist, before Jupyter starts. */
async function parse(argv: string[]): Promise<NotebooksArgs> {
  const args = parseNotebooksArgs(argv);
  if (!args.help) await checkNotebooksExist(args.notebooks);
  return args;
}

Deno.exit(
  await runCommand(Deno.args, {
    name: "notebooks",
    parse,
    help: NOTEBOOKS_HELP,
    run: async (args) => (await runAll(args)) ? 0 : 1,
  }),
);
