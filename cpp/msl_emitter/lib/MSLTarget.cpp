//===- MSLTarget.cpp - The Metal Shading Language spelling table ----------===//
//
// Everything MSL-specific about the printed kernels lives in this table; the
// C-like emitter does the rest. Metal semantics worth knowing when reading
// it: `round` rounds half away from zero (math.round), `rint` to even
// (math.roundeven); `fmin`/`fmax` return the other operand on NaN
// (arith.minnumf/maxnumf); NAN and INFINITY are float constants.
//
// Enigma's contract is precise math, while Metal compiles with fast math by
// default, where `sin`, `sqrt`, `fmin`, ... of float are the metal::fast
// variants (lower accuracy, NaN and infinity not honoured). So float calls
// of the functions that have both variants print as `precise::f`, which
// keeps the accuracy in the MSL itself whatever options compile it (the
// metal device also compiles with -fno-fast-math so that NaN tests hold);
// half has one variant, printed plainly.
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/MSL/MSLEmitter.h"

#include "enigma/Target/CLike/CLikeEmitter.h"

using namespace mlir;
using namespace mlir::enigma;

static constexpr FunctionSpelling kMSLFunctions[] = {
    {"arith.remf", "fmod", "precise::fmod"},
    {"arith.minnumf", "fmin", "precise::fmin"},
    {"arith.maxnumf", "fmax", "precise::fmax"},
    {"arith.minsi", "min"},
    {"arith.maxsi", "max"},
    {"arith.minui", "min"},
    {"arith.maxui", "max"},
    {"math.absf", "fabs"},
    {"math.absi", "abs"},
    {"math.sqrt", "sqrt", "precise::sqrt"},
    {"math.rsqrt", "rsqrt", "precise::rsqrt"},
    {"math.exp", "exp", "precise::exp"},
    {"math.exp2", "exp2", "precise::exp2"},
    {"math.log", "log", "precise::log"},
    {"math.log2", "log2", "precise::log2"},
    {"math.log10", "log10", "precise::log10"},
    {"math.sin", "sin", "precise::sin"},
    {"math.cos", "cos", "precise::cos"},
    {"math.tan", "tan", "precise::tan"},
    {"math.asin", "asin", "precise::asin"},
    {"math.acos", "acos", "precise::acos"},
    {"math.atan", "atan", "precise::atan"},
    {"math.sinh", "sinh", "precise::sinh"},
    {"math.cosh", "cosh", "precise::cosh"},
    {"math.tanh", "tanh", "precise::tanh"},
    {"math.asinh", "asinh", "precise::asinh"},
    {"math.acosh", "acosh", "precise::acosh"},
    {"math.atanh", "atanh", "precise::atanh"},
    {"math.floor", "floor"},
    {"math.ceil", "ceil"},
    {"math.round", "round"},
    {"math.roundeven", "rint"},
    {"math.trunc", "trunc"},
    {"math.powf", "pow", "precise::pow"},
    {"math.atan2", "atan2", "precise::atan2"},
    {"math.fma", "fma"},
    {"math.copysign", "copysign"},
    {"math.clampf", "clamp"},
    {"math.ctlz", "clz"},
    {"math.cttz", "ctz"},
    {"math.ctpop", "popcount"},
    {"math.isnan", "isnan"},
    {"math.isinf", "isinf"},
    {"math.isfinite", "isfinite"},
    {"math.isnormal", "isnormal"},
    // Not an op: used to order signed zeros in arith.minimumf/maximumf.
    {"signbit", "signbit"},
    // enigma.math: Metal functions with no upstream op (MSL's integer
    // functions drop the underscores of the DSL's names).
    {"enigma.math.sign", "sign"},
    {"enigma.math.saturate", "saturate"},
    {"enigma.math.fract", "fract"},
    {"enigma.math.step", "step"},
    {"enigma.math.mix", "mix"},
    {"enigma.math.smoothstep", "smoothstep"},
    {"enigma.math.signbit", "signbit"},
    {"enigma.math.clamp", "clamp", "precise::clamp"},
    {"enigma.math.reverse_bits", "reverse_bits"},
    {"enigma.math.abs_diff", "absdiff"},
    {"enigma.math.add_sat", "addsat"},
    {"enigma.math.sub_sat", "subsat"},
    {"enigma.math.mul_hi", "mulhi"},
    {"enigma.math.rotate", "rotate"},
    {"enigma.math.mad_sat", "madsat"},
    {"enigma.math.extract_bits", "extract_bits"},
    {"enigma.math.insert_bits", "insert_bits"},
    // SIMD-group and quad-group functions (enigma.simd_reduce/simd_shuffle,
    // keyed enigma.<group>.<kind>).
    {"enigma.simdgroup.sum", "simd_sum"},
    {"enigma.simdgroup.product", "simd_product"},
    {"enigma.simdgroup.min", "simd_min"},
    {"enigma.simdgroup.max", "simd_max"},
    {"enigma.simdgroup.and", "simd_and"},
    {"enigma.simdgroup.or", "simd_or"},
    {"enigma.simdgroup.xor", "simd_xor"},
    {"enigma.simdgroup.prefix_exclusive_sum", "simd_prefix_exclusive_sum"},
    {"enigma.simdgroup.prefix_inclusive_sum", "simd_prefix_inclusive_sum"},
    {"enigma.simdgroup.prefix_exclusive_product",
     "simd_prefix_exclusive_product"},
    {"enigma.simdgroup.prefix_inclusive_product",
     "simd_prefix_inclusive_product"},
    {"enigma.simdgroup.shuffle", "simd_shuffle"},
    {"enigma.simdgroup.shuffle_up", "simd_shuffle_up"},
    {"enigma.simdgroup.shuffle_down", "simd_shuffle_down"},
    {"enigma.simdgroup.shuffle_xor", "simd_shuffle_xor"},
    {"enigma.simdgroup.broadcast", "simd_broadcast"},
    {"enigma.quadgroup.sum", "quad_sum"},
    {"enigma.quadgroup.product", "quad_product"},
    {"enigma.quadgroup.min", "quad_min"},
    {"enigma.quadgroup.max", "quad_max"},
    {"enigma.quadgroup.and", "quad_and"},
    {"enigma.quadgroup.or", "quad_or"},
    {"enigma.quadgroup.xor", "quad_xor"},
    {"enigma.quadgroup.prefix_exclusive_sum", "quad_prefix_exclusive_sum"},
    {"enigma.quadgroup.prefix_inclusive_sum", "quad_prefix_inclusive_sum"},
    {"enigma.quadgroup.shuffle", "quad_shuffle"},
    {"enigma.quadgroup.shuffle_up", "quad_shuffle_up"},
    {"enigma.quadgroup.shuffle_down", "quad_shuffle_down"},
    {"enigma.quadgroup.shuffle_xor", "quad_shuffle_xor"},
    {"enigma.quadgroup.broadcast", "quad_broadcast"},
    // Geometric functions (length, distance and normalize have fast and
    // precise variants for float) and pack/unpack, one enigma op each.
    {"enigma.dot", "dot"},
    {"enigma.length", "length", "precise::length"},
    {"enigma.distance", "distance", "precise::distance"},
    {"enigma.cross", "cross"},
    {"enigma.normalize", "normalize", "precise::normalize"},
    {"enigma.reflect", "reflect"},
    {"enigma.refract", "refract"},
    {"enigma.faceforward", "faceforward"},
    {"enigma.pack_float_to_snorm4x8", "pack_float_to_snorm4x8"},
    {"enigma.pack_float_to_unorm4x8", "pack_float_to_unorm4x8"},
    {"enigma.pack_float_to_snorm2x16", "pack_float_to_snorm2x16"},
    {"enigma.pack_float_to_unorm2x16", "pack_float_to_unorm2x16"},
    {"enigma.pack_float_to_srgb_unorm4x8", "pack_float_to_srgb_unorm4x8"},
    {"enigma.pack_float_to_unorm10a2", "pack_float_to_unorm10a2"},
    {"enigma.unpack_snorm4x8_to_float", "unpack_snorm4x8_to_float"},
    {"enigma.unpack_unorm4x8_to_float", "unpack_unorm4x8_to_float"},
    {"enigma.unpack_snorm2x16_to_float", "unpack_snorm2x16_to_float"},
    {"enigma.unpack_unorm2x16_to_float", "unpack_unorm2x16_to_float"},
    {"enigma.unpack_unorm4x8_srgb_to_float", "unpack_unorm4x8_srgb_to_float"},
    {"enigma.unpack_unorm10a2_to_float", "unpack_unorm10a2_to_float"},
};

// MSL and C++ keywords, and names of MSL that the printed code uses or a
// parameter would shadow. (Type names, and the functions above, are reserved
// too.)
// clang-format off
static constexpr llvm::StringLiteral kMSLReservedWords[] = {
    "as_type", "auto", "break", "case", "class", "const", "constant",
    "constexpr", "continue", "default", "delete", "device", "do", "double",
    "else", "enum", "extern", "false", "for", "fragment", "goto", "if",
    "INFINITY", "inline", "kernel", "main", "max", "mem_flags", "metal", "min",
    "NAN", "namespace", "new", "operator", "private", "public", "register",
    "return", "sampler", "select", "signed", "simdgroup_barrier", "sizeof",
    "static", "std", "struct", "switch", "template", "texture", "this",
    "thread", "threadgroup", "threadgroup_barrier", "true", "typedef",
    "typename", "union", "unsigned", "using", "vertex", "void", "volatile",
    "while",
};
// clang-format on

static const CLikeTarget kMSLTarget = {
    /*name=*/"MSL",
    /*scalarTypes=*/
    {"bool", "char", "uchar", "short", "ushort", "int", "uint", "long", "ulong",
     "half", "bfloat", "float"},
    /*vectorType=*/"{0}{1}",
    /*fileHeader=*/
    "// Generated by Enigma from {0} (kernel `{1}`). Do not edit.",
    /*fileHeaderNoLocation=*/
    "// Generated by Enigma (kernel `{0}`). Do not edit.",
    /*prologue=*/"#include <metal_stdlib>\nusing namespace metal;\n",
    /*kernelOpen=*/"kernel void {0}(",
    /*bufferParam=*/"device {0}* {1} [[buffer({2})]]",
    /*readOnlyBufferParam=*/"device const {0}* {1} [[buffer({2})]]",
    /*scalarParam=*/"constant {0}& {1} [[buffer({2})]]",
    /*builtinParam=*/"{0} {1} [[{1}]]",
    /*dimmedBuiltinType=*/"uint3",
    /*builtinType=*/"uint",
    /*dimmedBuiltinRead=*/"{0}.{1}",
    /*builtinRead=*/"{0}",
    /*threadgroupArray=*/"alignas({3}) threadgroup {0} {1}[{2}];",
    /*threadgroupBarrier=*/"threadgroup_barrier({0});",
    /*simdgroupBarrier=*/"simdgroup_barrier({0});",
    /*memFlags=*/
    {"mem_flags::mem_none", "mem_flags::mem_device",
     "mem_flags::mem_threadgroup",
     "mem_flags::mem_device | mem_flags::mem_threadgroup",
     "mem_flags::mem_texture"},
    /*cast=*/"{0}({1})",
    /*bitcast=*/"as_type<{0}>({1})",
    /*vectorSelect=*/"select({0}, {1}, {2})",
    /*functions=*/kMSLFunctions,
    /*literals=*/
    {"", "char({0})", "uchar({0})", "short({0})", "ushort({0})", "{0}", "{0}u",
     "{0}L", "{0}UL", "{0}h", "bfloat({0}f)", "{0}f"},
    /*nan=*/"NAN",
    /*infinity=*/"INFINITY",
    /*reservedWords=*/kMSLReservedWords,
    /*atomicType=*/"atomic_{0}",
    /*deviceAtomicElement=*/"(device {0}*)&{1}[{2}]",
    /*constDeviceAtomicElement=*/"(const device {0}*)&{1}[{2}]",
    /*threadgroupAtomicElement=*/"&{0}[{1}]",
    /*atomicLoad=*/"atomic_load_explicit({0}, {1})",
    /*atomicStore=*/"atomic_store_explicit({0}, {2}, {1});",
    /*atomicCompareExchange=*/
    "atomic_compare_exchange_weak_explicit({0}, &{2}, {3}, {1}, {1})",
    /*atomicRMW=*/
    {"atomic_exchange_explicit({0}, {2}, {1})",
     "atomic_fetch_add_explicit({0}, {2}, {1})",
     "atomic_fetch_sub_explicit({0}, {2}, {1})",
     "atomic_fetch_min_explicit({0}, {2}, {1})",
     "atomic_fetch_min_explicit({0}, {2}, {1})",
     "atomic_fetch_max_explicit({0}, {2}, {1})",
     "atomic_fetch_max_explicit({0}, {2}, {1})",
     "atomic_fetch_and_explicit({0}, {2}, {1})",
     "atomic_fetch_or_explicit({0}, {2}, {1})",
     "atomic_fetch_xor_explicit({0}, {2}, {1})"},
    // MSL's atomic functions take memory_order_relaxed only; acquire and
    // release come from fences (MSL 3.2, macOS 15), which order the memory
    // that the other side of the atomic reads.
    /*memoryOrders=*/{"memory_order_relaxed", "", "", ""},
    /*deviceAtomicFence=*/
    "atomic_thread_fence(mem_flags::mem_device, memory_order_seq_cst, "
    "thread_scope_device);",
    /*threadgroupAtomicFence=*/
    "atomic_thread_fence(mem_flags::mem_device | mem_flags::mem_threadgroup, "
    "memory_order_seq_cst, thread_scope_threadgroup);",
    /*functionConstant=*/"constant {0} {1} [[function_constant({2})]];",
    /*deviceVectorLoad=*/"*(device const {0}*)({1})",
    /*deviceVectorStore=*/"*(device {0}*)({1})",
    /*threadgroupVectorAccess=*/"*(ENIGMA_THREADGROUP_POINTER {0}*)({1})",
    // The cpu device compiles this MSL as host C++, where `threadgroup`
    // declares per-threadgroup storage (a storage class, not an address
    // space), so the pointer's address space is a macro.
    /*threadgroupVectorPrelude=*/
    "#if !defined(ENIGMA_THREADGROUP_POINTER)\n"
    "#if defined(__METAL_VERSION__)\n"
    "#define ENIGMA_THREADGROUP_POINTER threadgroup\n"
    "#else\n"
    "#define ENIGMA_THREADGROUP_POINTER\n"
    "#endif\n"
    "#endif\n\n",
    // Threadgroup matrices, one thread at a time: thread t < 2R of the
    // 2R + 128 holds the elements t + i * 2R (i < C / 2) of the row-major
    // R x C matrix and computes them from device memory (products exact,
    // summed in float in k order from 0, then added to c's element); the last
    // 128 threads (CUDA's staging threads) hold nothing. Valid MSL and host
    // C++.
    /*threadgroupMatrixPrelude=*/
    "#if !defined(ENIGMA_THREADGROUP_MATRIX)\n"
    "#define ENIGMA_THREADGROUP_MATRIX\n"
    "template <typename T, int R, int C> struct enigma_threadgroup_matrix {\n"
    "  T e[C / 2];\n"
    "};\n"
    "template <typename T, int R, int C>\n"
    "enigma_threadgroup_matrix<T, R, C> "
    "enigma_make_filled_threadgroup_matrix(T x) {\n"
    "  enigma_threadgroup_matrix<T, R, C> m;\n"
    "  for (int i = 0; i < C / 2; ++i)\n"
    "    m.e[i] = x;\n"
    "  return m;\n"
    "}\n"
    "template <typename In, int R, int C>\n"
    "void enigma_threadgroup_multiply_accumulate(\n"
    "    thread enigma_threadgroup_matrix<float, R, C> &d,\n"
    "    device const In *a, uint lda, uint arows, device const In *b,\n"
    "    uint ldb, uint bcols, uint k,\n"
    "    thread const enigma_threadgroup_matrix<float, R, C> &c, uint tid) {\n"
    "  for (int i = 0; i < C / 2; ++i) {\n"
    "    uint e = tid + uint(i) * uint(2 * R), row = e / C, col = e % C;\n"
    "    float sum = 0.0f;\n"
    "    if (tid < uint(2 * R) && row < arows && col < bcols)\n"
    "      for (uint kk = 0; kk < k; ++kk)\n"
    "        sum += float(a[ulong(row) * lda + kk]) * float(b[ulong(kk) * ldb "
    "+ col]);\n"
    "    d.e[i] = c.e[i] + sum;\n"
    "  }\n"
    "}\n"
    "template <typename Out, int R, int C>\n"
    "void enigma_threadgroup_matrix_store(\n"
    "    thread const enigma_threadgroup_matrix<float, R, C> &m,\n"
    "    device Out *buf, uint ld, uint rows, uint cols, uint tid) {\n"
    "  for (int i = 0; i < C / 2; ++i) {\n"
    "    uint e = tid + uint(i) * uint(2 * R), row = e / C, col = e % C;\n"
    "    if (tid < uint(2 * R) && row < rows && col < cols)\n"
    "      buf[ulong(row) * ld + col] = static_cast<Out>(m.e[i]);\n"
    "  }\n"
    "}\n"
    "#endif\n\n",
};

LogicalResult mlir::enigma::translateToMSL(Operation *op, llvm::raw_ostream &os,
                                           const MSLEmitterOptions &options) {
  return translateToCLike(op, os, kMSLTarget, options.emitLocations);
}
