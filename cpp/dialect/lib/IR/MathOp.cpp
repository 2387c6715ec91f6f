//===- MathOp.cpp - enigma.math: arity, types and signedness --------------===//
//
// The verifier of `enigma.math` holds, per MathFunction, how many operands
// the Metal function takes and of which class (float, integer, either), and
// which operands are the `uint` offset and bit count of extract_bits and
// insert_bits. The signedness queries tell the MSL emitter how to read the
// signless integers, since Metal's saturating and high-half arithmetic, and
// extract_bits' sign extension, depend on it.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::enigma;

#include "enigma/Dialect/Enigma/EnigmaMathEnums.cpp.inc"

namespace {
/// The operand class a function accepts.
enum class Accepts { Float, Integer, Either };

struct Signature {
  unsigned arity;
  Accepts accepts;
  /// Trailing operands that are Metal `uint` scalars (offset, bits).
  unsigned uintTail;
};
} // namespace

static Signature getSignature(MathFunction fn) {
  switch (fn) {
  case MathFunction::Sign:
  case MathFunction::Saturate:
  case MathFunction::Fract:
  case MathFunction::Signbit:
    return {1, Accepts::Float, 0};
  case MathFunction::Step:
    return {2, Accepts::Float, 0};
  case MathFunction::Mix:
  case MathFunction::Smoothstep:
    return {3, Accepts::Float, 0};
  case MathFunction::Clamp:
    return {3, Accepts::Either, 0};
  case MathFunction::ReverseBits:
    return {1, Accepts::Integer, 0};
  case MathFunction::AbsDiff:
  case MathFunction::AddSat:
  case MathFunction::SubSat:
  case MathFunction::MulHi:
  case MathFunction::Rotate:
    return {2, Accepts::Integer, 0};
  case MathFunction::MadSat:
    return {3, Accepts::Integer, 0};
  case MathFunction::ExtractBits:
    return {3, Accepts::Integer, 2};
  case MathFunction::InsertBits:
    return {4, Accepts::Integer, 2};
  }
  llvm_unreachable("unknown MathFunction");
}

/// A number type other than bool: float, or an integer wider than i1.
static bool isInteger(Type type) {
  Type element = getElementTypeOrSelf(type);
  return element.isSignlessInteger() && !element.isInteger(1);
}

LogicalResult MathOp::verify() {
  MathFunction fn = getFn();
  StringRef name = stringifyMathFunction(fn);
  Signature signature = getSignature(fn);
  OperandRange args = getArgs();
  if (args.size() != signature.arity)
    return emitError() << name << " takes " << signature.arity
                       << " operands, got " << args.size();

  unsigned valueCount = signature.arity - signature.uintTail;
  Type type = args[0].getType();
  bool isFloat = isa<FloatType>(getElementTypeOrSelf(type));
  if ((signature.accepts == Accepts::Float && !isFloat) ||
      (signature.accepts == Accepts::Integer && !isInteger(type)) ||
      (signature.accepts == Accepts::Either && !isFloat && !isInteger(type)))
    return emitError() << name << " cannot take a value of type " << type;
  for (Value arg : args.take_front(valueCount))
    if (arg.getType() != type)
      return emitError() << "the operands of " << name
                         << " must have one type, got " << type << " and "
                         << arg.getType();
  for (Value arg : args.drop_front(valueCount))
    if (!arg.getType().isInteger(32))
      return emitError() << "the offset and bit count of " << name
                         << " are uint (i32), got " << arg.getType();
  if (getIsUnsigned() && isFloat)
    return emitError() << "'unsigned' only applies to integer operands";

  Type expected = type;
  if (fn == MathFunction::Signbit) {
    Type i1 = IntegerType::get(getContext(), 1);
    auto vector = dyn_cast<VectorType>(type);
    expected = vector ? Type(VectorType::get(vector.getShape(), i1)) : i1;
  }
  if (getResult().getType() != expected)
    return emitError() << name << " of " << type << " returns " << expected
                       << ", not " << getResult().getType();
  return success();
}

std::optional<bool> MathOp::getArgSignedness(unsigned index) {
  if (!isInteger(getArgs()[0].getType()))
    return std::nullopt;
  Signature signature = getSignature(getFn());
  if (index >= signature.arity - signature.uintTail)
    return true;
  return getIsUnsigned();
}

std::optional<bool> MathOp::getResultSignedness() {
  if (!isInteger(getResult().getType()))
    return std::nullopt;
  return getFn() == MathFunction::AbsDiff || getIsUnsigned();
}
