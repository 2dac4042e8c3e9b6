/**
 * The part of ONNX Runtime's C API that runs a one-node model on caller
 * memory, bound with Deno FFI.
 *
 * The library exports one function, `OrtGetApiBase`; every other function
 * is a pointer in the `OrtApi` table it hands out. The table only ever grows
 * at its end, so a function's index, counted in `struct OrtApi` of
 * `onnxruntime_c_api.h`, is the same in every release that has it; asking
 * for API version 13 (ONNX Runtime 1.13) gets a table that holds all of
 * those used here.
 *
 * Source: `include/onnxruntime/core/session/onnxruntime_c_api.h` of
 * https://github.com/microsoft/onnxruntime (`struct OrtApiBase`,
 * `struct OrtApi`, `ONNXTensorElementDataType`, `OrtLoggingLevel`).
 *
 * @module
 */

/** The `OrtApi` version asked for. */
export const ORT_API_VERSION = 13;

/** Index of each function used in `struct OrtApi`, from `onnxruntime_c_api.h`. */
export const ORT_API_INDEX = {
  GetErrorMessage: 2,
  CreateEnv: 3,
  CreateSessionFromArray: 8,
  Run: 9,
  CreateSessionOptions: 10,
  SetIntraOpNumThreads: 24,
  CreateTensorWithDataAsOrtValue: 49,
  CreateCpuMemoryInfo: 69,
  ReleaseStatus: 93,
  ReleaseValue: 96,
  ReleaseSessionOptions: 100,
  AddSessionConfigEntry: 130,
} as const;

const STATUS = "pointer" as const;

/** Foreign signatures of the functions in {@linkcode ORT_API_INDEX}. */
const SIGNATURES = {
  GetErrorMessage: { parameters: ["pointer"], result: "pointer" },
  CreateEnv: { parameters: ["i32", "buffer", "buffer"], result: STATUS },
  CreateSessionFromArray: {
    parameters: ["pointer", "buffer", "usize", "pointer", "buffer"],
    result: STATUS,
  },
  Run: {
    // session, run options, input names, inputs, input count,
    // output names, output count, outputs
    parameters: ["pointer", "pointer", "buffer", "buffer", "usize", "buffer", "usize", "buffer"],
    result: STATUS,
  },
  CreateSessionOptions: { parameters: ["buffer"], result: STATUS },
  SetIntraOpNumThreads: { parameters: ["pointer", "i32"], result: STATUS },
  CreateTensorWithDataAsOrtValue: {
    // memory info, data, data bytes, shape, shape length, element type, out
    parameters: ["pointer", "buffer", "usize", "buffer", "usize", "i32", "buffer"],
    result: STATUS,
  },
  CreateCpuMemoryInfo: { parameters: ["i32", "i32", "buffer"], result: STATUS },
  ReleaseStatus: { parameters: ["pointer"], result: "void" },
  ReleaseValue: { parameters: ["pointer"], result: "void" },
  ReleaseSessionOptions: { parameters: ["pointer"], result: "void" },
  AddSessionConfigEntry: { parameters: ["pointer", "buffer", "buffer"], result: STATUS },
} as const satisfies Record<keyof typeof ORT_API_INDEX, Deno.ForeignFunction>;

/** The bound functions, called as `api.Run.call(...)`. */
export type OrtApi = {
  [Name in keyof typeof SIGNATURES]: Deno.UnsafeFnPointer<(typeof SIGNATURES)[Name]>;
};

/** An opened ONNX Runtime library and its C API. */
export interface OrtLibrary {
  /** The release, as the library reports it ("1.30.0"). */
  version: string;
  api: OrtApi;
}

/**
 * Opens the library at `path` and binds the functions of
 * {@linkcode ORT_API_INDEX}, or returns undefined when it cannot be opened
 * or is not ONNX Runtime 1.13 or later; FFI refusal is thrown.
 *
 * @throws {Deno.errors.NotCapable} without the FFI permission.
 * @example
 * ```ts
 * const ort = tryOpenOrtLibrary("node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1");
 * ort?.version; // "1.30.0"
 * ```
 */
export function tryOpenOrtLibrary(path: string | URL): OrtLibrary | undefined {
  let library;
  try {
    library = Deno.dlopen(path, { OrtGetApiBase: { parameters: [], result: "pointer" } });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return undefined;
  }
  const base = library.symbols.OrtGetApiBase();
  if (base === null) return undefined;
  const baseView = new Deno.UnsafePointerView(base);
  // struct OrtApiBase { GetApi(version), GetVersionString() }
  const getApi = functionAt(baseView, 0, { parameters: ["u32"], result: "pointer" });
  const getVersion = functionAt(baseView, 1, { parameters: [], result: "pointer" });
  const table = getApi?.call(ORT_API_VERSION);
  const versionText = getVersion?.call();
  if (!table || !versionText) return undefined;
  const tableView = new Deno.UnsafePointerView(table);
  const api = {} as Record<string, unknown>;
  for (const [name, index] of Object.entries(ORT_API_INDEX)) {
    const bound = functionAt(tableView, index, SIGNATURES[name as keyof typeof SIGNATURES]);
    if (bound === undefined) return undefined;
    api[name] = bound;
  }
  return { version: Deno.UnsafePointerView.getCString(versionText), api: api as OrtApi };
}

function functionAt<const D extends Deno.ForeignFunction>(
  table: Deno.UnsafePointerView,
  index: number,
  signature: D,
): Deno.UnsafeFnPointer<D> | undefined {
  const pointer = table.getPointer(index * 8);
  if (pointer === null) return undefined;
  return new Deno.UnsafeFnPointer(pointer as Deno.PointerObject<D>, signature);
}

/**
 * Throws the error an `OrtStatus` carries, and frees it; a null status is
 * success.
 *
 * @throws {Error} "Cannot <action> with ONNX Runtime: <its message>".
 * @example
 * ```ts
 * checkStatus(api, api.CreateSessionOptions.call(out), "create session options");
 * ```
 */
export function checkStatus(api: OrtApi, status: Deno.PointerValue, action: string): void {
  if (status === null) return;
  const message = api.GetErrorMessage.call(status);
  const text = message === null ? "no message" : Deno.UnsafePointerView.getCString(message);
  api.ReleaseStatus.call(status);
  throw new Error(`Cannot ${action} with ONNX Runtime: ${text}`);
}
