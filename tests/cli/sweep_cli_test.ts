import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";

const decoder = new TextDecoder();

async function run(program: string, args: string[]) {
  const output = await new Deno.Command(program, {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

const runSweep = (args: string[]) => run("deno", ["run", "-P=sweep", "lib/cli/sweep.ts", ...args]);

/** Tiny trials: two learning rates of the MLP on 300 images for one epoch. */
const TINY = [
  "--model",
  "mlp",
  "--grid",
  "learningRate=1e-3,3e-3",
  "--limit",
  "300",
  "--epochs",
  "1",
];

/** The table without the columns that differ between runs (wall times). */
async function resultsOf(out: string): Promise<Record<string, unknown>[]> {
  const table = pl.readCSV(await Deno.readTextFile(join(out, "tables", "trials.csv")));
  return table.drop("trainSeconds").sort("trial").toRecords();
}

Deno.test("--emit then GNU parallel then --collect gives the same table as a direct run", async () => {
  const direct = await Deno.makeTempDir();
  const ran = await runSweep([...TINY, "--jobs", "2", "--out", direct]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /sweep: 2 done, 0 running, 0 left/);
  assert.ok((await Deno.stat(join(direct, "report.html"))).isFile);

  const again = await runSweep([...TINY, "--out", direct]);
  assert.match(again.stdout, /0 trials ran in .* 2 were done already/);

  const cluster = await Deno.makeTempDir();
  const jobs = join(cluster, "jobs.txt");
  const emitted = await runSweep([...TINY, "--out", cluster, "--emit", jobs]);
  assert.equal(emitted.code, 0, emitted.stderr);
  const lines = (await Deno.readTextFile(jobs)).trim().split("\n");
  assert.equal(lines.length, 2);
  const parallel = await run("parallel", ["--jobs", "2", "--arg-file", jobs]);
  assert.equal(parallel.code, 0, parallel.stderr);
  const collected = await runSweep(["--collect", cluster]);
  assert.equal(collected.code, 0, collected.stderr);
  assert.deepEqual(await resultsOf(cluster), await resultsOf(direct));
});

Deno.test("a folder holding another sweep, an --out that is a file, or --jobs 0, is one line and exit 2", async () => {
  const out = await Deno.makeTempDir();
  await Deno.writeTextFile(
    join(out, "sweep.json"),
    JSON.stringify({ model: "cnn", sharedArgs: [], keys: ["learningRate"], trials: [] }),
  );
  const file = join(out, "notes.txt");
  await Deno.writeTextFile(file, "not a folder");
  for (const flags of [["--out", out], ["--out", file], ["--out", "x", "--jobs", "0"]]) {
    const { code, stderr } = await runSweep([...TINY, ...flags]);
    assert.equal(code, 2);
    const lines = stderr.split("\n").filter((line) => line.startsWith("sweep:"));
    assert.equal(lines.length, 1, stderr);
    assert.doesNotMatch(stderr, /\n\s+at /);
  }
});

Deno.test("an --emit file in a missing folder, or a folder, is one line and exit 2, before --out is made", async () => {
  const root = await Deno.makeTempDir();
  const out = join(root, "sweep");
  for (
    const [emit, expected] of [
      [
        join(root, "missing", "trials.sh"),
        /--emit .*trials\.sh is in .*missing, which is not a folder/,
      ],
      [root, /--emit .* is a folder, expected a file to write to/],
      // A path the task may not read is one line too, not a stack trace.
      ["/proc/version", /--emit \/proc\/version cannot be checked \(.+\)/],
    ] as const
  ) {
    const { code, stderr } = await runSweep([...TINY, "--out", out, "--emit", emit]);
    assert.equal(code, 2);
    const lines = stderr.split("\n").filter((line) => line.startsWith("sweep:"));
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], expected);
  }
  await assert.rejects(() => Deno.stat(out), Deno.errors.NotFound);
  await Deno.remove(root, { recursive: true });
});

Deno.test("--collect of a file, of a broken sweep.json or of one that is a folder is one line and exit 1", async () => {
  const root = await Deno.makeTempDir();
  const file = join(root, "notes.txt");
  await Deno.writeTextFile(file, "not a folder");
  const broken = join(root, "broken");
  await Deno.mkdir(broken);
  await Deno.writeTextFile(join(broken, "sweep.json"), "{oops");
  const folderSpec = join(root, "folder-spec");
  await Deno.mkdir(join(folderSpec, "sweep.json"), { recursive: true });
  for (
    const [folder, expected] of [
      [file, /Cannot read a sweep from .*notes\.txt: it is a file, expected a folder/],
      [broken, /Cannot read .*sweep\.json: .*JSON.*, expected a sweep's JSON/],
      [folderSpec, /Cannot read .*sweep\.json: it is a folder, expected a sweep's JSON file/],
    ] as const
  ) {
    const { code, stderr } = await runSweep(["--collect", folder]);
    assert.equal(code, 1);
    const lines = stderr.split("\n").filter((line) => line.startsWith("sweep:"));
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0], expected);
    assert.doesNotMatch(stderr, /\n\s+at /);
  }
  await Deno.remove(root, { recursive: true });
});
