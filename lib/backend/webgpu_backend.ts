/**
 * Registers tfjs's stock WebGPU backend on a device got here, instead of
 * the one its package would get itself (see webgpu_adapter.ts for why).
 *
 * The package is loaded only when WebGPU is asked for or an adapter that is
 * not a software fallback is found, so other runs never load it. On load it
 * registers "webgpu" with priority 3, above wasm and cpu; that registration
 * is replaced by one with priority 0, so that tfjs never picks WebGPU
 * unless told to. None of this project's own kernels (fused Adam, fused ReLU
 * gradient, the BLAS and SIMD kernels) is registered on "webgpu", and the
 * two patched training steps keep tfjs's behaviour on any other backend:
 * WebGPU runs stock tfjs kernels only.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  findWebGpuAdapter,
  type FoundWebGpuAdapter,
  requestWebGpuDevice,
} from "./webgpu_adapter.ts";

/** The tfjs backend name of WebGPU. */
export const WEBGPU_BACKEND_NAME = "webgpu";

/** Below the stock wasm (2) and cpu (1) backends: never picked implicitly. */
const PRIORITY = 0;

let adapterSearch: Promise<FoundWebGpuAdapter> | undefined;
let registration: Promise<void> | undefined;

/**
 * Finds the adapter once per process: an adapter gives one device, and its
 * info is read only once. A failure is remembered too.
 *
 * @example
 * ```ts
 * const { info } = await findWebGpuAdapterOnce();
 * ```
 */
export function findWebGpuAdapterOnce(): Promise<FoundWebGpuAdapter> {
  adapterSearch ??= findWebGpuAdapter();
  return adapterSearch;
}

/**
 * Gets a device from `found` and registers the "webgpu" tfjs backend on it,
 * once per process; later calls wait for the first.
 *
 * @throws {Deno.errors.NotSupported} when no device can be got.
 * @example
 * ```ts
 * await registerWebGpuBackend(await findWebGpuAdapterOnce());
 * await tf.setBackend("webgpu");
 * ```
 */
export function registerWebGpuBackend(found: FoundWebGpuAdapter): Promise<void> {
  registration ??= register(found);
  return registration;
}

async function register(found: FoundWebGpuAdapter): Promise<void> {
  const device = await requestWebGpuDevice(found);
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  if (tf.findBackendFactory(WEBGPU_BACKEND_NAME) != null) tf.removeBackend(WEBGPU_BACKEND_NAME);
  tf.registerBackend(
    WEBGPU_BACKEND_NAME,
    () => new WebGPUBackend(device, found.info as unknown as GPUAdapterInfo),
    PRIORITY,
  );
}
