import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { setupBackend } from "../../lib/backend/mod.ts";
import { allocateFloats, freeFloats, heapF32 } from "../../lib/backend/heap.ts";
import { shareDefinedMemory, sharedMemoryOf } from "../../lib/backend/shared_heap.ts";
import { decodeBase64 } from "../../lib/backend/simd/base64.ts";
import { KERNELS_WASM_BASE64 } from "../../lib/backend/simd/kernels_wasm.ts";
import { createWorkerPool } from "../../lib/backend/worker_pool.ts";

const kernels = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));

Deno.test("the wasm backend's heap is a shared memory", async () => {
  await setupBackend({ backend: "wasm" });
  const backend = tf.backend() as BackendWasm;
  assert.ok(sharedMemoryOf(backend).buffer instanceof SharedArrayBuffer);
  assert.deepEqual(Array.from(tf.tensor([1, -2, 3]).relu().dataSync()), [1, 0, 3]);
});

Deno.test("sharing a module's memory refuses bytes with no memory to share", () => {
  const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.throws(
    () => shareDefinedMemory(empty),
    new SyntaxError(
      "Cannot share the wasm backend's memory: found no memory section, expected one",
    ),
  );
});

Deno.test("jobs split over worker threads give what one thread gives", async () => {
  await setupBackend({ backend: "wasm" });
  const backend = tf.backend() as BackendWasm;
  const memory = sharedMemoryOf(backend);
  const pool = await createWorkerPool({ memory, modules: [kernels], threads: 3 });
  try {
    assert.equal(pool.threads, 3);
    const n = 3001;
    const [out, dy, x] = [0, 1, 2].map(() => allocateFloats(backend, n));
    const heap = heapF32(backend);
    for (let i = 0; i < n; i++) [heap[dy + i], heap[x + i]] = [i, (i % 3) - 1];
    const check = (label: string) => {
      for (let i = 0; i < n; i++) {
        assert.equal(heap[out + i], heap[x + i] > 0 ? i : 0, `${label}: at ${i}`);
      }
      heap.fill(-1, out, out + n);
    };
    // One call per item of one float, then one call per chunk of items.
    const args = [out * 4, dy * 4, x * 4, 1];
    for (let round = 0; round < 50; round++) {
      pool.run({ module: 0, name: "relu_grad", args, strides: [4, 4, 4, 0], items: n });
      check("a call per item");
      pool.run({
        module: 0,
        name: "relu_grad",
        args,
        strides: [4, 4, 4, 0],
        items: n,
        countArgument: 3,
        multiple: 4,
      });
      check("a call per chunk");
    }
    assert.throws(
      () => pool.run({ module: 0, name: "no_such_loop", args: [], strides: [], items: 1 }),
      RangeError,
    );
    for (const at of [out, dy, x]) freeFloats(backend, at);
  } finally {
    pool.close();
  }
});

Deno.test("a worker pool refuses a thread count below one", async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  await assert.rejects(
    () => createWorkerPool({ memory, modules: [kernels], threads: 0 }),
    new RangeError("Cannot start worker threads: thread count is 0, expected an integer >= 1"),
  );
});
