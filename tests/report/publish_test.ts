import assert from "node:assert/strict";
import { join } from "node:path";
import { STALE_STAGING_MS, writeStaged } from "../../lib/report/publish.ts";

async function listTree(root: string, prefix = ""): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(join(root, prefix))) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) names.push(...(await listTree(root, path)));
    else names.push(path);
  }
  return names.sort();
}

Deno.test("writeStaged publishes a complete run and replaces older files", async () => {
  const out = await Deno.makeTempDir();
  await Deno.mkdir(join(out, "models/mlp"), { recursive: true });
  await Deno.writeTextFile(join(out, "models/mlp/stale.bin"), "old");
  await Deno.writeTextFile(join(out, "metrics.json"), "old");
  await Deno.mkdir(join(out, "models/cnn"), { recursive: true });
  await Deno.writeTextFile(join(out, "models/cnn/model.json"), "kept");
  const written = await writeStaged(async (dir) => {
    await Deno.mkdir(join(dir, "models/mlp"), { recursive: true });
    await Deno.writeTextFile(join(dir, "models/mlp/model.json"), "new");
    await Deno.writeTextFile(join(dir, "metrics.json"), "new");
  }, { out });
  assert.deepEqual(written.sort(), [join(out, "metrics.json"), join(out, "models/mlp")]);
  assert.deepEqual(await listTree(out), [
    "metrics.json",
    "models/cnn/model.json",
    "models/mlp/model.json",
  ]);
  assert.equal(await Deno.readTextFile(join(out, "metrics.json")), "new");
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeStaged leaves the earlier run untouched when writing fails", async () => {
  const out = await Deno.makeTempDir();
  await Deno.writeTextFile(join(out, "metrics.json"), "earlier");
  await assert.rejects(
    writeStaged(async (dir) => {
      await Deno.writeTextFile(join(dir, "metrics.json"), "half");
      throw new RangeError("training failed");
    }, { out }),
    { name: "RangeError", message: "training failed" },
  );
  assert.deepEqual(await listTree(out), ["metrics.json"]);
  assert.equal(await Deno.readTextFile(join(out, "metrics.json")), "earlier");
  await Deno.remove(out, { recursive: true });
});

Deno.test("writeStaged removes a staging folder a stopped run left, but not a recent one", async () => {
  const out = await Deno.makeTempDir();
  try {
    const stale = join(out, ".partial-stopped");
    const recent = join(out, ".partial-writing");
    await Deno.mkdir(stale);
    await Deno.mkdir(recent);
    const longAgo = new Date(Date.now() - STALE_STAGING_MS - 60_000);
    await Deno.utime(stale, longAgo, longAgo);
    await writeStaged(async (dir) => {
      await Deno.writeTextFile(join(dir, "metrics.json"), "{}");
    }, { out });
    const names = [];
    for await (const entry of Deno.readDir(out)) names.push(entry.name);
    assert.deepEqual(names.sort(), [".partial-writing", "metrics.json"]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
