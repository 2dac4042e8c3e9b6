import assert from "node:assert/strict";
import { join } from "node:path";
import { createRandom } from "../../lib/random.ts";
import { predictScratchMlp } from "../../lib/scratch/evaluate.ts";
import { createScratchMlp } from "../../lib/scratch/network.ts";
import { encodeNpy } from "../../lib/scratch/npy.ts";
import { saveScratchMlp } from "../../lib/scratch/weights_io.ts";

const CHECK_SCRIPT = new URL("./numpy_check.py", import.meta.url).pathname;

/** Whether `python3` with NumPy can be run here; the test is skipped otherwise. */
async function hasNumpy(): Promise<boolean> {
  try {
    const command = new Deno.Command("python3", { args: ["-c", "import numpy"], stderr: "null" });
    return (await command.output()).success;
  } catch {
    return false; // no python3, or no permission to run it
  }
}

Deno.test({
  name: "NumPy loads weights.npz and its forward pass gives the same probabilities",
  ignore: !(await hasNumpy()),
  async fn() {
    const network = createScratchMlp({ seed: 11 });
    const random = createRandom(12);
    for (const layer of network.layers) {
      layer.biases.forEach((_, j) => layer.biases[j] = random() - 0.5);
    }
    const count = 16, pixels = Float32Array.from({ length: count * 784 }, () => random());
    const directory = await Deno.makeTempDir({ prefix: "scratch_numpy_" });
    await saveScratchMlp(network, directory);
    const inputs = join(directory, "inputs.npy");
    await Deno.writeFile(inputs, encodeNpy({ data: pixels, shape: [count, 784] }));
    const weights = join(directory, "weights.npz");
    const command = new Deno.Command("python3", {
      args: [CHECK_SCRIPT, weights, "--inputs", inputs],
    });
    const { success, stdout, stderr } = await command.output();
    assert.ok(success, new TextDecoder().decode(stderr));
    const numpy: number[][] = JSON.parse(new TextDecoder().decode(stdout)).probabilities;
    const ours = predictScratchMlp(network, pixels, count);
    assert.equal(numpy.length, count);
    numpy.flat().forEach((p, i) =>
      assert.ok(Math.abs(p - ours[i]) < 1e-5, `probability ${i}: ${p} vs ${ours[i]}`)
    );
    await Deno.remove(directory, { recursive: true });
  },
});
