/**
 * The check of a command's `--out` before any work: the folder is made now
 * (or found), so that a path that is a file, or one this user may not
 * write, is one usage line at the start rather than an OS error after
 * minutes of training.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { isFile } from "../sweep/mod.ts";
import { UsageError } from "./flags.ts";

/** Options for {@linkcode prepareOutFolder}. */
export interface PrepareOutFolderOptions {
  /**
   * A file that marks another command's results, and what they are (a
   * sweep's `sweep.json` for train): a folder holding it is refused.
   */
  refuse?: { file: string; holding: string };
}

/**
 * Makes `out` (and its parents) unless it exists as a folder.
 *
 * @throws {UsageError} when `out` is a file or another non-folder, holds
 * the file `options.refuse` names, or cannot be made (no permission, a
 * read-only file system).
 * @example
 * ```ts
 * await prepareOutFolder("out"); // ok: made, or already a folder
 * await prepareOutFolder("notes.txt"); // UsageError: --out notes.txt is a file, ...
 * ```
 */
export async function prepareOutFolder(
  out: string,
  options: PrepareOutFolderOptions = {},
): Promise<void> {
  const expected = "expected a folder to write the results in (new or existing)";
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(out);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw unusable(out, error, expected);
  }
  if (info !== undefined) {
    if (info.isDirectory) {
      await refuseOtherResults(out, options.refuse);
      return;
    }
    throw new UsageError(`--out ${out} is ${info.isFile ? "a file" : "not a folder"}, ${expected}`);
  }
  try {
    await Deno.mkdir(out, { recursive: true });
  } catch (error) {
    throw unusable(out, error, expected);
  }
}

/**
 * Checks, before any work, that the file a flag names (`--emit`) can be
 * written: its folder exists and it is not a folder itself.
 *
 * @throws {UsageError} when its folder is missing or not a folder, when it
 * is a folder, or when either cannot be looked at (no permission).
 * @example
 * ```ts
 * await checkOutFile("emit", "trials.sh"); // ok
 * await checkOutFile("emit", "no/such/folder/trials.sh"); // UsageError
 * ```
 */
export async function checkOutFile(flag: string, file: string): Promise<void> {
  const folder = dirname(resolve(file));
  const kind = async (path: string) => {
    try {
      return (await Deno.stat(path)).isDirectory ? "folder" : "file";
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "nothing";
      throw new UsageError(
        `--${flag} ${file} cannot be checked (${reasonOf(error, "look at it")})`,
      );
    }
  };
  if (await kind(folder) !== "folder") {
    throw new UsageError(
      `--${flag} ${file} is in ${folder}, which is not a folder, expected a file in an existing folder`,
    );
  }
  if (await kind(file) === "folder") {
    throw new UsageError(`--${flag} ${file} is a folder, expected a file to write to`);
  }
}

/** The usage error for an `--out` that cannot be read or made, with the system's reason. */
function unusable(out: string, error: unknown, expected: string): UsageError {
  return new UsageError(
    `--out ${out} cannot be made (${reasonOf(error, "write there")}), ${expected}`,
  );
}

/** Why the system refused a path, in words; `denied` says what a permission error forbade. */
function reasonOf(error: unknown, denied: string): string {
  return error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
    ? `this user or the task's permissions may not ${denied}`
    : error instanceof Error
    ? error.message
    : String(error);
}

/** Throws when the folder `out` holds the file of `marker`, another command's results. */
async function refuseOtherResults(
  out: string,
  marker: PrepareOutFolderOptions["refuse"],
): Promise<void> {
  if (marker === undefined || !(await isFile(join(out, marker.file)))) return;
  throw new UsageError(
    `--out ${out} holds ${marker.holding} (${marker.file}), expected a new folder or one of this command's`,
  );
}
