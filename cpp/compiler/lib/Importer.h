//===- Importer.h - State of one traced-kernel import -----------*- C++ -*-===//
//
// Private to the compiler library. The importer walks the JSON ops in order,
// resolving operand ids through a value table, and hands each op to the
// handler for its kind. Handlers live in one file per family of ops:
// Importer.cpp (structure), ImportGPU.cpp (memory, thread queries,
// barriers), ImportArith.cpp (constant, binary, unary, compare, select),
// ImportCast.cpp, ImportMath.cpp, ImportVector.cpp (vector construction,
// lanes, geometric and pack functions) and ImportControlFlow.cpp (scf).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_COMPILER_LIB_IMPORTER_H
#define ENIGMA_COMPILER_LIB_IMPORTER_H

#include "enigma/Dialect/Enigma/EnigmaAttrs.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/JSON.h"
#include <string>

namespace enigma {

/// A traced value: its MLIR value and what MLIR does not record, its Metal
/// dtype (for a buffer, the dtype of its elements).
struct TracedValue {
  mlir::Value value;
  std::string dtype;

  bool isBuffer() const { return llvm::isa<mlir::MemRefType>(value.getType()); }
};

/// One traced op with its operands resolved and its result types parsed.
struct TracedOp {
  llvm::StringRef kind;
  mlir::Location loc;
  llvm::SmallVector<TracedValue> operands;
  llvm::SmallVector<std::string> resultDtypes;
  llvm::SmallVector<mlir::Type> resultTypes; // null for threadgroup arrays
  const llvm::json::Object &attrs;
  const llvm::json::Array &regions;
};

class Importer {
public:
  explicit Importer(mlir::MLIRContext *context)
      : context(context), builder(context) {}

  mlir::OwningOpRef<mlir::ModuleOp> importKernel(const llvm::json::Object &doc);

  /// Handlers: build the MLIR for `op` at the insertion point and append its
  /// results, in order. Report problems with `error`.
  using Results = llvm::SmallVectorImpl<mlir::Value>;
  using Handler = mlir::LogicalResult (Importer::*)(const TracedOp &op,
                                                    Results &results);

  // ImportArith.cpp
  mlir::LogicalResult importConstant(const TracedOp &, Results &);
  mlir::LogicalResult importBinary(const TracedOp &, Results &);
  mlir::LogicalResult importUnary(const TracedOp &, Results &);
  mlir::LogicalResult importCompare(const TracedOp &, Results &);
  mlir::LogicalResult importSelect(const TracedOp &, Results &);
  // ImportCast.cpp
  mlir::LogicalResult importCast(const TracedOp &, Results &);
  mlir::LogicalResult importBitcast(const TracedOp &, Results &);
  // ImportMath.cpp
  mlir::LogicalResult importMath(const TracedOp &, Results &);
  // ImportGPU.cpp
  mlir::LogicalResult importLoad(const TracedOp &, Results &);
  mlir::LogicalResult importStore(const TracedOp &, Results &);
  mlir::LogicalResult importBuiltin(const TracedOp &, Results &);
  mlir::LogicalResult importBarrier(const TracedOp &, Results &);
  mlir::LogicalResult importThreadgroupAlloc(const TracedOp &, Results &);
  // ImportAtomic.cpp (atomics and function constants)
  mlir::LogicalResult importAtomicLoad(const TracedOp &, Results &);
  mlir::LogicalResult importAtomicStore(const TracedOp &, Results &);
  mlir::LogicalResult importAtomicRMW(const TracedOp &, Results &);
  mlir::LogicalResult importAtomicCompareExchange(const TracedOp &, Results &);
  mlir::LogicalResult importFunctionConstant(const TracedOp &, Results &);
  // ImportSimd.cpp
  mlir::LogicalResult importSimdReduce(const TracedOp &, Results &);
  mlir::LogicalResult importSimdShuffle(const TracedOp &, Results &);
  // ImportVector.cpp
  mlir::LogicalResult importVectorConstruct(const TracedOp &, Results &);
  mlir::LogicalResult importVectorExtract(const TracedOp &, Results &);
  mlir::LogicalResult importVectorSwizzle(const TracedOp &, Results &);
  mlir::LogicalResult importVectorFunction(const TracedOp &, Results &);
  // ImportControlFlow.cpp
  mlir::LogicalResult importFor(const TracedOp &, Results &);
  mlir::LogicalResult importIf(const TracedOp &, Results &);
  mlir::LogicalResult importWhile(const TracedOp &, Results &);
  mlir::LogicalResult importYield(const TracedOp &, Results &);
  mlir::LogicalResult importCondition(const TracedOp &, Results &);
  // ImportRegisters.cpp
  mlir::LogicalResult importRegisterAlloc(const TracedOp &, Results &);
  // ImportMatrix.cpp (simdgroup matrices)
  mlir::LogicalResult importMatrixFill(const TracedOp &, Results &);
  mlir::LogicalResult importMatrixLoad(const TracedOp &, Results &);
  mlir::LogicalResult importMatrixStore(const TracedOp &, Results &);
  mlir::LogicalResult importMatrixMultiplyAccumulate(const TracedOp &,
                                                     Results &);
  // ImportThreadgroupMatrix.cpp (threadgroup matrices)
  mlir::LogicalResult importThreadgroupMatrixFill(const TracedOp &, Results &);
  mlir::LogicalResult importThreadgroupMultiplyAccumulate(const TracedOp &,
                                                          Results &);
  mlir::LogicalResult importThreadgroupMatrixStore(const TracedOp &, Results &);
  // ImportAsyncCopy.cpp
  mlir::LogicalResult importAsyncCopy(const TracedOp &, Results &);
  mlir::LogicalResult importAsyncCopyWait(const TracedOp &, Results &);
  // ImportVectorAccess.cpp (Tensor fragment loads and stores)
  mlir::LogicalResult importVectorLoad(const TracedOp &, Results &);
  mlir::LogicalResult importVectorStore(const TracedOp &, Results &);

  /// Imports region `index` of `op` into `block`, whose arguments already
  /// exist: binds the region's argument ids to them and imports its ops.
  /// When the ops do not end in a terminator, `defaultYield` adds an empty
  /// scf.yield; otherwise that is an error.
  mlir::LogicalResult importRegion(const TracedOp &op, unsigned index,
                                   mlir::Block &block, bool defaultYield);

  /// Fails unless every operand of `op` is a value (not a buffer).
  mlir::LogicalResult requireValues(const TracedOp &op);
  /// Fails unless operand `index` of `op` is a buffer (`isBuffer`) or a
  /// value (not `isBuffer`).
  mlir::LogicalResult requireOperandKind(const TracedOp &op, unsigned index,
                                         bool isBuffer);
  /// Operands `indices` of `op`, traced as `uint` (offsets, sizes), as
  /// `index` values in that order; an error if one is not a uint.
  mlir::FailureOr<llvm::SmallVector<mlir::Value>>
  getUintIndices(const TracedOp &op, llvm::ArrayRef<unsigned> indices);
  /// Reports `message` at `loc`; always returns failure.
  mlir::LogicalResult error(mlir::Location loc, const llvm::Twine &message);
  /// Checks that `op` has `count` operands and `results` results.
  mlir::LogicalResult expectArity(const TracedOp &op, unsigned count,
                                  unsigned results);
  /// The string attribute `key` of `op`, or an error naming it.
  mlir::FailureOr<llvm::StringRef> getStringAttr(const TracedOp &op,
                                                 llvm::StringRef key);
  /// The 1-D memref of `op`'s `size` elements of Metal `dtype` in `space`
  /// (threadgroup_alloc, register_alloc), or an error naming the bad attr.
  mlir::FailureOr<mlir::MemRefType>
  getArrayType(const TracedOp &op, llvm::StringRef dtype,
               mlir::enigma::AddressSpace space);

  mlir::MLIRContext *context;
  mlir::OpBuilder builder;

private:
  mlir::LogicalResult importOps(const llvm::json::Array &ops,
                                mlir::Location parentLoc);
  mlir::LogicalResult importOp(const llvm::json::Value &json,
                               mlir::Location parentLoc);
  /// Creates the kernel op and its entry block from the parameter list.
  mlir::LogicalResult importKernelOp(const llvm::json::Array &params,
                                     llvm::StringRef name, mlir::Location loc);
  mlir::Location getLoc(const llvm::json::Object &object,
                        mlir::Location fallback);
  /// Parses `{"id": N, "type": "float"}` into its id, dtype and type.
  mlir::LogicalResult parseTypedId(const llvm::json::Value &json,
                                   mlir::Location loc, int64_t &id,
                                   std::string &dtype, mlir::Type &type);
  mlir::LogicalResult define(int64_t id, TracedValue value, mlir::Location loc);

  llvm::DenseMap<int64_t, TracedValue> values;
};

// Helpers shared by the arithmetic handlers (ImportArith.cpp).

/// Checks operands 0 and 1 of a buffer access (load, store, atomics) and
/// returns the index as an `index` value (ImportGPU.cpp).
mlir::FailureOr<mlir::Value> getBufferIndex(Importer &importer,
                                            const TracedOp &op);

/// Whether `type` is a float or a vector of floats.
bool isFloatLike(mlir::Type type);
/// A constant of `type` (scalar or vector) with every lane equal to `scalar`.
mlir::Value buildSplat(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                       mlir::TypedAttr scalar);
/// The zero of `type`.
mlir::Value buildZero(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);
/// |x|: absf for floats, absi for signed integers, x itself when unsigned.
mlir::Value buildAbs(mlir::OpBuilder &b, mlir::Location loc,
                     const TracedValue &x);

} // namespace enigma

#endif // ENIGMA_COMPILER_LIB_IMPORTER_H
