/**
 * Keeps the last few im2col matrices so that a convolution's filter
 * gradient reuses the columns its forward pass built.
 *
 * An entry is keyed by the backend's number for the input's data and the
 * convolution geometry. A number is never reused, and data overwritten in
 * place (Adam's update of a variable) is given a new one, so a hit always
 * holds the right values.
 *
 * @module
 */
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { allocateFloats, dataNumberOf, freeFloats, type TensorInfo } from "./heap.ts";
import type { ConvInfo } from "./im2col.ts";

interface CacheEntry {
  /** The backend's number for the input's data (see heap.ts). */
  data: number;
  key: string;
  /** Index of the first float on the heap. */
  at: number;
}

/** Column matrices kept per backend, newest last. */
export interface ColumnsCache {
  /** The heap index of cached columns for `x` and `info`, if present. */
  find(x: TensorInfo, info: ConvInfo): number | undefined;
  /** Allocates room for `x`'s columns, evicting the oldest entry if full. */
  allocate(x: TensorInfo, info: ConvInfo, floats: number): number;
  /** Frees every entry. */
  clear(): void;
}

/** Enough for the forward passes of a few convolution layers. */
export const COLUMNS_CACHE_ENTRIES = 4;

function geometryKey(info: ConvInfo): string {
  return [
    info.inShape,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  ].join(",");
}

/**
 * Creates an empty cache whose buffers live on `backend`'s heap.
 *
 * @example
 * ```ts
 * const cache = createColumnsCache(backend);
 * const at = cache.find(x, info) ?? cache.allocate(x, info, rows * rowLength);
 * ```
 */
export function createColumnsCache(backend: BackendWasm): ColumnsCache {
  const entries: CacheEntry[] = [];
  return {
    find(x: TensorInfo, info: ConvInfo): number | undefined {
      const [data, key] = [dataNumberOf(backend, x), geometryKey(info)];
      const hit = entries.find((e) => e.data === data && e.key === key);
      return hit?.at;
    },
    allocate(x: TensorInfo, info: ConvInfo, floats: number): number {
      if (entries.length >= COLUMNS_CACHE_ENTRIES) {
        freeFloats(backend, entries.shift()!.at);
      }
      const at = allocateFloats(backend, floats);
      entries.push({ data: dataNumberOf(backend, x), key: geometryKey(info), at });
      return at;
    },
    clear(): void {
      for (const entry of entries.splice(0)) freeFloats(backend, entry.at);
    },
  };
}
