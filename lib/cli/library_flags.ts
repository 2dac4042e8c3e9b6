/**
 * The flags that choose tfjs's backend and the matrix library under it,
 * shared by `deno task bench` and `deno task train`: `--backend`,
 * `--blas-library` and `--ignore-system-libraries`.
 *
 * @module
 */
import { BACKEND_IDS, type BackendId } from "../config.ts";
import { parseChoice, UsageError } from "./flags.ts";

/** The backend and library a command line asked for. */
export interface LibraryChoice {
  /** The backend; "blas" whenever a library is named. */
  backend: BackendId;
  /** The BLAS library to open, instead of searching the usual places. */
  blasLibrary: string | undefined;
  /** Let "auto" take the path of a machine without oneDNN or OpenBLAS. */
  ignoreSystemLibraries: boolean;
}

/** The raw values of the three flags, as `readFlags` returns them. */
export interface LibraryFlags {
  backend?: string;
  "blas-library"?: string;
  "ignore-system-libraries"?: boolean;
}

/**
 * Reads `--backend`, `--blas-library` and `--ignore-system-libraries`. A
 * named library turns "auto" into "blas", so that the run stops when the
 * library cannot be opened rather than quietly falling back.
 *
 * @throws {UsageError} when `--backend` is not one of {@linkcode BACKEND_IDS};
 *   when `--blas-library` is empty;
 *   when `--ignore-system-libraries` comes with another backend than auto or
 *   with `--blas-library`; when `--blas-library` comes with a backend other
 *   than blas or auto.
 * @example
 * ```ts
 * parseLibraryChoice({ backend: "auto", "blas-library": "/usr/lib/libopenblas.so.0" }).backend; // "blas"
 * ```
 */
export function parseLibraryChoice(flags: LibraryFlags): LibraryChoice {
  const ignoreSystemLibraries = flags["ignore-system-libraries"] ?? false;
  const library = flags["blas-library"];
  if (library !== undefined && library.trim() === "") {
    throw new UsageError(
      `--blas-library is empty, expected the path or file name of a BLAS library`,
    );
  }
  const backendText = flags.backend ?? "auto";
  if (ignoreSystemLibraries) {
    const clash = backendText !== "auto"
      ? `--backend ${backendText}`
      : library !== undefined
      ? `--blas-library ${library}`
      : undefined;
    if (clash !== undefined) {
      throw new UsageError(
        `--ignore-system-libraries is given with ${clash}, expected it alone with --backend auto ` +
          `(it makes auto act as on a machine without oneDNN or OpenBLAS)`,
      );
    }
  }
  const backend = parseChoice("backend", backendText, { choices: BACKEND_IDS });
  if (library !== undefined && backend !== "auto" && backend !== "blas") {
    throw new UsageError(
      `--blas-library is given with --backend ${backend}, expected --backend blas or auto`,
    );
  }
  return {
    backend: library === undefined ? backend : "blas",
    blasLibrary: library,
    ignoreSystemLibraries,
  };
}
