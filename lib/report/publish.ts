/**
 * Writing a run's results so that a failed run never damages an earlier
 * one: everything is written into a staging folder inside the output
 * folder, and only a complete run replaces, entry by entry, what was there.
 *
 * @module
 */
import { join } from "node:path";

/** Options for {@linkcode writeStaged}. */
export interface WriteStagedOptions {
  /** The output folder, created when missing. */
  out: string;
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** The name start of a staging folder. */
const STAGING_PREFIX = ".partial-";

/**
 * A staging folder untouched for this long (milliseconds) is a run's that
 * was stopped while writing (Ctrl+C skips the clean-up), not one still being
 * written by another run into the same folder: writing takes seconds.
 */
export const STALE_STAGING_MS = 10 * 60 * 1000;

/** Removes the staging folders in `out` that interrupted runs left, older than {@linkcode STALE_STAGING_MS}. */
async function removeStaleStaging(out: string): Promise<void> {
  for await (const entry of Deno.readDir(out)) {
    if (!entry.isDirectory || !entry.name.startsWith(STAGING_PREFIX)) continue;
    const path = join(out, entry.name);
    const modified = (await Deno.stat(path)).mtime?.getTime() ?? 0;
    if (Date.now() - modified > STALE_STAGING_MS) await removeIfPresent(path);
  }
}

/** Lists the paths, relative to `root`, of entries to publish: files, and folders under "models/". */
async function listEntries(root: string, prefix = ""): Promise<string[]> {
  const entries: string[] = [];
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    // A model folder is replaced whole, so that no stale weight file survives beside new ones.
    const replaceWhole = entry.isDirectory && prefix === "models";
    if (entry.isDirectory && !replaceWhole) entries.push(...(await listEntries(root, path)));
    else entries.push(path);
  }
  return entries;
}

/** Moves a finished entry into place, replacing the old one only once the new one is in. */
async function publishEntry(staging: string, out: string, path: string): Promise<void> {
  const target = join(out, path);
  const parent = target.slice(0, target.lastIndexOf("/"));
  await Deno.mkdir(parent, { recursive: true });
  const retired = `${target}.old-${crypto.randomUUID().slice(0, 8)}`;
  let hadOld = true;
  try {
    await Deno.rename(target, retired);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    hadOld = false;
  }
  await Deno.rename(join(staging, path), target);
  if (hadOld) await removeIfPresent(retired);
}

/**
 * Calls `write` with a fresh staging folder; when it succeeds, moves each
 * file it wrote into `out` (model folders as a whole), replacing older
 * ones. When it throws, removes the staging folder and leaves `out` as it was.
 * Staging folders that a stopped run left in `out` are removed first.
 *
 * @example
 * ```ts
 * await writeStaged(async (dir) => {
 *   await Deno.writeTextFile(`${dir}/metrics.json`, "{}");
 * }, { out: "out" });
 * ```
 */
export async function writeStaged(
  write: (directory: string) => Promise<void>,
  options: WriteStagedOptions,
): Promise<string[]> {
  await Deno.mkdir(options.out, { recursive: true });
  await removeStaleStaging(options.out);
  const staging = await Deno.makeTempDir({ dir: options.out, prefix: STAGING_PREFIX });
  try {
    await write(staging);
    const entries = await listEntries(staging);
    for (const path of entries) await publishEntry(staging, options.out, path);
    return entries.map((path) => join(options.out, path));
  } finally {
    await removeIfPresent(staging);
  }
}
