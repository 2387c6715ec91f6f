//===- ImportArith.cpp - Arithmetic traced ops -> arith / math ------------===//
//
// Handlers for constant, binary, unary, compare and select ops, and the
// constant helpers the other arithmetic handlers share. MLIR integers are
// signless, so each handler picks the signed or unsigned arith op from the
// operands' Metal dtypes (bool counts as unsigned), which is how `uint`
// division, shifts and comparisons stay unsigned in the MSL.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using mlir::enigma::isUnsignedMetalDtype;

namespace enigma {

bool isFloatLike(Type type) {
  return isa<FloatType>(getElementTypeOrSelf(type));
}

Value buildSplat(OpBuilder &b, Location loc, Type type, TypedAttr scalar) {
  if (auto vector = dyn_cast<VectorType>(type)) {
    Attribute lane = scalar;
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(vector, lane));
  }
  return arith::ConstantOp::create(b, loc, scalar);
}

Value buildZero(OpBuilder &b, Location loc, Type type) {
  Type element = getElementTypeOrSelf(type);
  if (isa<FloatType>(element))
    return buildSplat(b, loc, type, b.getFloatAttr(element, 0.0));
  return buildSplat(b, loc, type, b.getIntegerAttr(element, 0));
}

/// The DSL spelling of a binary kind, for messages.
static StringRef getSymbol(StringRef kind) {
  return llvm::StringSwitch<StringRef>(kind)
      .Case("add", "+")
      .Case("sub", "-")
      .Case("mul", "*")
      .Case("div", "/")
      .Case("floordiv", "//")
      .Case("rem", "%")
      .Case("and", "&")
      .Case("or", "|")
      .Case("xor", "^")
      .Case("shl", "<<")
      .Case("shr", ">>")
      .Case("neg", "-")
      .Case("not", "~")
      .Case("pow", "**")
      .Default(kind);
}

LogicalResult Importer::requireValues(const TracedOp &op) {
  for (const TracedValue &operand : op.operands)
    if (operand.isBuffer())
      return error(op.loc, "a buffer of '" + operand.dtype +
                               "' cannot be used as a value in '" + op.kind +
                               "'; index it first");
  return success();
}

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

/// The attribute for one lane of a constant of element type `element`.
static FailureOr<TypedAttr> parseScalar(Importer &importer, Location loc,
                                        const llvm::json::Value &json,
                                        Type element, StringRef dtype) {
  OpBuilder &b = importer.builder;
  if (element.isInteger(1)) {
    std::optional<bool> flag = json.getAsBoolean();
    std::optional<int64_t> number = json.getAsInteger();
    if (!flag && number && (*number == 0 || *number == 1))
      flag = *number == 1;
    if (flag)
      return TypedAttr(b.getIntegerAttr(element, *flag));
  } else if (auto integer = dyn_cast<IntegerType>(element)) {
    unsigned width = integer.getWidth();
    // Accept what fits the width read as signed or as unsigned, as a C
    // literal converted to the type would be.
    if (std::optional<int64_t> value = json.getAsInteger()) {
      if (width == 64 || (*value >= -(int64_t(1) << (width - 1)) &&
                          *value < (int64_t(1) << width)))
        return TypedAttr(b.getIntegerAttr(
            element, APInt(width, uint64_t(*value), /*isSigned=*/false,
                           /*implicitTrunc=*/true)));
    } else if (std::optional<uint64_t> big = json.getAsUINT64();
               big && width == 64) {
      return TypedAttr(b.getIntegerAttr(element, APInt(64, *big)));
    }
  } else {
    auto floatType = cast<FloatType>(element);
    const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
    // JSON has no NaN or infinity: the tracer spells them as strings.
    std::optional<APFloat> value;
    if (std::optional<double> number = json.getAsNumber()) {
      value = APFloat(*number);
      bool losesInfo;
      value->convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    } else if (std::optional<StringRef> text = json.getAsString()) {
      if (*text == "nan")
        value = APFloat::getQNaN(semantics);
      else if (*text == "inf" || *text == "-inf")
        value = APFloat::getInf(semantics, /*Negative=*/*text == "-inf");
    }
    if (value)
      return TypedAttr(b.getFloatAttr(element, *value));
  }
  std::string text;
  llvm::raw_string_ostream(text) << json;
  return importer.error(loc, "constant " + text +
                                 " is not a valid value of type '" + dtype +
                                 "'");
}

LogicalResult Importer::importConstant(const TracedOp &op,
                                       SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 0, 1)))
    return failure();
  const llvm::json::Value *value = op.attrs.get("value");
  if (!value)
    return error(op.loc, "traced 'constant' op needs a 'value' attribute");
  Type type = op.resultTypes[0];
  Type element = getElementTypeOrSelf(type);
  StringRef dtype = op.resultDtypes[0];

  // A vector constant is either one value for every lane or one per lane.
  auto vector = dyn_cast<VectorType>(type);
  const llvm::json::Array *lanes = value->getAsArray();
  if (vector && lanes) {
    if (int64_t(lanes->size()) != vector.getNumElements())
      return error(op.loc, "constant of type '" + dtype + "' needs " +
                               Twine(vector.getNumElements()) + " lanes");
    SmallVector<Attribute> attrs;
    for (const llvm::json::Value &lane : *lanes) {
      FailureOr<TypedAttr> attr =
          parseScalar(*this, op.loc, lane, element, dtype);
      if (failed(attr))
        return failure();
      attrs.push_back(*attr);
    }
    results.push_back(arith::ConstantOp::create(
        builder, op.loc, DenseElementsAttr::get(vector, attrs)));
    return success();
  }
  FailureOr<TypedAttr> attr =
      parseScalar(*this, op.loc, *value, element, dtype);
  if (failed(attr))
    return failure();
  results.push_back(buildSplat(builder, op.loc, type, *attr));
  return success();
}

//===----------------------------------------------------------------------===//
// binary, unary
//===----------------------------------------------------------------------===//

namespace {
/// Builds `lhs <op> rhs` with the float, signed or unsigned flavour of an op.
struct BinaryBuilder {
  OpBuilder &b;
  Location loc;
  Value lhs, rhs;
  bool isFloat, isUnsigned;

  template <typename FloatOp, typename SignedOp, typename UnsignedOp = SignedOp>
  Value create() const {
    if (isFloat)
      return FloatOp::create(b, loc, lhs, rhs);
    if (isUnsigned)
      return UnsignedOp::create(b, loc, lhs, rhs);
    return SignedOp::create(b, loc, lhs, rhs);
  }
};
} // namespace

/// The arith/math op for binary `kind`; null for an unknown kind. Integer-only
/// kinds have been rejected for floats, and `pow` for integers.
static Value buildBinary(const BinaryBuilder &op, StringRef kind) {
  using namespace arith;
  if (kind == "add")
    return op.create<AddFOp, AddIOp>();
  if (kind == "sub")
    return op.create<SubFOp, SubIOp>();
  if (kind == "mul")
    return op.create<MulFOp, MulIOp>();
  if (kind == "div")
    return op.create<DivFOp, DivSIOp, DivUIOp>();
  if (kind == "floordiv" && op.isFloat)
    return math::FloorOp::create(op.b, op.loc,
                                 DivFOp::create(op.b, op.loc, op.lhs, op.rhs));
  // Unsigned division already rounds toward -inf.
  if (kind == "floordiv")
    return op.create<DivFOp, FloorDivSIOp, DivUIOp>();
  if (kind == "rem")
    return op.create<RemFOp, RemSIOp, RemUIOp>();
  if (kind == "and")
    return op.create<AndIOp, AndIOp>();
  if (kind == "or")
    return op.create<OrIOp, OrIOp>();
  if (kind == "xor")
    return op.create<XOrIOp, XOrIOp>();
  if (kind == "shl")
    return op.create<ShLIOp, ShLIOp>();
  if (kind == "shr")
    return op.create<ShRSIOp, ShRSIOp, ShRUIOp>();
  // Metal's fmin/fmax return the non-NaN operand, as minnumf/maxnumf do.
  if (kind == "min")
    return op.create<MinNumFOp, MinSIOp, MinUIOp>();
  if (kind == "max")
    return op.create<MaxNumFOp, MaxSIOp, MaxUIOp>();
  if (kind == "pow")
    return math::PowFOp::create(op.b, op.loc, op.lhs, op.rhs);
  return nullptr;
}

LogicalResult Importer::importBinary(const TracedOp &op,
                                     SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> kind = getStringAttr(op, "kind");
  if (failed(kind) || failed(expectArity(op, 2, 1)) ||
      failed(requireValues(op)))
    return failure();
  const TracedValue &lhs = op.operands[0];
  const TracedValue &rhs = op.operands[1];
  if (lhs.value.getType() != rhs.value.getType())
    return error(op.loc, "operands of '" + getSymbol(*kind) +
                             "' have different types '" + lhs.dtype +
                             "' and '" + rhs.dtype +
                             "' (the tracer must convert them first)");
  bool isFloat = isFloatLike(lhs.value.getType());
  if (isFloat && llvm::is_contained({"and", "or", "xor", "shl", "shr"}, *kind))
    return error(op.loc, "'" + getSymbol(*kind) +
                             "' needs integer or bool operands, got '" +
                             lhs.dtype + "'");
  if (!isFloat && *kind == "pow")
    return error(op.loc, "'**' needs floating-point operands in Metal, got '" +
                             lhs.dtype + "' (convert with metal_cast)");

  Value result = buildBinary({builder, op.loc, lhs.value, rhs.value, isFloat,
                              isUnsignedMetalDtype(lhs.dtype)},
                             *kind);
  if (!result)
    return error(op.loc, "unknown binary op kind '" + *kind + "'");
  results.push_back(result);
  return success();
}

Value buildAbs(OpBuilder &b, Location loc, const TracedValue &x) {
  if (isFloatLike(x.value.getType()))
    return math::AbsFOp::create(b, loc, x.value);
  if (isUnsignedMetalDtype(x.dtype))
    return x.value;
  return math::AbsIOp::create(b, loc, x.value);
}

LogicalResult Importer::importUnary(const TracedOp &op,
                                    SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> kind = getStringAttr(op, "kind");
  if (failed(kind) || failed(expectArity(op, 1, 1)) ||
      failed(requireValues(op)))
    return failure();
  const TracedValue &x = op.operands[0];
  Type type = x.value.getType();
  bool isFloat = isFloatLike(type);
  bool isBool = getElementTypeOrSelf(type).isInteger(1);
  if (*kind == "neg" && isFloat) {
    results.push_back(arith::NegFOp::create(builder, op.loc, x.value));
  } else if (*kind == "neg" && !isBool) {
    // arith has no integer negation: 0 - x wraps the same way MSL's -x does.
    results.push_back(arith::SubIOp::create(
        builder, op.loc, buildZero(builder, op.loc, type), x.value));
  } else if (*kind == "not" && !isFloat) {
    // Flip every bit: xor with all ones (`true` for bool).
    Type element = getElementTypeOrSelf(type);
    Value ones = buildSplat(
        builder, op.loc, type,
        builder.getIntegerAttr(
            element, APInt::getAllOnes(element.getIntOrFloatBitWidth())));
    results.push_back(arith::XOrIOp::create(builder, op.loc, x.value, ones));
  } else if (*kind == "abs") {
    results.push_back(buildAbs(builder, op.loc, x));
  } else if (*kind == "neg" || *kind == "not") {
    return error(op.loc, "'" + getSymbol(*kind) + "' is not defined for '" +
                             x.dtype + "' values");
  } else {
    return error(op.loc, "unknown unary op kind '" + *kind + "'");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// compare, select
//===----------------------------------------------------------------------===//

LogicalResult Importer::importCompare(const TracedOp &op,
                                      SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> kind = getStringAttr(op, "kind");
  if (failed(kind) || failed(expectArity(op, 2, 1)) ||
      failed(requireValues(op)))
    return failure();
  const TracedValue &lhs = op.operands[0];
  Value l = lhs.value, r = op.operands[1].value;
  if (l.getType() != r.getType())
    return error(op.loc, "compared values have different types '" + lhs.dtype +
                             "' and '" + op.operands[1].dtype +
                             "' (the tracer must convert them first)");
  if (isFloatLike(l.getType())) {
    // Ordered except `!=`, which is true for NaN in MSL as in IEEE 754.
    std::optional<arith::CmpFPredicate> predicate =
        llvm::StringSwitch<std::optional<arith::CmpFPredicate>>(*kind)
            .Case("lt", arith::CmpFPredicate::OLT)
            .Case("le", arith::CmpFPredicate::OLE)
            .Case("gt", arith::CmpFPredicate::OGT)
            .Case("ge", arith::CmpFPredicate::OGE)
            .Case("eq", arith::CmpFPredicate::OEQ)
            .Case("ne", arith::CmpFPredicate::UNE)
            .Default(std::nullopt);
    if (!predicate)
      return error(op.loc, "unknown comparison kind '" + *kind + "'");
    results.push_back(arith::CmpFOp::create(builder, op.loc, *predicate, l, r));
    return success();
  }
  bool isUnsigned = isUnsignedMetalDtype(lhs.dtype);
  using P = arith::CmpIPredicate;
  std::optional<P> predicate = llvm::StringSwitch<std::optional<P>>(*kind)
                                   .Case("lt", isUnsigned ? P::ult : P::slt)
                                   .Case("le", isUnsigned ? P::ule : P::sle)
                                   .Case("gt", isUnsigned ? P::ugt : P::sgt)
                                   .Case("ge", isUnsigned ? P::uge : P::sge)
                                   .Case("eq", P::eq)
                                   .Case("ne", P::ne)
                                   // cmp_ult & co.: the bits as unsigned,
                                   // whatever the operands' signedness.
                                   .Case("ult", P::ult)
                                   .Case("ule", P::ule)
                                   .Case("ugt", P::ugt)
                                   .Case("uge", P::uge)
                                   .Default(std::nullopt);
  if (!predicate)
    return error(op.loc, "unknown comparison kind '" + *kind + "'");
  results.push_back(arith::CmpIOp::create(builder, op.loc, *predicate, l, r));
  return success();
}

LogicalResult Importer::importSelect(const TracedOp &op,
                                     SmallVectorImpl<Value> &results) {
  if (failed(expectArity(op, 3, 1)) || failed(requireValues(op)))
    return failure();
  // Traced in Metal's select(false_value, true_value, cond) order.
  const TracedValue &cond = op.operands[0];
  const TracedValue &falseValue = op.operands[1];
  const TracedValue &trueValue = op.operands[2];
  if (!getElementTypeOrSelf(cond.value.getType()).isInteger(1))
    return error(op.loc, "the condition of a select must be bool, got '" +
                             cond.dtype + "'");
  if (falseValue.value.getType() != trueValue.value.getType())
    return error(op.loc, "select chooses between different types '" +
                             falseValue.dtype + "' and '" + trueValue.dtype +
                             "' (the tracer must convert them first)");
  results.push_back(arith::SelectOp::create(builder, op.loc, cond.value,
                                            trueValue.value, falseValue.value));
  return success();
}

} // namespace enigma
