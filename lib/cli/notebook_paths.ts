/**
 * The notebooks named on `deno task notebooks`' command line, checked
 * before Jupyter starts: a path that does not exist is a usage error that
 * names it and the notebooks there are, instead of nbconvert's OS error.
 *
 * @module
 */
import { listNotebooks } from "../notebook/mod.ts";
import { UsageError } from "./flags.ts";

/** Options for {@linkcode checkNotebooksExist}. */
export interface CheckNotebooksExistOptions {
  /** The folder whose notebooks the message offers instead. Default "notebooks". */
  folder?: string;
}

/** The notebooks in `folder` as a list for a message, or why there are none. */
async function describeAvailable(folder: string): Promise<string> {
  let notebooks: string[];
  try {
    notebooks = await listNotebooks(folder);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return `no folder ${folder}/ to choose from`;
    throw error;
  }
  return notebooks.length === 0
    ? `no notebook in ${folder}/ to choose from`
    : `one of ${notebooks.join(", ")}`;
}

/**
 * Throws unless every path names an existing file.
 *
 * @param paths The notebooks asked for, as given.
 * @throws {UsageError} for the first path that does not exist or is not a
 *   file: `notebooks/06_gan.ipynb does not exist, expected one of
 *   notebooks/01_mnist_mlp_vs_cnn.ipynb, ...`.
 *
 * @example
 * ```ts
 * await checkNotebooksExist(["notebooks/01_mnist_mlp_vs_cnn.ipynb"]); // passes
 * ```
 */
export async function checkNotebooksExist(
  paths: readonly string[],
  options: CheckNotebooksExistOptions = {},
): Promise<void> {
  for (const path of paths) {
    let problem: string;
    try {
      if ((await Deno.stat(path)).isFile) continue;
      problem = "is not a file";
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      problem = "does not exist";
    }
    throw new UsageError(
      `${path} ${problem}, expected ${await describeAvailable(options.folder ?? "notebooks")}`,
    );
  }
}
