/**
 * The frame every `deno task` command shares: parse the flags, answer a
 * bad flag with one line and exit code 2, print the help, run, and answer
 * a failure with one line and exit code 1, never a stack trace.
 *
 * @module
 */
import { UsageError } from "./flags.ts";

/** What a command is: its name, its flags and its work. */
export interface Command<A extends { help: boolean }> {
  /** The task's name, which starts every error line ("train"). */
  name: string;
  /** Parses the arguments (it may load files first); throws a `UsageError` for a bad flag. */
  parse: (argv: string[]) => A | Promise<A>;
  /** The help text printed for `--help`. */
  help: string;
  /** Does the work; returns the exit code, or nothing for 0. */
  run: (args: A) => Promise<number | void>;
  /** Start the error line on a line of its own, after a half-drawn progress bar; default false. */
  breakLineBeforeError?: boolean;
}

/**
 * Runs a command with the given arguments and returns its exit code: 0 on
 * success, 1 when the work failed, 2 for a bad flag.
 *
 * @example
 * ```ts
 * Deno.exit(await runCommand(Deno.args, { name: "serve", parse, help, run }));
 * ```
 */
export async function runCommand<A extends { help: boolean }>(
  argv: string[],
  command: Command<A>,
): Promise<number> {
  let args: A;
  try {
    args = await command.parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${command.name}: ${error.message} (see deno task ${command.name} --help)`);
    return 2;
  }
  if (args.help) {
    console.log(command.help);
    return 0;
  }
  try {
    return (await command.run(args)) ?? 0;
  } catch (error) {
    const lineBreak = command.breakLineBeforeError ? "\n" : "";
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${lineBreak}${command.name}: ${message}`);
    return 1;
  }
}
