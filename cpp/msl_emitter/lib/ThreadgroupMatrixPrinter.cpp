//===- ThreadgroupMatrixPrinter.cpp - Threadgroup matrix ops --------------===//
//
// Prints the threadgroup matrix ops (EnigmaThreadgroupMatrixOps.td) as calls
// that every target prints alike; the target supplies the definitions
// (`threadgroupMatrixPrelude` for MSL, CUDA's always-included prelude):
//
//   enigma_threadgroup_matrix<float, 128, 256> v1 =
//       enigma_make_filled_threadgroup_matrix<float, 128, 256>(x);
//   enigma_threadgroup_matrix<float, 128, 256> v2;
//   enigma_threadgroup_multiply_accumulate(v2, a + v3, lda, arows, b + v4,
//                                          ldb, bcols, k, v1, tid);
//   enigma_threadgroup_matrix_store(v2, c + v5, ld, rows, cols, tid);
//
// A matrix is a `vector<RxCxf32>` with no CType, so these ops are printed
// before the generic type checks of emitOperation; scf ops carry them in
// variables of the same type (ControlFlowPrinter.cpp via matrixTypeName).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

using namespace mlir;
using namespace mlir::enigma;

bool KernelEmitter::isThreadgroupMatrixType(Type type) {
  auto vector = dyn_cast<VectorType>(type);
  return vector && vector.getRank() == 2 &&
         vector.getShape() != ArrayRef<int64_t>{8, 8};
}

std::string KernelEmitter::threadgroupMatrixTypeName(VectorType type) const {
  return "enigma_threadgroup_matrix<" + matrixElementName(type) + ", " +
         std::to_string(type.getShape()[0]) + ", " +
         std::to_string(type.getShape()[1]) + ">";
}

void KernelEmitter::declareThreadgroupMatrixPrelude() {
  auto isThreadgroupMatrixOp = [](Operation *op) {
    return isa<ThreadgroupMatrixFillOp>(op) ? WalkResult::interrupt()
                                            : WalkResult::advance();
  };
  if (kernel.walk(isThreadgroupMatrixOp).wasInterrupted())
    os << target.threadgroupMatrixPrelude;
}

std::pair<int64_t, int64_t> KernelEmitter::widestThreadgroupMatrix() {
  std::pair<int64_t, int64_t> widest = {0, 0};
  kernel.walk([&](ThreadgroupMultiplyAccumulateOp product) {
    ArrayRef<int64_t> shape = product.getType().getShape();
    if (shape[0] + shape[1] > widest.first + widest.second)
      widest = {shape[0], shape[1]};
  });
  return widest;
}

LogicalResult KernelEmitter::emitThreadgroupMatrix(Operation &op) {
  if (!operandsPrintable(&op))
    return unsupported(&op);
  noteLocation(&op);
  if (auto fill = dyn_cast<ThreadgroupMatrixFillOp>(op)) {
    std::string type = threadgroupMatrixTypeName(fill.getType());
    std::string name = freshName();
    bind(fill.getResult(), name);
    CType scalar = *CType::get(fill.getType().getElementType(), false);
    line(type + " " + name + " = enigma_make_filled_" +
         type.substr(std::string("enigma_").size()) + "(" +
         operand(fill.getValue(), scalar) + ");");
    return success();
  }
  if (auto mac = dyn_cast<ThreadgroupMultiplyAccumulateOp>(op)) {
    std::string name = freshName();
    bind(mac.getResult(), name);
    line(threadgroupMatrixTypeName(mac.getType()) + " " + name + ";");
    line("enigma_threadgroup_multiply_accumulate(" + name + ", " +
         pointerAt(mac.getA(), mac.getAOffset()) + ", " +
         operand(mac.getAStride()) + ", " + operand(mac.getARows()) + ", " +
         pointerAt(mac.getB(), mac.getBOffset()) + ", " +
         operand(mac.getBStride()) + ", " + operand(mac.getBCols()) + ", " +
         operand(mac.getK()) + ", " + names.lookup(mac.getC()) + ", " +
         operand(mac.getThread()) + ");");
    return success();
  }
  auto store = cast<ThreadgroupMatrixStoreOp>(op);
  line("enigma_threadgroup_matrix_store(" + names.lookup(store.getValue()) +
       ", " + pointerAt(store.getMemref(), store.getOffset()) + ", " +
       operand(store.getStride()) + ", " + operand(store.getRows()) + ", " +
       operand(store.getCols()) + ", " + operand(store.getThread()) + ");");
  return success();
}
