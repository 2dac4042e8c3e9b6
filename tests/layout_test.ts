/**
 * The layout of `lib/` as the README describes it: folders by role whose
 * `mod.ts` is their public face, imports flowing one way, and only shared
 * basics at the top.
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";

const LIB = new URL("../lib/", import.meta.url).pathname;

/** The folders from the bottom of the import graph up: each may import only those before it. */
const FOLDER_ORDER = [
  "data",
  "evaluation",
  "scratch",
  "models",
  "backend",
  "training",
  "charts",
  "report",
  "digits",
  "notebook",
  "sweep",
  "cli",
];

/** Every module under lib/, as a path relative to lib/. */
function listModules(folder = LIB): string[] {
  return [...Deno.readDirSync(folder)].flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory) return listModules(path);
    return /\.(ts|js)$/.test(entry.name) ? [relative(LIB, path)] : [];
  });
}

/** The relative paths a module imports or re-exports, from its import statements only. */
function importsOf(module: string): string[] {
  const text = Deno.readTextFileSync(join(LIB, module));
  const statements = text.match(/^(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)";/gms) ?? [];
  return statements.map((statement) => {
    const specifier = statement.match(/from\s+"([^"]+)";$/)![1];
    return relative(LIB, normalize(join(LIB, dirname(module), specifier)));
  });
}

/** The folder of a path relative to lib/, or "" for a file at the top. */
function folderOf(path: string): string {
  return path.includes("/") ? path.split("/")[0] : "";
}

Deno.test("every folder of lib/ is in the import order and has a mod.ts", () => {
  const folders = [...Deno.readDirSync(LIB)].filter((entry) => entry.isDirectory)
    .map((entry) => entry.name).sort();
  assert.deepEqual(folders, [...FOLDER_ORDER].sort());
  for (const folder of folders) {
    assert.ok(Deno.statSync(join(LIB, folder, "mod.ts")).isFile, `${folder}/ has no mod.ts`);
  }
});

Deno.test("the top of lib/ holds at most five files", () => {
  const files = [...Deno.readDirSync(LIB)].filter((entry) => entry.isFile).map((e) => e.name);
  assert.ok(files.length <= 5, `found ${files.join(", ")}`);
});

Deno.test("a folder imports another folder only through its mod.ts, and only from below", () => {
  const problems: string[] = [];
  for (const module of listModules()) {
    const own = folderOf(module);
    for (const target of importsOf(module)) {
      const other = folderOf(target);
      if (other === own || other === "") {
        if (own === "" && other === "" && module !== target) continue;
        continue;
      }
      if (own === "") problems.push(`${module} (top of lib/) imports ${target}`);
      else if (FOLDER_ORDER.indexOf(other) > FOLDER_ORDER.indexOf(own)) {
        problems.push(`${module} imports ${target}, from a folder above its own`);
      } else if (target !== `${other}/mod.ts` && !target.startsWith("digits/web/")) {
        problems.push(`${module} imports ${target}, not ${other}/mod.ts`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("no module outside lib/models/ asks which kind of model it holds", () => {
  const kindChecks = listModules().filter((module) =>
    folderOf(module) !== "models" &&
    /\bkind === "(tfjs|scratch|layers)"|instanceof (LayersDigitModel|ScratchDigitModel)/.test(
      Deno.readTextFileSync(join(LIB, module)),
    )
  );
  assert.deepEqual(kindChecks, []);
});
