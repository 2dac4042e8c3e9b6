/**
 * `--model-file` for the commands that take it (`train`, `sweep`): the
 * built-in models plus the module's, with a bad module answered as a usage
 * error (one line, exit 2).
 *
 * @module
 */
import { setupBackend } from "../backend/mod.ts";
import { createModelRegistry, loadModelFile, type ModelRegistry } from "../models/mod.ts";
import { UsageError } from "./flags.ts";

/**
 * Returns the built-in models, with the models of `file` registered when one
 * is given. Each model is built once to check its shapes, on tfjs's plain
 * cpu backend, which needs no set-up flags; the command then switches to the
 * backend asked for.
 *
 * @throws {UsageError} `--model-file: <why>` for a missing file, no models
 * exported, a clashing id or a model that does not map 28x28 images to 10
 * probabilities.
 *
 * @example
 * ```ts
 * const registry = await registryWithModelFile("my_models.ts");
 * ```
 */
export async function registryWithModelFile(file: string | undefined): Promise<ModelRegistry> {
  const registry = createModelRegistry();
  if (file === undefined || file.trim() === "") return registry;
  await setupBackend({ backend: "cpu" });
  try {
    await loadModelFile(registry, file);
  } catch (error) {
    throw new UsageError(`--model-file: ${error instanceof Error ? error.message : error}`);
  }
  return registry;
}
