//===- VectorPrinter.cpp - vector dialect ops as C-like expressions -------===//
//
// The upstream `vector` ops that the importer makes of the DSL's vector
// values, printed as a Metal programmer writes them:
//   vector.extract       `v.z` (a constant lane) or `v[i]` (a traced one);
//   vector.shuffle       a swizzle `v.zyx` when all lanes come from one
//                        vector, else a constructor `float3(a.x, b.y, a.z)`;
//   vector.from_elements a constructor `float4(x, y, z, w)`.
// Lanes of bool vectors are read with subscripts (`m[2]`), which MSL allows
// on every vector and which the cpu device needs: clang's bool vectors have
// no swizzles. Integer floor division of vectors is here too, since C-like
// targets spell lane-wise choice with select(), not `?:`.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "Spelling.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::enigma;

/// Lane `lane` of the vector expression `atom` of type `type`.
static std::string laneOf(llvm::StringRef atom, CType type, int64_t lane) {
  if (type.isBool())
    return (atom + "[" + llvm::Twine(lane) + "]").str();
  return (atom + "." + llvm::StringRef("xyzw").substr(lane, 1)).str();
}

FailureOr<std::string> KernelEmitter::vectorExpression(Operation &op,
                                                       CType type) {
  if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
    // Lanes of 1-D vectors only: one position, constant or dynamic.
    if (extract.getNumIndices() != 1)
      return failure();
    Value source = extract.getSource();
    CType sourceType = typeOf(source);
    std::string atom = operand(source);
    OpFoldResult position = extract.getMixedPosition()[0];
    std::string text;
    if (auto lane = getConstantIntValue(position))
      text = laneOf(atom, sourceType, *lane);
    else
      text = atom + "[" + operand(cast<Value>(position)) + "]";
    // A lane reads with its vector's signedness; convert if the result's
    // differs.
    return sourceType.lane() == type ? text : castTo(type, text);
  }

  if (auto shuffle = dyn_cast<vector::ShuffleOp>(op)) {
    Value v1 = shuffle.getV1(), v2 = shuffle.getV2();
    int64_t n1 = cast<VectorType>(v1.getType()).getNumElements();
    ArrayRef<int64_t> mask = shuffle.getMask();
    // MLIR marks an undefined lane with -1; the tracer never asks for one.
    if (llvm::any_of(mask, [](int64_t lane) { return lane < 0; }))
      return failure();
    bool fromV1 = llvm::all_of(mask, [&](int64_t lane) { return lane < n1; });
    bool fromV2 = llvm::all_of(mask, [&](int64_t lane) { return lane >= n1; });
    CType t1 = typeOf(v1), t2 = typeOf(v2);
    if ((fromV1 || fromV2) && !type.isBool()) {
      Value source = fromV1 ? v1 : v2;
      CType sourceType = fromV1 ? t1 : t2;
      std::string swizzle;
      for (int64_t lane : mask)
        swizzle += "xyzw"[fromV1 ? lane : lane - n1];
      std::string text = operand(source) + "." + swizzle;
      return sourceType.scalar == type.scalar ? text : castTo(type, text);
    }
    std::string a1 = operand(v1), a2 = operand(v2);
    SmallVector<std::string> lanes;
    for (int64_t lane : mask) {
      bool first = lane < n1;
      std::string text =
          laneOf(first ? a1 : a2, first ? t1 : t2, first ? lane : lane - n1);
      lanes.push_back((first ? t1 : t2).lane() == type.lane()
                          ? text
                          : castTo(type.lane(), text));
    }
    return castTo(type, llvm::join(lanes, ", "));
  }

  if (auto fromElements = dyn_cast<vector::FromElementsOp>(op)) {
    SmallVector<std::string> lanes;
    for (Value element : fromElements.getElements())
      lanes.push_back(operand(element, type.lane()));
    return castTo(type, llvm::join(lanes, ", "));
  }
  return failure();
}

FailureOr<std::string> KernelEmitter::vectorFloorDivision(Operation &op,
                                                          CType type) {
  CType signedType = type.withSignedness(false);
  std::string a = operand(op.getOperand(0), signedType);
  std::string b = operand(op.getOperand(1), signedType);
  std::string zero = castTo(signedType, spellNumber(target, 0, signedType));
  std::string one = castTo(signedType, spellNumber(target, 1, signedType));
  // C division truncates; lanes whose division was inexact and whose
  // operands' signs differ step down by one, chosen lane by lane.
  std::string inexact = llvm::formatv("{0} % {1} != {2}", a, b, zero);
  std::string signsDiffer = llvm::formatv("({0} ^ {1}) < {2}", a, b, zero);
  std::string stepDown = llvm::formatv(
      target.vectorSelect, zero,
      llvm::formatv(target.vectorSelect, zero, one, signsDiffer).str(),
      inexact);
  return llvm::formatv("{0} / {1} - {2}", a, b, stepDown).str();
}
