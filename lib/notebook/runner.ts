/**
 * Running the notebooks headless: checking that Jupyter's nbconvert and the
 * Deno kernel are there (installing the kernelspec when it is missing), and
 * executing a notebook with nbconvert, telling which cell failed and why.
 *
 * Used by `deno task notebooks` (`cli/notebooks.ts`), which does the printing.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";

/** Debian's interpreter, which has the packages below; the `python3` on PATH may be another. */
export const DEFAULT_PYTHON = "/usr/bin/python3";

/** The Debian packages that provide headless execution. */
export const NBCONVERT_APT_PACKAGES = "python3-nbconvert python3-nbclient jupyter-client";

/** The kernelspec name `deno jupyter --install` creates and the notebooks ask for. */
export const DENO_KERNEL = "deno";

/** Oldest Deno whose kernel reports a failing cell as an error (older ones report success). */
export const MIN_KERNEL_DENO = [2, 9, 0] as const;

/** What Python tells about the Deno kernelspec. */
export interface KernelCheck {
  /** Whether a kernelspec named "deno" exists. */
  found: boolean;
  /** Its command line, when found. */
  argv?: string[];
  /** The first line of `<argv[0]> --version`, when found. */
  version?: string;
}

/** A notebook's cells, as far as error reports need them. */
export interface NotebookCells {
  /** The cells in order. */
  cells: { cell_type: string; source: string | string[] }[];
}

/** Where and why a notebook failed. */
export interface CellFailure {
  /** Index of the failing cell among all cells, counting from 0. */
  cell?: number;
  /** Its number among code cells, counting from 1 (as Jupyter shows `In [n]` after a full run). */
  codeCell?: number;
  /** The first line of the cell's source. */
  firstLine?: string;
  /** The error, in one line: "RangeError: boom". */
  error: string;
}

/** How one notebook run went. */
export interface NotebookExecution {
  /** The notebook run. */
  notebook: string;
  /** The executed notebook written, when the run succeeded. */
  output?: string;
  /** Wall time of the run. */
  seconds: number;
  /** Size of the executed notebook in bytes, when written. */
  bytes?: number;
  /** Why it failed, when it did. */
  failure?: CellFailure;
  /** Everything nbconvert printed on stderr, for a log. */
  log: string;
}

/** Options for {@linkcode executeNotebook}. */
export interface ExecuteNotebookOptions {
  /** Folder the executed notebook is written to (may be the notebook's own). */
  outDir: string;
  /** Extra environment variables for the kernel, such as MNIST_QUICK. */
  env?: Record<string, string>;
  /** Seconds a cell may run; undefined for no limit. */
  cellTimeout?: number;
  /** Python interpreter with nbconvert. Default {@linkcode DEFAULT_PYTHON}. */
  python?: string;
}

const decoder = new TextDecoder();

async function runCommand(
  command: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
) {
  try {
    const output = await new Deno.Command(command, {
      args,
      env: options.env,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot run ${command}: not found`, { cause: error });
    }
    throw error;
  }
}

/**
 * Throws a NotFound naming the packages to install unless `python` can
 * import nbconvert, nbclient and jupyter_client.
 *
 * @example
 * ```ts
 * await checkNbconvert("/usr/bin/python3");
 * ```
 */
export async function checkNbconvert(python: string = DEFAULT_PYTHON): Promise<void> {
  const result = await runCommand(python, ["-c", "import nbconvert, nbclient, jupyter_client"])
    .catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      return { code: 127, stdout: "", stderr: `${python}: not found` };
    });
  if (result.code !== 0) {
    const reason = result.stderr.trim().split("\n").at(-1);
    throw new Deno.errors.NotFound(
      `Cannot execute notebooks: ${python} cannot import nbconvert, nbclient and jupyter_client (${reason}); ` +
        `expected them installed: apt-get install ${NBCONVERT_APT_PACKAGES} (or pip install nbconvert)`,
    );
  }
}

const KERNEL_CHECK_SCRIPT = `
import json, subprocess
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
try:
    spec = KernelSpecManager().get_kernel_spec(${JSON.stringify(DENO_KERNEL)})
except NoSuchKernel:
    print(json.dumps({"found": False}))
else:
    try:
        version = subprocess.run([spec.argv[0], "--version"], capture_output=True, text=True).stdout
    except OSError as error:
        version = "cannot run: " + str(error)
    print(json.dumps({"found": True, "argv": spec.argv, "version": version.strip().split("\\n")[0]}))
`;

/**
 * Asks Jupyter (through `python`) for the Deno kernelspec and the version of
 * the Deno it starts.
 *
 * @example
 * ```ts
 * const kernel = await checkDenoKernel();
 * kernel.found; // true once `deno jupyter --install` has run
 * ```
 */
export async function checkDenoKernel(python: string = DEFAULT_PYTHON): Promise<KernelCheck> {
  const result = await runCommand(python, ["-c", KERNEL_CHECK_SCRIPT]);
  if (result.code !== 0) {
    throw new Error(
      `Cannot look up the Deno kernelspec: ${python} failed with ${result.stderr.trim()}`,
    );
  }
  return JSON.parse(result.stdout) as KernelCheck;
}

/**
 * Runs `deno jupyter --install`, which writes the kernelspec to the user's
 * Jupyter data folder.
 *
 * @example
 * ```ts
 * if (!(await checkDenoKernel()).found) await installDenoKernel();
 * ```
 */
export async function installDenoKernel(): Promise<void> {
  const result = await runCommand("deno", ["jupyter", "--install"]);
  if (result.code !== 0) {
    throw new Error(
      `Cannot install the Deno kernelspec: deno jupyter --install failed with ${result.stderr.trim()}`,
    );
  }
}

/**
 * Checks that a kernel's `deno --version` line is at least 2.9.0 and throws
 * a RangeError saying what to do otherwise.
 *
 * @example
 * ```ts
 * checkKernelVersion("deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)"); // passes
 * ```
 */
export function checkKernelVersion(versionLine: string, argv0 = "deno"): void {
  const match = versionLine.match(/^deno (\d+)\.(\d+)\.(\d+)/);
  const minimum = MIN_KERNEL_DENO.join(".");
  const found = match ? match.slice(1, 4).map(Number) : undefined;
  const older = (version: number[]) => {
    const index = version.findIndex((part, i) => part !== MIN_KERNEL_DENO[i]);
    return index >= 0 && version[index] < MIN_KERNEL_DENO[index];
  };
  if (found === undefined || older(found)) {
    throw new RangeError(
      `Cannot trust the Deno kernel: ${argv0} reports "${versionLine}", expected deno ${minimum} or newer ` +
        `(older kernels report failing cells as passing); install a newer deno and run deno jupyter --install --force`,
    );
  }
}

function sourceText(source: string | string[]): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** The last line that looks like "Name: message", which is how Deno's kernel ends an error. */
function errorLine(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  const named = lines.findLast((line) =>
    /^[A-Za-z_$][\w$.]*: /.test(line) && !line.startsWith("nbclient.")
  );
  return named ?? lines.at(-1) ?? "unknown error";
}

/**
 * Reads nbconvert's stderr after a failed run and finds the failing cell
 * (nbclient prints its source between dashed lines) and the error.
 *
 * @example
 * ```ts
 * const failure = findCellFailure(stderr, JSON.parse(await Deno.readTextFile(path)));
 * // { cell: 7, codeCell: 4, firstLine: "throw new RangeError(\"boom\");", error: "RangeError: boom" }
 * ```
 */
export function findCellFailure(stderr: string, notebook: NotebookCells): CellFailure {
  const error = errorLine(stderr);
  const marker = "An error occurred while executing the following cell:";
  const start = stderr.lastIndexOf(marker);
  if (start < 0) return { error };
  const dashes = "\n------------------\n";
  const from = stderr.indexOf(dashes, start);
  const to = stderr.indexOf(dashes, from + dashes.length);
  if (from < 0 || to < 0) return { error };
  const source = stderr.slice(from + dashes.length, to).trim();
  const cell = notebook.cells.findIndex((candidate) =>
    candidate.cell_type === "code" && sourceText(candidate.source).trim() === source
  );
  if (cell < 0) return { error, firstLine: source.split("\n")[0] };
  const codeCell =
    notebook.cells.slice(0, cell + 1).filter((candidate) => candidate.cell_type === "code").length;
  return { cell, codeCell, firstLine: source.split("\n")[0], error };
}

/**
 * Executes a notebook headless with nbconvert and the Deno kernel, in the
 * notebook's own folder (as Jupyter runs it), writing the executed copy to
 * `outDir`. A failing cell makes the run fail; the result says which.
 *
 * @example
 * ```ts
 * const run = await executeNotebook("notebooks/01_mnist_mlp_vs_cnn.ipynb", {
 *   outDir: "out/notebooks",
 *   env: { MNIST_QUICK: "1" },
 * });
 * run.failure; // undefined when every cell ran
 * ```
 */
export async function executeNotebook(
  notebook: string,
  options: ExecuteNotebookOptions,
): Promise<NotebookExecution> {
  const outDir = resolve(options.outDir);
  await Deno.mkdir(outDir, { recursive: true });
  const output = join(outDir, basename(notebook));
  const args = [
    "-m",
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    `--ExecutePreprocessor.kernel_name=${DENO_KERNEL}`,
    `--ExecutePreprocessor.timeout=${options.cellTimeout ?? -1}`,
    // Timestamps in every cell would make each run of a committed notebook a diff.
    "--ExecutePreprocessor.record_timing=False",
    "--output-dir",
    outDir,
    "--output",
    basename(notebook),
    resolve(notebook),
  ];
  const started = performance.now();
  const result = await runCommand(options.python ?? DEFAULT_PYTHON, args, { env: options.env });
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) {
    const cells = JSON.parse(await Deno.readTextFile(notebook)) as NotebookCells;
    return {
      notebook,
      seconds,
      failure: findCellFailure(result.stderr, cells),
      log: result.stderr,
    };
  }
  const bytes = (await Deno.stat(output)).size;
  return { notebook, output, seconds, bytes, log: result.stderr };
}

/**
 * Lists the notebooks (`*.ipynb`) of a folder, sorted by name, so that the
 * numbered notebooks run in order.
 *
 * @example
 * ```ts
 * await listNotebooks("notebooks"); // ["notebooks/01_mnist_mlp_vs_cnn.ipynb", ...]
 * ```
 */
export async function listNotebooks(directory: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) {
    if (entry.isFile && entry.name.endsWith(".ipynb") && !entry.name.startsWith(".")) {
      names.push(entry.name);
    }
  }
  return names.sort().map((name) => join(directory, name));
}
