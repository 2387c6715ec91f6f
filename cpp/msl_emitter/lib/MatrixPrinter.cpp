//===- MatrixPrinter.cpp - Simdgroup matrix ops ---------------------------===//
//
// Prints the simdgroup matrix ops as the MSL a Metal programmer writes: a
// `simdgroup_float8x8` variable per matrix value, filled by
// `make_filled_simdgroup_matrix<float, 8, 8>(x)` or written by
// `simdgroup_load(m, a + off, n, ulong2(col, row))` and
// `simdgroup_multiply_accumulate(d, a, b, c)`, and read by
// `simdgroup_store`. Simdgroup matrices exist only in Metal, so the
// spellings are MSL's; another target defines the same names after its
// `matrixPrefix` (CUDA: `enigma_simdgroup_load`...). A matrix is a
// `vector<8x8xT>`, which has no CType: these ops are printed before the generic
// type checks of emitOperation. scf loops and ifs carry matrices in variables
// of the same types (ControlFlowPrinter.cpp), assigned whole as Metal allows.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

using namespace mlir;
using namespace mlir::enigma;

std::string KernelEmitter::matrixElementName(VectorType type) const {
  return typeName(*CType::get(type.getElementType(), /*isUnsigned=*/false));
}

bool KernelEmitter::isMatrixType(Type type) {
  auto vector = dyn_cast<VectorType>(type);
  return vector && vector.getRank() == 2;
}

std::string KernelEmitter::matrixTypeName(VectorType type) const {
  if (isThreadgroupMatrixType(type))
    return threadgroupMatrixTypeName(type);
  return (target.matrixPrefix + "simdgroup_" + matrixElementName(type) + "8x8")
      .str();
}

std::string KernelEmitter::declareMatrix(Value result) {
  std::string name = freshName();
  bind(result, name);
  line(matrixTypeName(cast<VectorType>(result.getType())) + " " + name + ";");
  return name;
}

std::string KernelEmitter::matrixAccessArguments(Value memref, Value offset,
                                                 Value elementsPerRow,
                                                 Value col, Value row,
                                                 bool transpose) {
  std::string pointer = pointerAt(memref, offset);
  std::string origin = (target.matrixPrefix + "ulong2(").str() + operand(col) +
                       ", " + operand(row) + ")";
  return pointer + ", " + operand(elementsPerRow) + ", " + origin +
         (transpose ? ", true" : "");
}

LogicalResult KernelEmitter::emitSimdgroupMatrix(Operation &op) {
  if (!operandsPrintable(&op))
    return unsupported(&op);
  noteLocation(&op);
  if (auto fill = dyn_cast<SimdgroupMatrixFillOp>(op)) {
    std::string element = matrixElementName(fill.getType());
    std::string name = freshName();
    bind(fill.getResult(), name);
    CType scalar = *CType::get(fill.getType().getElementType(), false);
    line(matrixTypeName(fill.getType()) + " " + name + " = " +
         target.matrixPrefix.str() + "make_filled_simdgroup_matrix<" + element +
         ", 8, 8>(" + operand(fill.getValue(), scalar) + ");");
    return success();
  }
  if (auto load = dyn_cast<SimdgroupMatrixLoadOp>(op)) {
    std::string name = declareMatrix(load.getResult());
    line(target.matrixPrefix + "simdgroup_load(" + name + ", " +
         matrixAccessArguments(load.getMemref(), load.getOffset(),
                               load.getElementsPerRow(), load.getCol(),
                               load.getRow(), load.getTranspose()) +
         ");");
    return success();
  }
  if (auto store = dyn_cast<SimdgroupMatrixStoreOp>(op)) {
    line(target.matrixPrefix + "simdgroup_store(" +
         names.lookup(store.getValue()) + ", " +
         matrixAccessArguments(store.getMemref(), store.getOffset(),
                               store.getElementsPerRow(), store.getCol(),
                               store.getRow(), store.getTranspose()) +
         ");");
    return success();
  }
  auto mac = cast<SimdgroupMultiplyAccumulateOp>(op);
  std::string name = declareMatrix(mac.getResult());
  line(target.matrixPrefix + "simdgroup_multiply_accumulate(" + name + ", " +
       names.lookup(mac.getA()) + ", " + names.lookup(mac.getB()) + ", " +
       names.lookup(mac.getC()) + ");");
  return success();
}
