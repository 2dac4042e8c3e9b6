/**
 * The check of a command's `--out` before any work: the folder is made now
 * (or found), so that a path that is a file, or one this user may not
 * write, is one usage line at the start rather than an OS error after
 * minutes of training.
 *
 * @module
 */
import { join } from "node:path";
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

/** The usage error for an `--out` that cannot be read or made, with the system's reason. */
function unusable(out: string, error: unknown, expected: string): UsageError {
  const reason =
    error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ? "this user or the task's permissions may not write there"
      : error instanceof Error
      ? error.message
      : String(error);
  return new UsageError(`--out ${out} cannot be made (${reason}), ${expected}`);
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
