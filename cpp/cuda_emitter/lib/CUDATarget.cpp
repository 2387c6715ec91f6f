//===- CUDATarget.cpp - The CUDA C++ spelling table -----------------------===//
//
// Everything CUDA-specific about the printed kernels lives in this table and
// in the prelude (CUDAPrelude.h); the C-like emitter does the rest. The
// kernel ABI (docs/cuda.md): `extern "C" __global__ void name(T* buffer, ...,
// T scalar, ..., EnigmaLaunch enigma_launch)`, launched with the threadgroup
// size as the block and ceil(grid / threads) blocks; thread queries are
// computed from CUDA's and the Metal grid, and threads beyond the grid (in
// the blocks that overhang it) leave before the body.
//
// Functions print as the prelude's `enigma_` overloads rather than CUDA's
// `sqrtf`/`__half` intrinsics, so one spelling serves float, half and
// bfloat. Integer types print as C++'s (`char` -> `signed char`, `long` ->
// `long long`), conversions as C casts, bit reinterpretation as a memcpy.
// Metal's precise math is CUDA's default (NVRTC without --use_fast_math).
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/CUDA/CUDAEmitter.h"

#include "CUDAPrelude.h"
#include "enigma/Target/CLike/CLikeEmitter.h"

using namespace mlir;
using namespace mlir::enigma;

static constexpr FunctionSpelling kCUDAFunctions[] = {
    {"arith.remf", "enigma_fmod"},
    {"arith.minnumf", "enigma_fmin"},
    {"arith.maxnumf", "enigma_fmax"},
    {"arith.minsi", "enigma_min"},
    {"arith.maxsi", "enigma_max"},
    {"arith.minui", "enigma_min"},
    {"arith.maxui", "enigma_max"},
    {"math.absf", "enigma_fabs"},
    {"math.absi", "enigma_abs"},
    {"math.sqrt", "enigma_sqrt"},
    {"math.rsqrt", "enigma_rsqrt"},
    {"math.exp", "enigma_exp"},
    {"math.exp2", "enigma_exp2"},
    {"math.log", "enigma_log"},
    {"math.log2", "enigma_log2"},
    {"math.log10", "enigma_log10"},
    {"math.sin", "enigma_sin"},
    {"math.cos", "enigma_cos"},
    {"math.tan", "enigma_tan"},
    {"math.asin", "enigma_asin"},
    {"math.acos", "enigma_acos"},
    {"math.atan", "enigma_atan"},
    {"math.sinh", "enigma_sinh"},
    {"math.cosh", "enigma_cosh"},
    {"math.tanh", "enigma_tanh"},
    {"math.asinh", "enigma_asinh"},
    {"math.acosh", "enigma_acosh"},
    {"math.atanh", "enigma_atanh"},
    {"math.floor", "enigma_floor"},
    {"math.ceil", "enigma_ceil"},
    {"math.round", "enigma_round"},
    {"math.roundeven", "enigma_rint"},
    {"math.trunc", "enigma_trunc"},
    {"math.powf", "enigma_pow"},
    {"math.atan2", "enigma_atan2"},
    {"math.fma", "enigma_fma"},
    {"math.copysign", "enigma_copysign"},
    {"math.clampf", "enigma_clamp"},
    {"math.ctlz", "enigma_clz"},
    {"math.cttz", "enigma_ctz"},
    {"math.ctpop", "enigma_popcount"},
    {"math.isnan", "enigma_isnan"},
    {"math.isinf", "enigma_isinf"},
    {"math.isfinite", "enigma_isfinite"},
    {"math.isnormal", "enigma_isnormal"},
    // Not an op: used to order signed zeros in arith.minimumf/maximumf.
    {"signbit", "enigma_signbit"},
    {"enigma.math.sign", "enigma_sign"},
    {"enigma.math.saturate", "enigma_saturate"},
    {"enigma.math.fract", "enigma_fract"},
    {"enigma.math.step", "enigma_step"},
    {"enigma.math.mix", "enigma_mix"},
    {"enigma.math.smoothstep", "enigma_smoothstep"},
    {"enigma.math.signbit", "enigma_signbit"},
    {"enigma.math.clamp", "enigma_clamp"},
    {"enigma.math.reverse_bits", "enigma_reverse_bits"},
    {"enigma.math.abs_diff", "enigma_absdiff"},
    {"enigma.math.add_sat", "enigma_addsat"},
    {"enigma.math.sub_sat", "enigma_subsat"},
    {"enigma.math.mul_hi", "enigma_mulhi"},
    {"enigma.math.rotate", "enigma_rotate"},
    {"enigma.math.mad_sat", "enigma_madsat"},
    {"enigma.math.extract_bits", "enigma_extract_bits"},
    {"enigma.math.insert_bits", "enigma_insert_bits"},
    // Geometry and pack/unpack on vectors (CUDAVectorPrelude.inc).
    {"enigma.dot", "enigma_dot"},
    {"enigma.length", "enigma_length"},
    {"enigma.distance", "enigma_distance"},
    {"enigma.cross", "enigma_cross"},
    {"enigma.normalize", "enigma_normalize"},
    {"enigma.reflect", "enigma_reflect"},
    {"enigma.refract", "enigma_refract"},
    {"enigma.faceforward", "enigma_faceforward"},
    {"enigma.pack_float_to_snorm4x8", "enigma_pack_float_to_snorm4x8"},
    {"enigma.pack_float_to_unorm4x8", "enigma_pack_float_to_unorm4x8"},
    {"enigma.pack_float_to_snorm2x16", "enigma_pack_float_to_snorm2x16"},
    {"enigma.pack_float_to_unorm2x16", "enigma_pack_float_to_unorm2x16"},
    {"enigma.pack_float_to_srgb_unorm4x8",
     "enigma_pack_float_to_srgb_unorm4x8"},
    {"enigma.pack_float_to_unorm10a2", "enigma_pack_float_to_unorm10a2"},
    {"enigma.unpack_snorm4x8_to_float", "enigma_unpack_snorm4x8_to_float"},
    {"enigma.unpack_unorm4x8_to_float", "enigma_unpack_unorm4x8_to_float"},
    {"enigma.unpack_snorm2x16_to_float", "enigma_unpack_snorm2x16_to_float"},
    {"enigma.unpack_unorm2x16_to_float", "enigma_unpack_unorm2x16_to_float"},
    {"enigma.unpack_unorm4x8_srgb_to_float",
     "enigma_unpack_unorm4x8_srgb_to_float"},
    {"enigma.unpack_unorm10a2_to_float", "enigma_unpack_unorm10a2_to_float"},
    // SIMD-group and quad-group functions: warp shuffles in the prelude.
    {"enigma.simdgroup.sum", "enigma_simd_sum"},
    {"enigma.simdgroup.product", "enigma_simd_product"},
    {"enigma.simdgroup.min", "enigma_simd_min"},
    {"enigma.simdgroup.max", "enigma_simd_max"},
    {"enigma.simdgroup.and", "enigma_simd_and"},
    {"enigma.simdgroup.or", "enigma_simd_or"},
    {"enigma.simdgroup.xor", "enigma_simd_xor"},
    {"enigma.simdgroup.prefix_exclusive_sum",
     "enigma_simd_prefix_exclusive_sum"},
    {"enigma.simdgroup.prefix_inclusive_sum",
     "enigma_simd_prefix_inclusive_sum"},
    {"enigma.simdgroup.prefix_exclusive_product",
     "enigma_simd_prefix_exclusive_product"},
    {"enigma.simdgroup.prefix_inclusive_product",
     "enigma_simd_prefix_inclusive_product"},
    {"enigma.simdgroup.shuffle", "enigma_simd_shuffle"},
    {"enigma.simdgroup.shuffle_up", "enigma_simd_shuffle_up"},
    {"enigma.simdgroup.shuffle_down", "enigma_simd_shuffle_down"},
    {"enigma.simdgroup.shuffle_xor", "enigma_simd_shuffle_xor"},
    {"enigma.simdgroup.broadcast", "enigma_simd_broadcast"},
    {"enigma.quadgroup.sum", "enigma_quad_sum"},
    {"enigma.quadgroup.product", "enigma_quad_product"},
    {"enigma.quadgroup.min", "enigma_quad_min"},
    {"enigma.quadgroup.max", "enigma_quad_max"},
    {"enigma.quadgroup.and", "enigma_quad_and"},
    {"enigma.quadgroup.or", "enigma_quad_or"},
    {"enigma.quadgroup.xor", "enigma_quad_xor"},
    {"enigma.quadgroup.prefix_exclusive_sum",
     "enigma_quad_prefix_exclusive_sum"},
    {"enigma.quadgroup.prefix_inclusive_sum",
     "enigma_quad_prefix_inclusive_sum"},
    {"enigma.quadgroup.shuffle", "enigma_quad_shuffle"},
    {"enigma.quadgroup.shuffle_up", "enigma_quad_shuffle_up"},
    {"enigma.quadgroup.shuffle_down", "enigma_quad_shuffle_down"},
    {"enigma.quadgroup.shuffle_xor", "enigma_quad_shuffle_xor"},
    {"enigma.quadgroup.broadcast", "enigma_quad_broadcast"},
};

// C++ keywords, and CUDA names that the printed code uses or a parameter
// would shadow. (Type names, and the functions above, are reserved too.)
// clang-format off
static constexpr llvm::StringLiteral kCUDAReservedWords[] = {
    "alignas", "alignof", "asm", "atomicAdd", "atomicAnd", "atomicCAS",
    "atomicExch", "atomicMax", "atomicMin", "atomicOr", "atomicSub",
    "atomicXor", "auto", "blockDim", "blockIdx", "bool", "break", "case",
    "char", "class", "const", "constexpr", "continue", "default", "delete",
    "do", "double", "else", "enigma_atomic_cas", "enigma_atomic_load",
    "enigma_atomic_store", "enigma_atomic_sub", "enigma_as_type",
    "enigma_select", "enigma_vec",
    "enigma_in_grid", "enigma_launch", "EnigmaLaunch", "enum", "extern",
    "false", "float", "for", "goto", "gridDim", "if", "inline", "int", "long",
    "main", "namespace", "new", "operator", "private", "public", "register",
    "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "template", "this", "threadIdx", "true", "typedef", "typename", "union",
    "unsigned", "using", "void", "volatile", "warpSize", "while",
    // What the prelude defines and the printed body reads.
    "ENIGMA_INFINITY", "ENIGMA_NAN", "__activemask", "__syncthreads",
    "__syncwarp", "__threadfence", "__threadfence_block",
};
// Ops whose CUDA lowering is a later slice of issue 6 (docs/cuda.md).
static constexpr llvm::StringLiteral kCUDAUnloweredOps[] = {
    // An event carried by a loop (CUDALegalize.cpp lowers the others).
    "enigma.async_copy",
};
// clang-format on

static const CLikeTarget kCUDATarget = {
    /*name=*/"CUDA",
    /*scalarTypes=*/
    {"bool", "signed char", "unsigned char", "short", "unsigned short", "int",
     "unsigned int", "long long", "unsigned long long", "__half",
     "__nv_bfloat16", "float"},
    // Metal's vectors as the prelude's template (CUDAVectorPrelude.inc).
    /*vectorType=*/"enigma_vec<{0}, {1}>",
    /*fileHeader=*/
    "// Generated by Enigma from {0} (kernel `{1}`) for CUDA. Do not edit.",
    /*fileHeaderNoLocation=*/
    "// Generated by Enigma (kernel `{0}`) for CUDA. Do not edit.",
    /*prologue=*/kCUDAPrelude,
    /*kernelOpen=*/"extern \"C\" __global__ void {0}(",
    /*bufferParam=*/"{0}* {1}",
    /*readOnlyBufferParam=*/"const {0}* {1}",
    /*scalarParam=*/"{0} {1}",
    /*builtinParam=*/nullptr,
    /*dimmedBuiltinType=*/"",
    /*builtinType=*/"",
    /*dimmedBuiltinRead=*/"enigma_{0}(enigma_launch).{1}",
    /*builtinRead=*/"enigma_{0}(enigma_launch)",
    /*threadgroupArray=*/"__shared__ __align__({3}) {0} {1}[{2}];",
    // __syncthreads orders global and shared memory for the block, which
    // every Metal mem_flags asks for at most.
    /*threadgroupBarrier=*/"__syncthreads();",
    /*simdgroupBarrier=*/"__syncwarp(__activemask());",
    /*memFlags=*/{"", "", "", "", ""},
    /*cast=*/"({0})({1})",
    /*bitcast=*/"enigma_as_type<{0}>({1})",
    /*vectorSelect=*/"enigma_select({0}, {1}, {2})",
    /*functions=*/kCUDAFunctions,
    /*literals=*/
    {"", "(signed char){0}", "(unsigned char){0}", "(short){0}",
     "(unsigned short){0}", "{0}", "{0}u", "{0}ll", "{0}ull", "__half({0}f)",
     "__nv_bfloat16({0}f)", "{0}f"},
    /*nan=*/"ENIGMA_NAN",
    /*infinity=*/"ENIGMA_INFINITY",
    /*reservedWords=*/kCUDAReservedWords,
    // Atomics act on plain elements (CUDA has no atomic types).
    /*atomicType=*/"{0}",
    /*deviceAtomicElement=*/"&{1}[{2}]",
    /*constDeviceAtomicElement=*/"&{1}[{2}]",
    /*threadgroupAtomicElement=*/"&{0}[{1}]",
    /*atomicLoad=*/"enigma_atomic_load({0})",
    /*atomicStore=*/"enigma_atomic_store({0}, {2});",
    /*atomicCompareExchange=*/"enigma_atomic_cas({0}, &{2}, {3})",
    /*atomicRMW=*/
    {"atomicExch({0}, {2})", "atomicAdd({0}, {2})",
     "enigma_atomic_sub({0}, {2})", "atomicMin({0}, {2})",
     "atomicMin({0}, {2})", "atomicMax({0}, {2})", "atomicMax({0}, {2})",
     "atomicAnd({0}, {2})", "atomicOr({0}, {2})", "atomicXor({0}, {2})"},
    // CUDA's atomic functions are relaxed: acquire and release come from
    // fences around them, as in MSL.
    /*memoryOrders=*/{"relaxed", "", "", ""},
    /*deviceAtomicFence=*/"__threadfence();",
    /*threadgroupAtomicFence=*/"__threadfence_block();",
    // Function constants are compile-time values: the runtime defines
    // ENIGMA_FUNCTION_CONSTANT_<index> for NVRTC (-D), one build per set.
    /*functionConstant=*/
    "#ifndef ENIGMA_FUNCTION_CONSTANT_{2}\n"
    "#error \"function constant {2} (`{1}`) needs a value: define "
    "ENIGMA_FUNCTION_CONSTANT_{2}\"\n"
    "#endif\n"
    "#define {1} (({0})(ENIGMA_FUNCTION_CONSTANT_{2}))",
    // The tracer proved the element pointer aligned to the vector's size.
    /*deviceVectorLoad=*/"*reinterpret_cast<const {0}*>({1})",
    /*deviceVectorStore=*/"*reinterpret_cast<{0}*>({1})",
    /*threadgroupVectorAccess=*/"*reinterpret_cast<{0}*>({1})",
    /*threadgroupVectorPrelude=*/"",
    /*threadgroupMatrixPrelude=*/"",
    /*launchParam=*/"EnigmaLaunch enigma_launch",
    /*bodyPrologue=*/"if (!enigma_in_grid(enigma_launch)) return;",
    /*unloweredOps=*/kCUDAUnloweredOps,
    /*vectorCast=*/"{0}({1})",
    // C++ (and LLVM, which folds such casts freely) leaves out-of-range
    // conversions undefined; the prelude spells out Metal's saturation.
    /*floatToInteger=*/"enigma_float_to_int<{0}>({1})",
    // Simdgroup matrices: the prelude's warp-cooperative versions.
    /*matrixPrefix=*/"enigma_",
    // Threadgroup matrices: the dynamic shared memory their products need
    // (CUDATileMatrixPrelude.inc) and a register budget for the block.
    /*threadgroupMatrixKernelOpen=*/
    "ENIGMA_THREADGROUP_MATRIX_SHARED({2}, {3})\n"
    "extern \"C\" __global__ void __launch_bounds__({1}, 1) {0}(",
};

LogicalResult mlir::enigma::translateToCUDA(Operation *op,
                                            llvm::raw_ostream &os,
                                            const CUDAEmitterOptions &options) {
  if (failed(legalizeForCUDA(op)))
    return failure();
  return translateToCLike(op, os, kCUDATarget, options.emitLocations);
}
