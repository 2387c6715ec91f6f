//===- CLikeTarget.h - What one C-like shading language spells ------------===//
//
// The C-like emitter prints every kernel the same way (one statement per
// line, named values, explicit conversions); a target only differs in how it
// spells things: type names, parameter qualifiers, thread queries, barriers,
// literal suffixes, function names. This struct is that spelling table, as
// in tinygrad's cstyle renderer, so adding a target (MSL, CUDA) adds a
// table, not a printer. Entries with placeholders are llvm::formatv
// formats; the comment on each entry says what {0}, {1}, ... receive.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_CLIKETARGET_H
#define ENIGMA_TARGET_CLIKE_CLIKETARGET_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <array>
#include <cstdint>

namespace mlir::enigma {

/// The scalar types of a C-like kernel: MLIR's builtin types with the
/// signedness that the emitter recovered for integers.
enum class ScalarKind : uint8_t {
  Bool,
  Char,
  UChar,
  Short,
  UShort,
  Int,
  UInt,
  Long,
  ULong,
  Half,
  BFloat,
  Float,
};
inline constexpr unsigned kNumScalarKinds = unsigned(ScalarKind::Float) + 1;

/// One op that prints as a call, e.g. `math.sqrt` -> `sqrt(x)`. An
/// `enigma.math` op is named `enigma.math.<function>`, e.g.
/// `enigma.math.add_sat`.
struct FunctionSpelling {
  llvm::StringLiteral opName;   // the MLIR op, e.g. "math.sqrt"
  llvm::StringLiteral function; // the target's function, e.g. "sqrt"
  /// The spelling on 32-bit float operands when it differs, e.g. MSL's
  /// `precise::sin` (float is the type whose default, fast, variant is less
  /// accurate).
  llvm::StringLiteral float32Function = "";
};

struct CLikeTarget {
  /// Name used in diagnostics ("MSL").
  llvm::StringLiteral name;

  // --- Types -------------------------------------------------------------
  /// Scalar type names, indexed by ScalarKind.
  std::array<llvm::StringLiteral, kNumScalarKinds> scalarTypes;
  /// Vector type: {0} scalar type name, {1} lane count (2-4); null when the
  /// target has no vector types yet (vector values are then refused).
  const char *vectorType;

  // --- File and kernel shape ---------------------------------------------
  /// First line: {0} `file:line` of the kernel's Python source, {1} kernel.
  const char *fileHeader;
  /// Same, when the kernel has no source location: {0} kernel name.
  const char *fileHeaderNoLocation;
  /// Lines after the header comments, before the first kernel.
  llvm::StringLiteral prologue;
  /// Opens the signature: {0} kernel name. Parameters align after it.
  const char *kernelOpen;
  /// Buffer parameters: {0} element type, {1} name, {2} buffer index.
  const char *bufferParam;
  const char *readOnlyBufferParam;
  /// By-value Scalar parameters: {0} type, {1} name, {2} buffer index.
  const char *scalarParam;
  /// Thread-query parameter: {0} type, {1} query name (also the parameter
  /// name). Null when the target reads queries without parameters.
  const char *builtinParam;
  /// Parameter types of the queries with a dim (x/y/z) and without.
  llvm::StringLiteral dimmedBuiltinType;
  llvm::StringLiteral builtinType;
  /// Reading a query: {0} query name, {1} dim ("x", "y", "z"; "" if none).
  const char *dimmedBuiltinRead;
  const char *builtinRead;
  /// Kernel-scope threadgroup array: {0} element type, {1} name, {2} size,
  /// {3} alignment in bytes (at least 16, so vector accesses can be proven
  /// aligned).
  const char *threadgroupArray;

  // --- Statements --------------------------------------------------------
  /// Barriers: {0} the memory-flags expression.
  const char *threadgroupBarrier;
  const char *simdgroupBarrier;
  /// Memory flags, indexed by the enigma MemFlags enum.
  std::array<llvm::StringLiteral, 5> memFlags;

  // --- Expressions -------------------------------------------------------
  /// Value conversion: {0} target type, {1} value (or comma-separated lanes).
  const char *cast;
  /// Bit reinterpretation: {0} target type, {1} value.
  const char *bitcast;
  /// Lane-wise select on a vector condition: {0} false, {1} true, {2} cond.
  const char *vectorSelect;
  /// Ops that print as a call of a target function.
  llvm::ArrayRef<FunctionSpelling> functions;

  // --- Literals ----------------------------------------------------------
  /// Literal of each scalar kind, {0} the decimal digits ("1.5", "-3");
  /// indexed by ScalarKind (Bool is unused: true/false).
  std::array<const char *, kNumScalarKinds> literals;
  /// Not-a-number and infinity of type float.
  llvm::StringLiteral nan;
  llvm::StringLiteral infinity;

  /// Words that parameter names may not take (keywords, type and function
  /// names of the target): such a name gets a trailing `_`.
  llvm::ArrayRef<llvm::StringLiteral> reservedWords;

  // --- Atomics and function constants (AtomicPrinter.cpp) ----------------
  /// The atomic type of a 32-bit scalar: {0} its type name (`atomic_uint`).
  const char *atomicType;
  /// The atomic element `{1}[{2}]` of a device buffer, {0} the atomic type;
  /// the const form is for loads (the buffer may be read-only).
  const char *deviceAtomicElement;
  const char *constDeviceAtomicElement;
  /// Element {1} of threadgroup array {0}, declared with an atomic type.
  const char *threadgroupAtomicElement;
  /// Calls: {0} the element, {1} the memory order, then the operands (store
  /// and read-modify-writes: {2} value; compare-exchange: {2} the variable
  /// holding `expected`, {3} desired).
  const char *atomicLoad;
  const char *atomicStore;
  const char *atomicCompareExchange;
  /// Read-modify-writes, indexed by the enigma AtomicKind enum.
  std::array<const char *, 10> atomicRMW;
  /// Memory orders, indexed by the enigma MemoryOrder enum. "" marks an
  /// order the target lacks: the atomic is then printed relaxed, after a
  /// fence for release and before one for acquire.
  std::array<llvm::StringLiteral, 4> memoryOrders;
  /// Those fences, for device and for threadgroup atomics.
  llvm::StringLiteral deviceAtomicFence;
  llvm::StringLiteral threadgroupAtomicFence;
  /// Program-scope function constant: {0} type, {1} name, {2} index.
  const char *functionConstant;

  // --- Vector loads and stores (VectorAccessPrinter.cpp) -----------------
  /// The vector at element pointer {1}, {0} the vector type: loads from
  /// device memory, stores to it, and both on threadgroup memory.
  const char *deviceVectorLoad;
  const char *deviceVectorStore;
  const char *threadgroupVectorAccess;
  /// Before a kernel with threadgroup vector accesses (may be empty).
  llvm::StringLiteral threadgroupVectorPrelude;

  // --- Threadgroup matrices (ThreadgroupMatrixPrinter.cpp) ---------------
  /// Before a kernel with threadgroup matrices: the definitions of
  /// `enigma_threadgroup_matrix<float, R, C>` and its functions ("" where an
  /// always-included prelude has them).
  llvm::StringLiteral threadgroupMatrixPrelude;

  // --- Target hooks (CUDA; MSL leaves them at their defaults) ------------
  /// A last kernel parameter the target adds, e.g. CUDA's launch record
  /// that thread queries read; null when none.
  const char *launchParam = nullptr;
  /// The first statement of every kernel body (after threadgroup arrays),
  /// e.g. CUDA's guard for threads beyond the grid; "" when none.
  llvm::StringLiteral bodyPrologue = "";
  /// Ops the target has no lowering for yet: the emitter refuses them by
  /// name rather than printing another target's spelling.
  llvm::ArrayRef<llvm::StringLiteral> unloweredOps = {};
  /// Conversion to a vector type when it differs from `cast`: {0} the
  /// vector type, {1} a value or comma-separated lanes (CUDA's vectors are
  /// class templates, built by a functional cast); null: `cast`.
  const char *vectorCast = nullptr;
  /// Float to integer conversion when a C cast does not give Metal's
  /// (toward zero, saturating, NaN -> 0): {0} the integer (or integer
  /// vector) type, {1} the value; null: `cast` / `vectorCast`.
  const char *floatToInteger = nullptr;
  /// Prefixes the names the simdgroup matrix ops print (MatrixPrinter.cpp):
  /// "" for Metal's own, "enigma_" for CUDA's prelude versions of them.
  llvm::StringLiteral matrixPrefix = "";
  /// Replaces `kernelOpen` for a kernel with threadgroup matrices: {0} the
  /// name, {1} the threads a block has, {2} and {3} the rows and columns of
  /// its widest product, 0 and 0 without one (CUDA: the shared-memory
  /// declaration and
  /// `__launch_bounds__`); null: `kernelOpen`.
  const char *threadgroupMatrixKernelOpen = nullptr;

  /// The function spelling `opName` prints as, or "" if it has none; with
  /// `isFloat32`, its float spelling if it has one.
  llvm::StringRef lookupFunction(llvm::StringRef opName,
                                 bool isFloat32 = false) const {
    for (const FunctionSpelling &spelling : functions)
      if (spelling.opName == opName)
        return isFloat32 && !spelling.float32Function.empty()
                   ? spelling.float32Function
                   : spelling.function;
    return {};
  }
};

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CLIKE_CLIKETARGET_H
