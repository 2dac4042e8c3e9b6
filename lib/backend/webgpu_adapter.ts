/**
 * Finds a WebGPU adapter and gets a device from it as tfjs's webgpu backend
 * would, without the three places where tfjs 4.22 and Deno's WebGPU disagree:
 *
 * - tfjs asks for `bgra8unorm-storage` inside a nested array
 *   (`requiredFeatures.push(["bgra8unorm-storage"])`), which a browser turns
 *   into the string but Deno need not. The feature list here is flat.
 * - Reading `adapter.info` more than once has invalidated the adapter in some
 *   Deno versions. It is read here once, into a plain object, which is also
 *   what tfjs's backend is given.
 * - A real GPU offers `bgra8unorm-storage` and a software adapter does not,
 *   so tfjs would configure canvases and its Draw kernel differently on
 *   each. Training never draws, and leaving the feature out makes a GPU take
 *   the same path that the tests check on the software adapter.
 *
 * @module
 */

/** The Debian package that gives WebGPU a software adapter (Mesa's lavapipe, on Vulkan). */
export const WEBGPU_APT_PACKAGE = "mesa-vulkan-drivers";

/** The features tfjs uses that are asked for when the adapter has them. */
const WANTED_FEATURES: readonly GPUFeatureName[] = ["timestamp-query"];

/** What is known of an adapter, read once from `adapter.info`. */
export interface WebGpuAdapterInfo {
  /** The vendor's name or PCI id as the driver reports it ("65541" is Mesa). */
  vendor: string;
  /** The GPU family, often empty. */
  architecture: string;
  /** The driver's description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)". */
  description: string;
  /** True for a software adapter, which runs the shaders on the CPU. */
  isFallbackAdapter: boolean;
}

/**
 * Where a GPU shows on Linux: DRM render nodes (Mesa's drivers, NVIDIA's
 * with nvidia-drm), NVIDIA's own node, and WSL's.
 */
export const LINUX_GPU_DEVICES: readonly string[] = ["/dev/dri", "/dev/nvidia0", "/dev/dxg"];

/**
 * Whether a GPU may be present: on Linux, whether one of
 * {@linkcode LINUX_GPU_DEVICES} exists (a render node, for /dev/dri);
 * elsewhere, or without permission to look, true. Lets "auto" skip asking
 * for an adapter where only a software one can be found, which would load
 * the Vulkan drivers into every run for nothing.
 *
 * @example
 * ```ts
 * mayHaveGpu(); // false on a server without a GPU
 * ```
 */
export function mayHaveGpu(): boolean {
  if (Deno.build.os !== "linux") return true;
  return LINUX_GPU_DEVICES.some((path) => {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return true;
    try {
      if (path !== "/dev/dri") return Deno.statSync(path) !== null;
      return [...Deno.readDirSync(path)].some((entry) => entry.name.startsWith("renderD"));
    } catch {
      return false;
    }
  });
}

/** An adapter and its info, which must not be read from it again. */
export interface FoundWebGpuAdapter {
  adapter: GPUAdapter;
  info: WebGpuAdapterInfo;
}

/**
 * Asks `navigator.gpu` for its high-performance adapter and reads its info once.
 *
 * @throws {Deno.errors.NotFound} when there is no WebGPU or no adapter (with
 *   the package that gives a software one), or the request fails.
 * @example
 * ```ts
 * const { info } = await findWebGpuAdapter();
 * info.isFallbackAdapter; // true on a machine without a GPU
 * ```
 */
export async function findWebGpuAdapter(): Promise<FoundWebGpuAdapter> {
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (gpu === undefined) {
    throw new Deno.errors.NotFound(
      "Cannot find a WebGPU adapter: navigator.gpu is missing, expected a Deno with WebGPU (2.9 has it)",
    );
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await withoutWaylandNoise(() =>
      gpu.requestAdapter({ powerPreference: "high-performance" })
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Deno.errors.NotFound(`Cannot find a WebGPU adapter: the request failed: ${reason}`);
  }
  if (adapter === null) {
    throw new Deno.errors.NotFound(
      "Cannot find a WebGPU adapter: none found, expected a GPU driver " +
        `or a software one (apt-get install ${WEBGPU_APT_PACKAGE})`,
    );
  }
  const info = adapter.info;
  return {
    adapter,
    info: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      // Older Deno versions had the flag on the adapter, not on its info.
      isFallbackAdapter: info.isFallbackAdapter ??
        (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    },
  };
}

/**
 * Runs `request` with XDG_RUNTIME_DIR set to an absolute path where it is
 * unset on Linux, then removes it again. Without it, libwayland-client,
 * which the Vulkan drivers load to look for a display, prints "error:
 * XDG_RUNTIME_DIR is invalid or not set in the environment." on stderr at
 * every adapter request on a headless machine (a server, CI); any absolute
 * path quiets it, and a missing folder only means no display. Needs
 * permission to set that one variable, and does nothing without it.
 */
async function withoutWaylandNoise<T>(request: () => Promise<T>): Promise<T> {
  const variable = "XDG_RUNTIME_DIR";
  const permission = Deno.permissions.querySync({ name: "env", variable });
  if (Deno.build.os !== "linux" || permission.state !== "granted" || Deno.env.has(variable)) {
    return await request();
  }
  Deno.env.set(variable, "/nonexistent-xdg-runtime-dir");
  try {
    return await request();
  } finally {
    Deno.env.delete(variable);
  }
}

/**
 * Names an adapter in one line: description, vendor, architecture, and
 * whether it is a software fallback.
 *
 * @example
 * ```ts
 * describeAdapter({
 *   vendor: "65541", architecture: "", description: "llvmpipe (LLVM 15.0.6, 256 bits)",
 *   isFallbackAdapter: true,
 * }); // "llvmpipe (LLVM 15.0.6, 256 bits), vendor 65541, architecture unknown, software fallback"
 * ```
 */
export function describeAdapter(info: WebGpuAdapterInfo): string {
  const name = info.description || "unnamed adapter";
  const architecture = info.architecture || "unknown";
  const kind = info.isFallbackAdapter ? "software fallback" : "hardware";
  return `${name}, vendor ${info.vendor || "unknown"}, architecture ${architecture}, ${kind}`;
}

/**
 * The features to ask a device for: those tfjs uses that the adapter has,
 * as a flat list of names (see the module notes for `bgra8unorm-storage`).
 *
 * @example
 * ```ts
 * requiredFeaturesFor(new Set(["timestamp-query", "bgra8unorm-storage"])); // ["timestamp-query"]
 * ```
 */
export function requiredFeaturesFor(features: { has(name: string): boolean }): GPUFeatureName[] {
  return WANTED_FEATURES.filter((feature) => features.has(feature));
}

/**
 * Gets a device with the features and limits tfjs's webgpu backend asks for
 * (the adapter's own maxima for workgroups and buffer sizes).
 *
 * @throws {Deno.errors.NotSupported} when the adapter refuses, naming it and
 *   the reason in one line.
 * @example
 * ```ts
 * const device = await requestWebGpuDevice(await findWebGpuAdapter());
 * ```
 */
export async function requestWebGpuDevice(found: FoundWebGpuAdapter): Promise<GPUDevice> {
  const limits = found.adapter.limits;
  try {
    return await found.adapter.requestDevice({
      requiredFeatures: requiredFeaturesFor(found.adapter.features),
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Deno.errors.NotSupported(
      `Cannot get a WebGPU device from ${found.info.description || "the adapter"}: ${reason}`,
    );
  }
}
