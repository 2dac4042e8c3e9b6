/**
 * oneDNN's own convolution primitives through Deno FFI: the forward pass
 * (with its bias and ReLU), the input gradient and the filter gradient, on
 * NHWC images and HWIO filters in place.
 *
 * Where oneDNN has a JIT convolution for the CPU ("brgconv:avx512_core",
 * "jit:avx512_core"), it beats im2col plus `dnnl_sgemm` by far: measured on
 * this project's 2-core AVX-512 machine with the CNN's layers at batch 64,
 * the second layer's forward pass with bias and ReLU took 0.74 ms against
 * 1.67 ms, its input gradient 0.82 against 1.84 ms, its filter gradient
 * 0.80 against 1.4 ms, and the first layer's forward pass 0.18 against
 * 0.8 ms. oneDNN runs them directly, without a column matrix, on filters
 * reordered to its blocked layout (a few microseconds for these filters).
 * Where oneDNN has only its reference or gemm-based convolution for a
 * geometry (few input channels on some CPUs, say), `prepare` declines and
 * the caller keeps its im2col path, which is faster than those.
 *
 * The C API used is oneDNN 2.x's (`dnnl_convolution_*_desc_init`, then
 * `dnnl_primitive_desc_create`; oneDNN 3 replaced it), so other major
 * versions get no primitives. Memory layouts are given by strides, which
 * mean the same in every 2.x release, where format tag numbers do not.
 * Source: oneDNN's C API reference, include/oneapi/dnnl/dnnl.h and
 * dnnl_types.h of release 2.6 (https://github.com/oneapi-src/oneDNN).
 *
 * A primitive is made once per geometry (JIT compilation, milliseconds)
 * and kept, a few dozen at most; each call then only points the
 * primitive's memory objects at the tensors.
 *
 * @module
 */
import type { ConvInfo } from "./im2col.ts";

const SYMBOLS = {
  dnnl_version: { parameters: [], result: "pointer" },
  dnnl_engine_create: { parameters: ["buffer", "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: ["buffer", "pointer", "u32"], result: "i32" },
  dnnl_stream_wait: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_desc_init_by_strides: {
    parameters: ["buffer", "i32", "buffer", "i32", "buffer"],
    result: "i32",
  },
  dnnl_memory_desc_init_by_tag: {
    parameters: ["buffer", "i32", "buffer", "i32", "i32"],
    result: "i32",
  },
  dnnl_memory_desc_equal: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_convolution_forward_desc_init: {
    parameters: [
      "buffer", // conv_desc
      "i32", // prop_kind
      "i32", // alg_kind
      "pointer", // src_desc
      "pointer", // weights_desc
      "pointer", // bias_desc, null for none
      "pointer", // dst_desc
      "buffer", // strides
      "buffer", // padding_l
      "buffer", // padding_r
    ],
    result: "i32",
  },
  dnnl_convolution_backward_data_desc_init: {
    parameters: ["buffer", "i32", "pointer", "pointer", "pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  dnnl_convolution_backward_weights_desc_init: {
    parameters: [
      "buffer",
      "i32",
      "pointer", // src_desc
      "pointer", // diff_weights_desc
      "pointer", // diff_bias_desc, null for none
      "pointer", // diff_dst_desc
      "buffer",
      "buffer",
      "buffer",
    ],
    result: "i32",
  },
  dnnl_post_ops_create: { parameters: ["buffer"], result: "i32" },
  dnnl_post_ops_append_eltwise: {
    parameters: ["pointer", "f32", "i32", "f32", "f32"],
    result: "i32",
  },
  dnnl_post_ops_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_attr_create: { parameters: ["buffer"], result: "i32" },
  dnnl_primitive_attr_set_post_ops: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_primitive_attr_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_desc_create: {
    parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_reorder_primitive_desc_create: {
    parameters: ["buffer", "pointer", "pointer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_primitive_desc_query: {
    parameters: ["pointer", "i32", "i32", "buffer"],
    result: "i32",
  },
  dnnl_primitive_desc_query_md: { parameters: ["pointer", "i32", "i32"], result: "pointer" },
  dnnl_primitive_desc_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_primitive_create: { parameters: ["buffer", "pointer"], result: "i32" },
  dnnl_primitive_execute: {
    parameters: ["pointer", "pointer", "i32", "buffer"],
    result: "i32",
  },
  dnnl_primitive_destroy: { parameters: ["pointer"], result: "i32" },
  dnnl_memory_create: {
    parameters: ["buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  dnnl_memory_set_data_handle: { parameters: ["pointer", "pointer"], result: "i32" },
  dnnl_memory_destroy: { parameters: ["pointer"], result: "i32" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

// Values of oneDNN 2.x's dnnl_types.h, the same in every 2.x release.
const DNNL_SUCCESS = 0;
const DNNL_CPU_ENGINE = 1;
const DNNL_F32 = 3;
const DNNL_FORMAT_TAG_ANY = 1;
const DNNL_FORWARD_TRAINING = 64;
const DNNL_CONVOLUTION_DIRECT = 1;
const DNNL_ELTWISE_RELU = 0x1f;
const DNNL_STREAM_DEFAULT_FLAGS = 1;
const DNNL_QUERY_IMPL_INFO_STR = 8;
const DNNL_QUERY_SRC_MD = 129;
const DNNL_QUERY_DIFF_SRC_MD = 130;
const DNNL_QUERY_WEIGHTS_MD = 131;
const DNNL_QUERY_DIFF_WEIGHTS_MD = 132;
const DNNL_QUERY_DST_MD = 133;
const DNNL_QUERY_DIFF_DST_MD = 134;
const DNNL_ARG_SRC = 1;
const DNNL_ARG_DST = 17;
const DNNL_ARG_WEIGHTS = 33;
const DNNL_ARG_BIAS = 41;
const DNNL_ARG_DIFF_SRC = 129;
const DNNL_ARG_DIFF_DST = 145;
const DNNL_ARG_DIFF_WEIGHTS = 161;
const DNNL_ARG_FROM = 1;
const DNNL_ARG_TO = 17;
/** `DNNL_MEMORY_ALLOCATE`, `(void *)-1`: the library allocates the buffer. */
const MEMORY_ALLOCATE = 0xffff_ffff_ffff_ffffn;
/** Bytes reserved for a `dnnl_memory_desc_t` (696 in release 2.6). */
const MEMORY_DESC_BYTES = 2048;
/** Bytes reserved for a `dnnl_convolution_desc_t` (5,976 in release 2.6). */
const CONVOLUTION_DESC_BYTES = 16384;
/** Bytes of one `dnnl_exec_arg_t`: an int, padding, a pointer. */
const EXEC_ARG_BYTES = 16;
/** Primitives kept, one per geometry and pass; the least recently used goes first. */
const MAX_PLANS = 48;

/** Which pass a primitive computes. */
export type ConvolutionPass = "forward" | "inputGradient" | "filterGradient";

/** The tensors of one forward pass, as float32 views starting at each tensor. */
export interface ForwardTensors {
  /** Images, NHWC `[n, inHeight, inWidth, inChannels]`. */
  x: Float32Array;
  /** The filter, HWIO `[filterHeight, filterWidth, inChannels, outChannels]`. */
  filter: Float32Array;
  /** `[outChannels]`, or undefined for none. */
  bias: Float32Array | undefined;
  /** Written: NHWC `[n, outHeight, outWidth, outChannels]`. */
  out: Float32Array;
}

/** The tensors of the input gradient. */
export interface InputGradientTensors {
  /** The output's gradient, NHWC `[n, outHeight, outWidth, outChannels]`. */
  dy: Float32Array;
  /** The filter, HWIO. */
  filter: Float32Array;
  /** Written: NHWC `[n, inHeight, inWidth, inChannels]`. */
  dx: Float32Array;
}

/** The tensors of the filter gradient. */
export interface FilterGradientTensors {
  /** Images, NHWC. */
  x: Float32Array;
  /** The output's gradient, NHWC. */
  dy: Float32Array;
  /** Written: HWIO `[filterHeight, filterWidth, inChannels, outChannels]`. */
  dFilter: Float32Array;
}

/** What the forward primitive adds after the product. */
export interface ForwardEpilogue {
  bias: boolean;
  relu: boolean;
}

/** oneDNN's convolutions, ready to run on float32 views. */
export interface OneDnnConvolutions {
  /** "oneDNN 2.6.3". */
  version: string;
  /**
   * Whether oneDNN has a JIT convolution for this geometry and pass; makes
   * and keeps its primitive. False (and nothing kept) for dilations, a
   * channels-first layout, or when oneDNN offers only its reference or
   * gemm-based implementation.
   */
  prepare(info: ConvInfo, pass: ConvolutionPass, epilogue?: ForwardEpilogue): boolean;
  /** The implementation oneDNN chose ("brgconv:avx512_core"), once prepared. */
  implementation(info: ConvInfo, pass: ConvolutionPass, epilogue?: ForwardEpilogue): string;
  /**
   * Runs the forward pass prepared for `info` and `epilogue`.
   *
   * @throws {Error} when it was not prepared, or oneDNN returns an error status.
   */
  forward(info: ConvInfo, epilogue: ForwardEpilogue, tensors: ForwardTensors): void;
  /** Runs the input gradient prepared for `info`; throws as `forward` does. */
  inputGradient(info: ConvInfo, tensors: InputGradientTensors): void;
  /** Runs the filter gradient prepared for `info`; throws as `forward` does. */
  filterGradient(info: ConvInfo, tensors: FilterGradientTensors): void;
}

/** A memory object whose buffer is a tensor's, pointed anew at each call. */
interface Bound {
  memory: Deno.PointerValue;
}

/** A reorder of the filter between its HWIO layout and the primitive's. */
interface Reorder {
  primitive: Deno.PointerValue;
  args: Uint8Array<ArrayBuffer>;
}

/** One primitive with its memory objects and argument list. */
interface Plan {
  primitive: Deno.PointerValue;
  args: Uint8Array<ArrayBuffer>;
  implementation: string;
  /** Memory objects by argument, bound to tensors at each call. */
  bound: Map<number, Bound>;
  /** The filter's reorder into the primitive's layout (forward, input gradient). */
  filterIn?: Reorder;
  /** The filter gradient's reorder out of the primitive's layout. */
  filterOut?: Reorder;
  /** Everything to destroy with the plan. */
  owned: { primitives: Deno.PointerValue[]; memories: Deno.PointerValue[] };
}

/**
 * Opens oneDNN's convolution primitives from the library at `path`, or
 * returns undefined when it is not oneDNN 2.x or lacks a symbol.
 *
 * @throws {Deno.errors.NotCapable} without FFI permission.
 * @example
 * ```ts
 * const convolutions = openOneDnnConvolutions("/usr/lib/x86_64-linux-gnu/libdnnl.so.2");
 * convolutions?.prepare(info, "forward", { bias: true, relu: true }); // true with a JIT kernel
 * ```
 */
export function openOneDnnConvolutions(path: string): OneDnnConvolutions | undefined {
  let library: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    library = Deno.dlopen(path, SYMBOLS);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return undefined;
  }
  const lib = library.symbols;
  const version = versionOf(lib);
  if (version === undefined || !version.startsWith("2.")) {
    library.close();
    return undefined;
  }
  const engine = created((out) => lib.dnnl_engine_create(out, DNNL_CPU_ENGINE, 0n), "engine");
  const stream = created(
    (out) => lib.dnnl_stream_create(out, engine, DNNL_STREAM_DEFAULT_FLAGS),
    "stream",
  );
  const plans = new Map<string, Plan | null>();
  // The kernels call prepare() and then the pass with the same objects: the
  // second lookup takes the first one's plan without building the key again.
  let last: {
    info: ConvInfo;
    pass: ConvolutionPass;
    epilogue?: ForwardEpilogue;
    plan: Plan | null;
  } | undefined;

  const planOf = (info: ConvInfo, pass: ConvolutionPass, epilogue?: ForwardEpilogue) => {
    if (last?.info === info && last.pass === pass && last.epilogue === epilogue) return last.plan;
    const key = planKey(info, pass, epilogue);
    let plan = plans.get(key);
    if (plan === undefined) {
      plan = makePlan(lib, engine, info, pass, epilogue);
      if (plans.size >= MAX_PLANS) {
        const [oldest, old] = plans.entries().next().value!;
        if (old) destroyOwned(lib, old.owned);
        plans.delete(oldest);
      }
    } else {
      plans.delete(key);
    }
    plans.set(key, plan);
    last = { info, pass, epilogue, plan };
    return plan;
  };
  const run = (
    info: ConvInfo,
    pass: ConvolutionPass,
    epilogue: ForwardEpilogue | undefined,
    views: [number, Float32Array | undefined][],
  ) => {
    const plan = planOf(info, pass, epilogue);
    if (!plan) {
      throw new Error(
        `Cannot run oneDNN's ${pass} convolution for ${describe(info)}: none prepared, ` +
          `expected prepare() to have returned true first`,
      );
    }
    for (const [arg, view] of views) {
      const bound = plan.bound.get(arg);
      if (bound === undefined) continue;
      if (view === undefined) {
        throw new TypeError(
          `Cannot run oneDNN's ${pass} convolution for ${describe(info)}: argument ${arg} ` +
            `is missing, expected a tensor for it (a bias when the epilogue says bias)`,
        );
      }
      check(lib.dnnl_memory_set_data_handle(bound.memory, Deno.UnsafePointer.of(view)), "bind");
    }
    if (plan.filterIn) execute(lib, stream, plan.filterIn.primitive, plan.filterIn.args);
    execute(lib, stream, plan.primitive, plan.args);
    if (plan.filterOut) execute(lib, stream, plan.filterOut.primitive, plan.filterOut.args);
    check(lib.dnnl_stream_wait(stream), "stream wait");
  };
  return {
    version: `oneDNN ${version}`,
    prepare: (info, pass, epilogue) => planOf(info, pass, epilogue) !== null,
    implementation: (info, pass, epilogue) => planOf(info, pass, epilogue)?.implementation ?? "",
    forward(info, epilogue, { x, filter, bias, out }) {
      // The filter's own memory is the reorder's source, keyed by DNNL_ARG_FROM.
      run(info, "forward", epilogue, [
        [DNNL_ARG_SRC, x],
        [-DNNL_ARG_FROM, filter],
        [DNNL_ARG_WEIGHTS, filter],
        [DNNL_ARG_BIAS, bias],
        [DNNL_ARG_DST, out],
      ]);
    },
    inputGradient(info, { dy, filter, dx }) {
      run(info, "inputGradient", undefined, [
        [DNNL_ARG_DIFF_DST, dy],
        [-DNNL_ARG_FROM, filter],
        [DNNL_ARG_WEIGHTS, filter],
        [DNNL_ARG_DIFF_SRC, dx],
      ]);
    },
    filterGradient(info, { x, dy, dFilter }) {
      run(info, "filterGradient", undefined, [
        [DNNL_ARG_SRC, x],
        [DNNL_ARG_DIFF_DST, dy],
        [DNNL_ARG_DIFF_WEIGHTS, dFilter],
        [-DNNL_ARG_TO, dFilter],
      ]);
    },
  };
}

function versionOf(lib: Symbols): string | undefined {
  const pointer = lib.dnnl_version();
  if (pointer === null) return undefined;
  const view = new Deno.UnsafePointerView(pointer);
  return `${view.getInt32(0)}.${view.getInt32(4)}.${view.getInt32(8)}`;
}

function planKey(info: ConvInfo, pass: ConvolutionPass, epilogue?: ForwardEpilogue): string {
  const { padInfo: p } = info;
  const tail = pass === "forward" ? `${epilogue?.bias ? "b" : ""}${epilogue?.relu ? "r" : ""}` : "";
  return `${pass}${tail} ${describe(info)} ${info.strideHeight},${info.strideWidth} ` +
    `${p.top},${p.left},${p.bottom},${p.right}`;
}

function describe(info: ConvInfo): string {
  return `x [${info.batchSize}, ${info.inHeight}, ${info.inWidth}, ${info.inChannels}] ` +
    `filter [${info.filterHeight}, ${info.filterWidth}, ${info.inChannels}, ${info.outChannels}] ` +
    `out [${info.outHeight}, ${info.outWidth}] dilations ${info.dilationHeight},${info.dilationWidth}`;
}

/** Calls `make` with an out-parameter for a handle and returns the handle. */
function created(make: (out: BigUint64Array) => number, what: string): Deno.PointerValue {
  const out = new BigUint64Array(1);
  check(make(out), `create ${what}`);
  return Deno.UnsafePointer.create(out[0]);
}

function check(status: number, what: string): void {
  if (status !== DNNL_SUCCESS) {
    throw new Error(`Cannot ${what} in oneDNN: status ${status}, expected 0 (success)`);
  }
}

function execute(
  lib: Symbols,
  stream: Deno.PointerValue,
  primitive: Deno.PointerValue,
  args: Uint8Array<ArrayBuffer>,
): void {
  check(
    lib.dnnl_primitive_execute(primitive, stream, args.length / EXEC_ARG_BYTES, args),
    "execute a convolution",
  );
}

/**
 * A memory descriptor of float32 `dims`, laid out with `strides` (elements),
 * or in whatever layout the primitive chooses ("any").
 */
function tensorDesc(
  lib: Symbols,
  dims: number[],
  strides: number[] | "any",
): Uint8Array<ArrayBuffer> {
  const desc = new Uint8Array(MEMORY_DESC_BYTES);
  const dimensions = new BigInt64Array(dims.map(BigInt));
  const status = strides === "any"
    ? lib.dnnl_memory_desc_init_by_tag(desc, dims.length, dimensions, DNNL_F32, DNNL_FORMAT_TAG_ANY)
    : lib.dnnl_memory_desc_init_by_strides(
      desc,
      dims.length,
      dimensions,
      DNNL_F32,
      new BigInt64Array(strides.map(BigInt)),
    );
  check(status, `describe a tensor of dims [${dims}]`);
  return desc;
}

/** NHWC images of logical dims (n, c, h, w). */
function imagesDesc(lib: Symbols, n: number, h: number, w: number, c: number) {
  return tensorDesc(lib, [n, c, h, w], [h * w * c, 1, w * c, c]);
}

/** An HWIO filter of logical dims (o, i, h, w). */
function filterDesc(lib: Symbols, info: ConvInfo) {
  const { outChannels: o, inChannels: i, filterHeight: h, filterWidth: w } = info;
  return tensorDesc(lib, [o, i, h, w], [1, o, w * i * o, i * o]);
}

const ptr = (bytes: Uint8Array<ArrayBuffer>) => Deno.UnsafePointer.of(bytes);

/** Makes the plan, or returns null when oneDNN has no JIT convolution for it. */
function makePlan(
  lib: Symbols,
  engine: Deno.PointerValue,
  info: ConvInfo,
  pass: ConvolutionPass,
  epilogue?: ForwardEpilogue,
): Plan | null {
  if (!supported(info)) return null;
  const x = imagesDesc(lib, info.batchSize, info.inHeight, info.inWidth, info.inChannels);
  const y = imagesDesc(lib, info.batchSize, info.outHeight, info.outWidth, info.outChannels);
  const userFilter = filterDesc(lib, info);
  const anyFilter = tensorDesc(
    lib,
    [info.outChannels, info.inChannels, info.filterHeight, info.filterWidth],
    "any",
  );
  const bias = tensorDesc(lib, [info.outChannels], [1]);
  const geometry = {
    strides: new BigInt64Array([info.strideHeight, info.strideWidth].map(BigInt)),
    left: new BigInt64Array([info.padInfo.top, info.padInfo.left].map(BigInt)),
    right: new BigInt64Array([info.padInfo.bottom, info.padInfo.right].map(BigInt)),
  };
  const withBias = pass === "forward" && epilogue?.bias === true;
  const forwardDesc = new Uint8Array(CONVOLUTION_DESC_BYTES);
  const forwardStatus = lib.dnnl_convolution_forward_desc_init(
    forwardDesc,
    DNNL_FORWARD_TRAINING,
    DNNL_CONVOLUTION_DIRECT,
    ptr(x),
    ptr(anyFilter),
    withBias ? ptr(bias) : null,
    ptr(y),
    geometry.strides,
    geometry.left,
    geometry.right,
  );
  if (forwardStatus !== DNNL_SUCCESS) return null;
  const attr = pass === "forward" && epilogue?.relu ? reluAttribute(lib) : null;
  const forwardPd = primitiveDesc(lib, forwardDesc, engine, attr, null);
  if (attr !== null) lib.dnnl_primitive_attr_destroy(attr);
  if (forwardPd === null) return null;
  let pd = forwardPd;
  if (pass !== "forward") {
    const desc = new Uint8Array(CONVOLUTION_DESC_BYTES);
    const status = pass === "inputGradient"
      ? lib.dnnl_convolution_backward_data_desc_init(
        desc,
        DNNL_CONVOLUTION_DIRECT,
        ptr(x),
        ptr(anyFilter),
        ptr(y),
        geometry.strides,
        geometry.left,
        geometry.right,
      )
      : lib.dnnl_convolution_backward_weights_desc_init(
        desc,
        DNNL_CONVOLUTION_DIRECT,
        ptr(x),
        ptr(anyFilter),
        null,
        ptr(y),
        geometry.strides,
        geometry.left,
        geometry.right,
      );
    const backwardPd = status === DNNL_SUCCESS
      ? primitiveDesc(lib, desc, engine, null, forwardPd)
      : null;
    lib.dnnl_primitive_desc_destroy(forwardPd);
    if (backwardPd === null) return null;
    pd = backwardPd;
  }
  try {
    const implementation = implementationOf(lib, pd);
    if (!/^(jit|brg)/.test(implementation)) return null;
    return assemble(lib, engine, pd, { pass, withBias, userFilter, implementation });
  } finally {
    lib.dnnl_primitive_desc_destroy(pd);
  }
}

/** Geometries the primitives take as tfjs means them. */
function supported(info: ConvInfo): boolean {
  return info.dataFormat === "channelsLast" && info.dilationHeight === 1 &&
    info.dilationWidth === 1 && info.batchSize > 0 && info.outHeight > 0 && info.outWidth > 0;
}

/** Attributes with a ReLU post-op; nothing is left behind if a call fails. */
function reluAttribute(lib: Symbols): Deno.PointerValue {
  const postOps = created((out) => lib.dnnl_post_ops_create(out), "post-ops");
  let attr: Deno.PointerValue = null;
  try {
    check(lib.dnnl_post_ops_append_eltwise(postOps, 1, DNNL_ELTWISE_RELU, 0, 0), "add a ReLU");
    attr = created((out) => lib.dnnl_primitive_attr_create(out), "attributes");
    check(lib.dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
    return attr;
  } catch (error) {
    if (attr !== null) lib.dnnl_primitive_attr_destroy(attr);
    throw error;
  } finally {
    lib.dnnl_post_ops_destroy(postOps);
  }
}

function primitiveDesc(
  lib: Symbols,
  desc: Uint8Array<ArrayBuffer>,
  engine: Deno.PointerValue,
  attr: Deno.PointerValue,
  hint: Deno.PointerValue,
): Deno.PointerValue | null {
  const out = new BigUint64Array(1);
  const status = lib.dnnl_primitive_desc_create(out, desc, attr, engine, hint);
  return status === DNNL_SUCCESS ? Deno.UnsafePointer.create(out[0]) : null;
}

function implementationOf(lib: Symbols, pd: Deno.PointerValue): string {
  const out = new BigUint64Array(1);
  check(lib.dnnl_primitive_desc_query(pd, DNNL_QUERY_IMPL_INFO_STR, 0, out), "query");
  const pointer = Deno.UnsafePointer.create(out[0]);
  return pointer === null ? "" : Deno.UnsafePointerView.getCString(pointer);
}

/**
 * The primitive, its memory objects, and the filter reorders its layout
 * needs. When a call fails partway, what was created is destroyed before
 * the error goes on.
 */
function assemble(
  lib: Symbols,
  engine: Deno.PointerValue,
  pd: Deno.PointerValue,
  options: {
    pass: ConvolutionPass;
    withBias: boolean;
    userFilter: Uint8Array<ArrayBuffer>;
    implementation: string;
  },
): Plan {
  const owned: Plan["owned"] = { primitives: [], memories: [] };
  try {
    return assembleInto(lib, engine, pd, options, owned);
  } catch (error) {
    destroyOwned(lib, owned);
    throw error;
  }
}

/** {@linkcode assemble}'s work, recording each object it creates in `owned`. */
function assembleInto(
  lib: Symbols,
  engine: Deno.PointerValue,
  pd: Deno.PointerValue,
  options: Parameters<typeof assemble>[3],
  owned: Plan["owned"],
): Plan {
  const { pass, withBias, userFilter, implementation } = options;
  const bound = new Map<number, Bound>();
  const memoryOf = (desc: Deno.PointerValue, handle: bigint) => {
    const memory = created(
      (out) => lib.dnnl_memory_create(out, desc, engine, Deno.UnsafePointer.create(handle)),
      "memory",
    );
    owned.memories.push(memory);
    return memory;
  };
  const bind = (arg: number, desc: Deno.PointerValue) => {
    const memory = memoryOf(desc, 0n);
    bound.set(arg, { memory });
    return memory;
  };
  const md = (query: number) => lib.dnnl_primitive_desc_query_md(pd, query, 0);
  const args: [number, Deno.PointerValue][] = [];
  let filterIn: Reorder | undefined;
  let filterOut: Reorder | undefined;
  // The filter's memory: the tensor itself when the primitive takes HWIO,
  // else a buffer of oneDNN's, filled (or emptied) by a reorder.
  const filterArg = pass === "filterGradient" ? DNNL_ARG_DIFF_WEIGHTS : DNNL_ARG_WEIGHTS;
  const filterMd = md(
    pass === "filterGradient" ? DNNL_QUERY_DIFF_WEIGHTS_MD : DNNL_QUERY_WEIGHTS_MD,
  );
  if (lib.dnnl_memory_desc_equal(filterMd, ptr(userFilter)) === 1) {
    args.push([filterArg, bind(filterArg, filterMd)]);
  } else {
    const internal = memoryOf(filterMd, MEMORY_ALLOCATE);
    const user = bind(pass === "filterGradient" ? -DNNL_ARG_TO : -DNNL_ARG_FROM, ptr(userFilter));
    const reorder = pass === "filterGradient"
      ? makeReorder(lib, engine, filterMd, ptr(userFilter), [internal, user])
      : makeReorder(lib, engine, ptr(userFilter), filterMd, [user, internal]);
    owned.primitives.push(reorder.primitive);
    if (pass === "filterGradient") filterOut = reorder;
    else filterIn = reorder;
    args.push([filterArg, internal]);
  }
  if (pass === "forward") {
    args.push([DNNL_ARG_SRC, bind(DNNL_ARG_SRC, md(DNNL_QUERY_SRC_MD))]);
    args.push([DNNL_ARG_DST, bind(DNNL_ARG_DST, md(DNNL_QUERY_DST_MD))]);
    if (withBias) {
      const biasMd = lib.dnnl_primitive_desc_query_md(pd, DNNL_QUERY_WEIGHTS_MD, 1);
      args.push([DNNL_ARG_BIAS, bind(DNNL_ARG_BIAS, biasMd)]);
    }
  } else if (pass === "inputGradient") {
    args.push([DNNL_ARG_DIFF_DST, bind(DNNL_ARG_DIFF_DST, md(DNNL_QUERY_DIFF_DST_MD))]);
    args.push([DNNL_ARG_DIFF_SRC, bind(DNNL_ARG_DIFF_SRC, md(DNNL_QUERY_DIFF_SRC_MD))]);
  } else {
    args.push([DNNL_ARG_SRC, bind(DNNL_ARG_SRC, md(DNNL_QUERY_SRC_MD))]);
    args.push([DNNL_ARG_DIFF_DST, bind(DNNL_ARG_DIFF_DST, md(DNNL_QUERY_DIFF_DST_MD))]);
  }
  const primitive = created((out) => lib.dnnl_primitive_create(out, pd), "a convolution");
  owned.primitives.push(primitive);
  return { primitive, args: execArgs(args), implementation, bound, filterIn, filterOut, owned };
}

/** A reorder from `from` to `to`, run on the two memories given. */
function makeReorder(
  lib: Symbols,
  engine: Deno.PointerValue,
  from: Deno.PointerValue,
  to: Deno.PointerValue,
  [source, target]: [Deno.PointerValue, Deno.PointerValue],
): Reorder {
  const out = new BigUint64Array(1);
  check(
    lib.dnnl_reorder_primitive_desc_create(out, from, engine, to, engine, null),
    "plan a filter reorder",
  );
  const pd = Deno.UnsafePointer.create(out[0]);
  try {
    const primitive = created((o) => lib.dnnl_primitive_create(o, pd), "a reorder");
    return { primitive, args: execArgs([[DNNL_ARG_FROM, source], [DNNL_ARG_TO, target]]) };
  } finally {
    lib.dnnl_primitive_desc_destroy(pd);
  }
}

/** Packs `dnnl_exec_arg_t` entries: { int arg; dnnl_memory_t memory; }. */
function execArgs(entries: [number, Deno.PointerValue][]): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(entries.length * EXEC_ARG_BYTES);
  const view = new DataView(bytes.buffer);
  entries.forEach(([arg, memory], i) => {
    view.setInt32(i * EXEC_ARG_BYTES, arg, true);
    view.setBigUint64(i * EXEC_ARG_BYTES + 8, BigInt(Deno.UnsafePointer.value(memory)), true);
  });
  return bytes;
}

function destroyOwned(lib: Symbols, owned: Plan["owned"]): void {
  for (const primitive of owned.primitives) lib.dnnl_primitive_destroy(primitive);
  for (const memory of owned.memories) lib.dnnl_memory_destroy(memory);
}
