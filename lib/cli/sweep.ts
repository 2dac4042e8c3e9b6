/**
 * `deno task sweep`: runs a grid of training settings as `deno task train`
 * processes (or emits them as shell lines, or collects what finished), and
 * writes the table of trials, the settings ranked by validation accuracy,
 * the charts and report.html to `--out`.
 *
 * The only place of the sweep that reads Deno.args, prints and exits; all
 * the work is in `lib/sweep/`.
 *
 * @module
 */
import pl from "nodejs-polars";
import {
  bestSettings,
  checkSweepFolder,
  collectSweep,
  emitTrialCommands,
  recordSweepSpec,
  runSweep,
  type SweepProgress,
  writeSweepResults,
} from "../sweep/mod.ts";
import { UsageError } from "./flags.ts";
import { registryWithModelFile } from "./model_file.ts";
import { checkOutFile, prepareOutFolder } from "./out_folder.ts";
import { runCommand } from "./run_command.ts";
import { parseSweepArgs, readSweepModelFile, SWEEP_HELP, type SweepArgs } from "./sweep_args.ts";

/** Registers `--model-file`'s models, parses the flags, and refuses a folder holding another sweep. */
async function parse(argv: string[]): Promise<SweepArgs> {
  const registry = await registryWithModelFile(readSweepModelFile(argv));
  const args = parseSweepArgs(argv, { registry });
  if (args.spec !== undefined) {
    if (args.emit !== undefined) await checkOutFile("emit", args.emit);
    // A file or a path the task may not write is one usage line, as train's --out.
    await prepareOutFolder(args.out);
    try {
      await checkSweepFolder(args.spec, args.out);
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(`--out: ${error.message}`);
      throw error;
    }
  }
  return args;
}

function formatProgress(progress: SweepProgress): string {
  const left = progress.secondsLeft;
  const eta = progress.running + progress.left === 0
    ? "finished"
    : left === undefined
    ? "time left unknown yet"
    : left < 90
    ? `about ${Math.ceil(left)} s left`
    : `about ${Math.round(left / 60)} min left`;
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : "";
  return `sweep: ${progress.done} done, ${progress.running} running, ${progress.left} left${failed}, ${eta}`;
}

/** Collects the folder, writes the results and prints the table, the best settings and the failures. */
async function collect(out: string): Promise<number> {
  const sweep = await collectSweep(out);
  const written = await writeSweepResults(sweep, out);
  pl.Config.setTblHideColumnDataTypes(true).setTblCols(20).setTblWidthChars(200).setTblRows(50);
  console.log(sweep.table.drop("trial").toString());
  const best = bestSettings(sweep.table, sweep.spec.keys);
  if (best !== undefined) {
    console.log(
      `best by validation accuracy: ${
        Object.entries(best).map(([key, value]) =>
          `${key} ${
            typeof value === "number" ? Number(value.toPrecision(4)) : value ?? "— (one trial)"
          }`
        ).join(", ")
      }`,
    );
  }
  sweep.failed.forEach(({ trial, error }) => console.log(`failed: ${trial}: ${error}`));
  if (sweep.pending.length > 0) console.log(`not finished: ${sweep.pending.length} trials`);
  console.log(`wrote ${written.length} files to ${out} (open ${out}/report.html)`);
  return sweep.failed.length > 0 ? 1 : 0;
}

async function sweep(args: SweepArgs): Promise<number> {
  if (args.spec === undefined) return await collect(args.collect ?? args.out);
  args.notes?.forEach((note) => console.log(`sweep: ${note}`));
  const spec = await recordSweepSpec(args.spec, args.out);
  if (args.emit !== undefined) {
    const lines = emitTrialCommands(spec, { out: args.out, root: Deno.cwd() });
    await Deno.writeTextFile(args.emit, lines.join("\n") + "\n");
    console.log(
      `wrote ${lines.length} trial ${
        lines.length === 1 ? "command" : "commands"
      } to ${args.emit}; then run deno task sweep --collect ${args.out}`,
    );
    return 0;
  }
  const run = await runSweep(spec, {
    out: args.out,
    jobs: args.jobs,
    onProgress: (progress) => console.log(formatProgress(progress)),
  });
  console.log(
    `sweep: ${run.completed.length} ${run.completed.length === 1 ? "trial" : "trials"} ran in ${
      run.seconds.toFixed(1)
    } s, ${run.skipped.length} ${
      run.skipped.length === 1 ? "was" : "were"
    } done already, ${run.failed.length} failed`,
  );
  return await collect(args.out);
}

Deno.exit(await runCommand(Deno.args, { name: "sweep", parse, help: SWEEP_HELP, run: sweep }));
