//===- KernelEmitter.h - Print one enigma.kernel as C-like source ---------===//
//
// The state of printing one kernel: value names (`v0, v1, ...`, `tg0, ...`,
// parameter names), the signedness of integers, indentation and the last
// source line commented. The op rules are split by concept over
// KernelEmitter.cpp (kernel, memory, thread queries, barriers),
// ArithPrinter.cpp (arith, math and vector.broadcast expressions) and
// ControlFlowPrinter.cpp (scf loops and conditionals).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_TARGET_CLIKE_KERNELEMITTER_H
#define ENIGMA_TARGET_CLIKE_KERNELEMITTER_H

#include "CType.h"
#include "SignednessAnalysis.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace mlir::enigma {

class KernelEmitter {
public:
  KernelEmitter(KernelOp kernel, const CLikeTarget &target, bool emitLocations,
                llvm::raw_ostream &os);

  /// Prints the kernel's signature and body.
  LogicalResult emit();

  /// Whether `type` is a simdgroup matrix (`vector<8x8xT>`; MatrixPrinter).
  static bool isMatrixType(Type type);
  /// Whether `type` is a threadgroup matrix (a 2-D vector other than 8x8;
  /// ThreadgroupMatrixPrinter).
  static bool isThreadgroupMatrixType(Type type);

private:
  // --- KernelEmitter.cpp: the kernel, memory, queries, barriers ---------
  LogicalResult emitSignature();
  LogicalResult declareThreadgroupArrays();
  /// Prints the ops of `block` except its terminator.
  LogicalResult emitBlock(Block &block);
  LogicalResult emitOperation(Operation &op);
  LogicalResult emitLoad(memref::LoadOp load);
  LogicalResult emitStore(memref::StoreOp store);
  /// Fails, naming the op and its types, for an op there is no rule for.
  LogicalResult unsupported(Operation *op, llvm::StringRef why = {});
  /// Fails for an op (or, with `what`, a feature of it such as its vector
  /// types) that the target has no lowering for yet.
  LogicalResult notLoweredYet(Operation *op, llvm::StringRef what);

  /// Starts a line at the current indentation.
  void line(const llvm::Twine &text);
  /// Before the statements of an op: `// file.py:12` if its line is new.
  void noteLocation(Operation *op);
  /// Declares `result` as a new variable initialized to `expr`.
  void declare(Value result, const llvm::Twine &expr);
  std::string freshName();
  void bind(Value value, llvm::StringRef name) { names[value] = name.str(); }

  CType typeOf(Value value) const;
  /// `value`'s type read with the given signedness (integers only change).
  CType typeAs(Value value, bool isUnsigned) const;
  std::string typeName(CType type) const;
  std::string castTo(CType type, llvm::StringRef expr) const;
  /// `value` as an atom of type `expected`: its name, its literal, or an
  /// explicit conversion of it.
  std::string operand(Value value, CType expected);
  std::string operand(Value value) { return operand(value, typeOf(value)); }
  /// Whether every operand of `op` can be printed (has a name or is inline).
  bool operandsPrintable(Operation *op) const;

  // --- ArithPrinter.cpp: arith, math and vector ops as expressions -------
  /// The right-hand side for the single result of an arith/math op, or
  /// failure when there is no rule for it.
  FailureOr<std::string> expression(Operation &op);
  FailureOr<std::string> integerArithmetic(Operation &op, CType type);
  /// The count of a shift as printed, masked to the shifted type's width
  /// unless it is a constant below it (`type`: the operands' C type).
  std::string shiftCount(Value count, llvm::StringRef printed, CType type);
  FailureOr<std::string> comparison(Operation &op);
  FailureOr<std::string> conversion(Operation &op, CType type);
  FailureOr<std::string> functionCall(Operation &op);
  FailureOr<std::string> nanPropagatingMinMax(Operation &op, CType type);
  FailureOr<std::string> floorDivision(Operation &op, CType type);
  /// The inline form of `arith.index_cast(ui)`; sets `type` to its C type.
  std::string indexCast(Operation *op, CType &type);

  // --- SimdPrinter.cpp: SIMD-group and quad-group functions --------------
  /// Declares the result of an enigma.simd_reduce/simd_shuffle as its call.
  LogicalResult emitSimdFunction(Operation &op);

  // --- MatrixPrinter.cpp: simdgroup matrices ------------------------------
  /// Prints an enigma.simdgroup_matrix_* or simdgroup_multiply_accumulate.
  LogicalResult emitSimdgroupMatrix(Operation &op);
  /// `float`, `half` or `bfloat`: the element of a matrix type.
  std::string matrixElementName(VectorType type) const;
  /// `simdgroup_float8x8` and the like: the MSL type of a matrix.
  std::string matrixTypeName(VectorType type) const;
  /// Declares an uninitialized matrix variable for `result`; its name.
  std::string declareMatrix(Value result);
  /// `pointer, elements_per_row, ulong2(col, row)[, true]` of a load/store.
  std::string matrixAccessArguments(Value memref, Value offset,
                                    Value elementsPerRow, Value col, Value row,
                                    bool transpose);

  // --- ThreadgroupMatrixPrinter.cpp: threadgroup matrices ----------------
  /// Prints an enigma.threadgroup_matrix_* or threadgroup_multiply_accumulate.
  LogicalResult emitThreadgroupMatrix(Operation &op);
  /// `enigma_threadgroup_matrix<float, R, C>`: the type of every target.
  std::string threadgroupMatrixTypeName(VectorType type) const;
  /// Before a kernel with threadgroup matrices: the target's definitions.
  void declareThreadgroupMatrixPrelude();
  /// Rows and columns of the kernel's threadgroup matrix product with the
  /// most of both (the one that needs the most shared memory on CUDA); 0, 0
  /// when the kernel has none.
  std::pair<int64_t, int64_t> widestThreadgroupMatrix();

  // --- AsyncCopyPrinter.cpp: SIMD-group async copies ----------------------
  /// Before a kernel that copies asynchronously: the AIR intrinsics.
  void declareAsyncCopyIntrinsics();
  /// Prints an enigma.async_copy or enigma.async_copy_wait.
  LogicalResult emitAsyncCopy(Operation &op);
  /// `name` or `name + offset` for an access at `offset` of `memref`.
  std::string pointerAt(Value memref, Value offset);

  // --- VectorAccessPrinter.cpp: enigma.vector_load/vector_store ----------
  /// Before a kernel with threadgroup vector accesses: the macro spelling
  /// their pointer's address space.
  void declareVectorAccessPrelude();
  /// Prints an enigma.vector_load or enigma.vector_store.
  LogicalResult emitVectorAccess(Operation &op);

  // --- VectorPrinter.cpp: vector.extract/shuffle/from_elements ----------
  /// The right-hand side of a vector lane read, swizzle or constructor of
  /// result type `type`, or failure when there is no rule for it.
  FailureOr<std::string> vectorExpression(Operation &op, CType type);
  /// Lane-wise floor division of signed integer vectors.
  FailureOr<std::string> vectorFloorDivision(Operation &op, CType type);

  // --- AtomicPrinter.cpp: atomics and function constants -----------------
  /// Prints an enigma.atomic_* op (with fences where the target lacks its
  /// memory order).
  LogicalResult emitAtomic(Operation &op);
  /// Whether threadgroup array `memref` is accessed atomically, and so
  /// declared with an atomic type and read and written only by atomics.
  bool isAtomicArray(Value memref) const;
  /// A plain load or store of an atomic threadgroup array, as a relaxed
  /// atomic load or store.
  LogicalResult emitAtomicArrayAccess(Operation &op);
  /// The atomic object `memref[index]` as an atomic function takes it.
  std::string atomicElement(Value memref, Value index, bool forLoad);
  /// The program-scope declarations of the kernel's function constants.
  LogicalResult declareFunctionConstants();

  // --- ControlFlowPrinter.cpp: scf ---------------------------------------
  LogicalResult emitFor(scf::ForOp loop);
  LogicalResult emitIf(scf::IfOp ifOp);
  LogicalResult emitWhile(scf::WhileOp loop);
  /// Declares one variable per value of `values` (sharing it with the
  /// matching value of `aliases`, if given), initialized from `inits` if
  /// given.
  void declareCarried(ValueRange values, ValueRange aliases, ValueRange inits);
  /// Assigns `values` to the variables of `variables` as one parallel
  /// assignment (a swap reads the old values).
  void assignCarried(ValueRange variables, ValueRange values);
  /// The MSL type of carried variable `value` (a scalar, vector or matrix).
  std::string carriedTypeName(Value value) const;
  /// `value` as assigned to carried `variable` (converted unless a matrix).
  std::string carriedOperand(Value value, Value variable);

  // --- RegisterPrinter.cpp: per-thread arrays (register_tensor) ----------
  /// Declares a thread-address-space `memref.alloca` as a local array.
  LogicalResult emitThreadArray(memref::AllocaOp alloca);

  KernelOp kernel;
  const CLikeTarget &target;
  bool emitLocations;
  llvm::raw_ostream &os;
  SignednessAnalysis signedness;

  llvm::DenseMap<Value, std::string> names;
  unsigned nextValue = 0;
  unsigned indent = 1;
  /// The source file and line of the last `// file:line` comment.
  std::pair<StringAttr, unsigned> lastLocation;
};

} // namespace mlir::enigma

#endif // ENIGMA_TARGET_CLIKE_KERNELEMITTER_H
