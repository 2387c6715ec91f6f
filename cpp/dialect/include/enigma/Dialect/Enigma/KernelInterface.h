//===- KernelInterface.h - What a kernel exposes to its callers -----------===//
//
// The interface of an `enigma.kernel` as its callers see it: parameters with
// their Metal dtype and how the body accesses them, the builtin inputs the body
// queries (in the fixed BuiltinKind order), and resource use. Both the MSL
// emitter (to print the signature) and the compile driver (to return the
// parameter table to Python) read it, so it is computed in one place.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_DIALECT_ENIGMA_KERNELINTERFACE_H
#define ENIGMA_DIALECT_ENIGMA_KERNELINTERFACE_H

#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <string>

namespace mlir::enigma {
class KernelOp;

/// How a kernel body uses a buffer parameter.
enum class BufferAccess { None, Read, Write, ReadWrite };

struct KernelParam {
  std::string name;     // the Python parameter name
  std::string dtype;    // Metal spelling: "float", "uint", "float4", ...
  bool isBuffer;        // device buffer (true) or by-value Scalar (false)
  unsigned bufferIndex; // [[buffer(N)]]: declaration order from 0
  BufferAccess access;  // BufferAccess::Read for Scalars
  /// Bytes the buffer's address must be a multiple of for the body's vector
  /// loads and stores (the widest vector), 0 when it has none.
  unsigned vectorAlignment = 0;
};

/// A Metal function constant the kernel reads (enigma.function_constant).
struct FunctionConstant {
  unsigned index;    // [[function_constant(N)]]
  std::string name;  // the MSL identifier
  std::string dtype; // Metal spelling of its scalar type
};

struct KernelInterface {
  std::string name;
  llvm::SmallVector<KernelParam> params;
  /// Builtin inputs used by the body, as their MSL attribute names
  /// ("thread_position_in_grid", ...), in BuiltinKind order, no duplicates.
  llvm::SmallVector<std::string> builtins;
  /// Any threadgroup/simdgroup barrier or SIMD-group function: the threads
  /// of a group must then run in lockstep (the cpu device's fiber path).
  bool usesBarriers = false;
  /// Any op whose result depends on which threads share a SIMD-group
  /// (reductions, scans, shuffles, votes, simdgroup matrices): the cuda
  /// device refuses launch shapes where its warps group threads differently.
  bool usesSimdgroups = false;
  uint64_t threadgroupMemoryBytes = 0; // sum over threadgroup allocations
  /// Threads per threadgroup a launch must have (1-D): 2R + 128 for a
  /// kernel with R-row threadgroup matrices (2R hold them, 128 stage their
  /// tiles on CUDA), 0 (any) otherwise.
  unsigned requiredThreads = 0;
  /// Function constants whose values a launch supplies, by index.
  llvm::SmallVector<FunctionConstant> functionConstants;
};

/// Computes the interface of `kernel` (read-only walk of its body).
KernelInterface analyzeKernelInterface(KernelOp kernel);

/// "read", "write", "read_write" or "none".
const char *stringifyBufferAccess(BufferAccess access);

} // namespace mlir::enigma

#endif // ENIGMA_DIALECT_ENIGMA_KERNELINTERFACE_H
