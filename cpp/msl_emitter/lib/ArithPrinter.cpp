//===- ArithPrinter.cpp - arith, math and vector ops as C-like expressions ===//
//
// Each arith/math op (and vector.broadcast) becomes the right-hand side of one
// declaration. Operands are atoms (names, literals, conversions), so an
// expression is a single operator or call and needs no precedence handling
// beyond a leading `-`. The rules keep MLIR's semantics exactly in C:
//   * an op that has a signedness (divui, cmpi slt, extsi, ...) reads its
//     operands converted to it whenever their C type differs;
//   * 8/16-bit products and left shifts are computed in uint, since C's
//     promotion to int could overflow (65535 * 65535);
//   * a shift count not known to be below the width N is masked with N - 1,
//     which is what Metal does with it (C++ leaves it undefined);
//   * float predicates keep IEEE unordered semantics (`une` is `!=`, `ult`
//     is `!(a >= b)`, `uno` tests isnan);
//   * i1 arithmetic uses logical operators, so the result stays a bool.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "Spelling.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::enigma;

static std::string infix(llvm::StringRef lhs, llvm::StringRef op,
                         llvm::StringRef rhs) {
  return (lhs + " " + op + " " + rhs).str();
}

/// `-x` of an atom that may itself start with `-`: `-(-1.5f)`, not `--1.5f`.
static std::string negate(llvm::StringRef atom) {
  if (atom.starts_with("-"))
    return ("-(" + atom + ")").str();
  return ("-" + atom).str();
}

static bool isAllOnes(Value value) {
  llvm::APInt bits;
  return matchPattern(value, m_ConstantInt(&bits)) && bits.isAllOnes();
}

FailureOr<std::string> KernelEmitter::expression(Operation &op) {
  CType type = typeOf(op.getResult(0));
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::AndIOp,
          arith::OrIOp, arith::XOrIOp, arith::ShLIOp, arith::DivSIOp,
          arith::DivUIOp, arith::RemSIOp, arith::RemUIOp, arith::ShRSIOp,
          arith::ShRUIOp>(op))
    return integerArithmetic(op, type);
  if (isa<arith::CmpIOp, arith::CmpFOp>(op))
    return comparison(op);
  if (isa<arith::ExtFOp, arith::TruncFOp, arith::ExtSIOp, arith::ExtUIOp,
          arith::TruncIOp, arith::SIToFPOp, arith::UIToFPOp, arith::FPToSIOp,
          arith::FPToUIOp, arith::BitcastOp>(op))
    return conversion(op, type);
  if (isa<arith::MinimumFOp, arith::MaximumFOp>(op))
    return nanPropagatingMinMax(op, type);
  if (isa<arith::FloorDivSIOp>(op))
    return floorDivision(op, type);

  llvm::StringRef floatOperator =
      llvm::TypeSwitch<Operation *, llvm::StringRef>(&op)
          .Case([](arith::AddFOp) { return "+"; })
          .Case([](arith::SubFOp) { return "-"; })
          .Case([](arith::MulFOp) { return "*"; })
          .Case([](arith::DivFOp) { return "/"; })
          .Default([](Operation *) { return ""; });
  if (!floatOperator.empty())
    return infix(operand(op.getOperand(0)), floatOperator,
                 operand(op.getOperand(1)));
  if (auto broadcast = dyn_cast<vector::BroadcastOp>(op)) {
    // A scalar converts to a vector by repeating it in every lane.
    if (isa<VectorType>(broadcast.getSource().getType()))
      return failure();
    return castTo(type, operand(broadcast.getSource(), type.lane()));
  }
  if (auto neg = dyn_cast<arith::NegFOp>(op))
    return negate(operand(neg.getOperand()));
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    std::string onTrue = operand(select.getTrueValue(), type);
    std::string onFalse = operand(select.getFalseValue(), type);
    std::string condition = operand(select.getCondition());
    // A vector condition selects lane by lane: only the target's select().
    if (isa<VectorType>(select.getCondition().getType()))
      return llvm::formatv(target.vectorSelect, onFalse, onTrue, condition)
          .str();
    return condition + " ? " + onTrue + " : " + onFalse;
  }
  if (isa<vector::ExtractOp, vector::ShuffleOp, vector::FromElementsOp>(op))
    return vectorExpression(op, type);
  return functionCall(op);
}

FailureOr<std::string> KernelEmitter::integerArithmetic(Operation &op,
                                                        CType type) {
  Value lhs = op.getOperand(0);
  Value rhs = op.getOperand(1);
  // `x ^ all-ones` is the complement (canonicalization's form of `~x`).
  if (isa<arith::XOrIOp>(op) && (isAllOnes(lhs) || isAllOnes(rhs))) {
    Value x = isAllOnes(rhs) ? lhs : rhs;
    return (type.isBool() ? "!" : "~") + operand(x, type);
  }

  if (type.isBool()) {
    // i1 arithmetic is modulo 2: keep it in bool with logical operators
    // (`&&` and `||` exist for scalars only: bool vectors use `&` and `|`).
    bool isVector = type.isVector();
    llvm::StringRef logical =
        llvm::TypeSwitch<Operation *, llvm::StringRef>(&op)
            .Case<arith::AddIOp, arith::SubIOp, arith::XOrIOp>(
                [](Operation *) { return "!="; })
            .Case<arith::MulIOp, arith::AndIOp>(
                [&](Operation *) { return isVector ? "&" : "&&"; })
            .Case([&](arith::OrIOp) { return isVector ? "|" : "||"; })
            .Default([](Operation *) { return ""; });
    if (logical.empty())
      return failure();
    return infix(operand(lhs, type), logical, operand(rhs, type));
  }

  llvm::StringRef symbol =
      llvm::TypeSwitch<Operation *, llvm::StringRef>(&op)
          .Case([](arith::AddIOp) { return "+"; })
          .Case([](arith::SubIOp) { return "-"; })
          .Case([](arith::MulIOp) { return "*"; })
          .Case([](arith::AndIOp) { return "&"; })
          .Case([](arith::OrIOp) { return "|"; })
          .Case([](arith::XOrIOp) { return "^"; })
          .Case([](arith::ShLIOp) { return "<<"; })
          .Case<arith::DivSIOp, arith::DivUIOp>([](Operation *) { return "/"; })
          .Case<arith::RemSIOp, arith::RemUIOp>([](Operation *) { return "%"; })
          .Case<arith::ShRSIOp, arith::ShRUIOp>(
              [](Operation *) { return ">>"; })
          .Default([](Operation *) { return ""; });

  CType operandType = type;
  if (std::optional<bool> isUnsigned = getOperandSignedness(&op, 0))
    operandType = type.withSignedness(*isUnsigned);
  // 8/16-bit operands promote to int, where a product or left shift can
  // overflow; uint computes the same low bits, and the assignment to the
  // narrow variable truncates.
  if (isa<arith::MulIOp, arith::ShLIOp>(op) && !type.isVector() &&
      type.bitWidth() < 32)
    operandType = CType{ScalarKind::UInt};
  std::string right = operand(rhs, operandType);
  if (isa<arith::ShLIOp, arith::ShRSIOp, arith::ShRUIOp>(op))
    right = shiftCount(rhs, right, operandType);
  return infix(operand(lhs, operandType), symbol, right);
}

/// Whether `count` is known to lie in [0, width): a constant, or the
/// induction variable of a loop whose constant bounds lie in that range (the
/// `128 >> k` of a tree reduction).
static bool knownBelow(Value count, unsigned width) {
  llvm::APInt bits;
  if (matchPattern(count, m_ConstantInt(&bits)))
    return bits.ult(width);
  auto arg = dyn_cast<BlockArgument>(count);
  auto loop =
      arg ? dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp()) : scf::ForOp();
  llvm::APInt lo, hi;
  return loop && loop.getInductionVar() == count &&
         matchPattern(loop.getLowerBound(), m_ConstantInt(&lo)) &&
         matchPattern(loop.getUpperBound(), m_ConstantInt(&hi)) &&
         !lo.isNegative() && !hi.isNegative() && hi.getZExtValue() <= width;
}

std::string KernelEmitter::shiftCount(Value count, llvm::StringRef printed,
                                      CType type) {
  // Metal shifts by the low log2(N) bits of the count, N the width of the
  // shifted type (MSL specification §3.1), where C++ -- hence the cpu device
  // -- leaves a count >= N undefined. A count not known to be in range is
  // masked: the same value on Metal, and a defined one on the cpu device.
  unsigned width =
      getElementTypeOrSelf(count.getType()).getIntOrFloatBitWidth();
  if (knownBelow(count, width))
    return printed.str();
  return "(" + infix(printed, "&", spellNumber(target, width - 1, type)) + ")";
}

FailureOr<std::string> KernelEmitter::comparison(Operation &op) {
  Value lhs = op.getOperand(0);
  Value rhs = op.getOperand(1);
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    using P = arith::CmpIPredicate;
    P predicate = cmp.getPredicate();
    CType type = typeOf(lhs);
    std::optional<bool> isUnsigned = getOperandSignedness(&op, 0);
    if (type.isBool()) {
      // A signed i1 is -1 when true: the signed order of bools is reversed.
      if (isUnsigned == false)
        std::swap(lhs, rhs);
    } else if (isUnsigned) {
      type = type.withSignedness(*isUnsigned);
    } else if (isa_and_nonnull<arith::ConstantOp>(lhs.getDefiningOp())) {
      type = typeOf(rhs); // equality reads like its non-constant side
    }
    llvm::StringRef symbol;
    switch (predicate) {
    case P::eq:
      symbol = "==";
      break;
    case P::ne:
      symbol = "!=";
      break;
    case P::slt:
    case P::ult:
      symbol = "<";
      break;
    case P::sle:
    case P::ule:
      symbol = "<=";
      break;
    case P::sgt:
    case P::ugt:
      symbol = ">";
      break;
    case P::sge:
    case P::uge:
      symbol = ">=";
      break;
    }
    return infix(operand(lhs, type), symbol, operand(rhs, type));
  }

  using P = arith::CmpFPredicate;
  P predicate = cast<arith::CmpFOp>(op).getPredicate();
  CType resultType = typeOf(op.getResult(0));
  std::string a = operand(lhs);
  std::string b = operand(rhs);
  // Ordered predicates are false on NaN, as C's <, <=, >, >=, == are; C's !=
  // is true on NaN, i.e. `une`. The other unordered ones negate an ordered
  // one.
  switch (predicate) {
  case P::AlwaysFalse:
    return resultType.isVector() ? castTo(resultType, "false") : "false";
  case P::AlwaysTrue:
    return resultType.isVector() ? castTo(resultType, "true") : "true";
  case P::OEQ:
    return infix(a, "==", b);
  case P::OGT:
    return infix(a, ">", b);
  case P::OGE:
    return infix(a, ">=", b);
  case P::OLT:
    return infix(a, "<", b);
  case P::OLE:
    return infix(a, "<=", b);
  case P::UNE:
    return infix(a, "!=", b);
  default:
    break;
  }
  // The remaining forms combine bools with ! && ||, which C-like targets
  // define on scalars only.
  llvm::StringRef isnan = target.lookupFunction("math.isnan");
  if (resultType.isVector() || isnan.empty())
    return failure();
  std::string aIsNaN = (isnan + "(" + a + ")").str();
  std::string bIsNaN = (isnan + "(" + b + ")").str();
  switch (predicate) {
  case P::ONE:
    return infix(a, "<", b) + " || " + infix(a, ">", b);
  case P::ORD:
    return "!" + aIsNaN + " && !" + bIsNaN;
  case P::UEQ:
    return "!(" + infix(a, "<", b) + " || " + infix(a, ">", b) + ")";
  case P::UGT:
    return "!(" + infix(a, "<=", b) + ")";
  case P::UGE:
    return "!(" + infix(a, "<", b) + ")";
  case P::ULT:
    return "!(" + infix(a, ">=", b) + ")";
  case P::ULE:
    return "!(" + infix(a, ">", b) + ")";
  case P::UNO:
    return aIsNaN + " || " + bIsNaN;
  default:
    return failure();
  }
}

FailureOr<std::string> KernelEmitter::conversion(Operation &op, CType type) {
  Value input = op.getOperand(0);
  CType from = typeOf(input);
  std::optional<bool> isUnsigned = getOperandSignedness(&op, 0);

  if (from.isBool() || type.isBool()) {
    // bool converts to 0/1, which is zero extension; sign extension of an
    // i1 gives -1 for true; truncation to i1 keeps the low bit.
    if (from.isBool() && isa<arith::ExtUIOp, arith::UIToFPOp>(op))
      return castTo(type, operand(input));
    if (type.isVector() || from.isVector())
      return failure();
    if (from.isBool() && isa<arith::ExtSIOp, arith::SIToFPOp>(op))
      return operand(input) + " ? " + spellNumber(target, -1, type) + " : " +
             spellNumber(target, 0, type);
    if (type.isBool() && isa<arith::TruncIOp>(op))
      return "(" + infix(operand(input), "&", spellNumber(target, 1, from)) +
             ") != " + spellNumber(target, 0, from);
    return failure();
  }
  if (isa<arith::BitcastOp>(op))
    return llvm::formatv(target.bitcast, typeName(type), operand(input)).str();
  if (isUnsigned)
    from = from.withSignedness(*isUnsigned);
  if (isa<arith::FPToSIOp, arith::FPToUIOp>(op) && target.floatToInteger)
    return llvm::formatv(target.floatToInteger, typeName(type),
                         operand(input, from))
        .str();
  return castTo(type, operand(input, from));
}

FailureOr<std::string> KernelEmitter::nanPropagatingMinMax(Operation &op,
                                                           CType type) {
  bool isMin = isa<arith::MinimumFOp>(op);
  llvm::StringRef isnan = target.lookupFunction("math.isnan");
  llvm::StringRef signbit = target.lookupFunction("signbit");
  llvm::StringRef minMax =
      target.lookupFunction(isMin ? "arith.minnumf" : "arith.maxnumf");
  if (type.isVector() || isnan.empty() || signbit.empty() || minMax.empty())
    return failure();
  std::string a = operand(op.getOperand(0));
  std::string b = operand(op.getOperand(1));
  // NaN in, NaN out (a + b is NaN). Of equal values, which +0 and -0 are,
  // the minimum is the negative one and the maximum the positive one.
  // Otherwise fmin/fmax, whose only difference is their NaN handling.
  return llvm::formatv("{0}({1}) || {0}({2}) ? {1} + {2} : ({1} == {2} ? "
                       "({3}({1}) ? {4} : {5}) : {6}({1}, {2}))",
                       isnan, a, b, signbit, isMin ? a : b, isMin ? b : a,
                       minMax)
      .str();
}

FailureOr<std::string> KernelEmitter::floorDivision(Operation &op, CType type) {
  if (type.isVector())
    return vectorFloorDivision(op, type);
  CType signedType = type.withSignedness(false);
  std::string a = operand(op.getOperand(0), signedType);
  std::string b = operand(op.getOperand(1), signedType);
  // C division truncates; step down when the division was inexact and the
  // signs differ.
  return llvm::formatv("{0} / {1} - (({0} % {1} != {2} && ({0} < {2}) != "
                       "({1} < {2})) ? {3} : {2})",
                       a, b, spellNumber(target, 0, signedType),
                       spellNumber(target, 1, signedType))
      .str();
}

FailureOr<std::string> KernelEmitter::functionCall(Operation &op) {
  std::string opName = op.getName().getStringRef().str();
  if (auto math = dyn_cast<MathOp>(op))
    opName += ("." + stringifyMathFunction(math.getFn())).str();
  bool isFloat32 = op.getNumOperands() &&
                   getElementTypeOrSelf(op.getOperand(0).getType()).isF32();
  llvm::StringRef function = target.lookupFunction(opName, isFloat32);
  if (function.empty())
    return failure();
  SmallVector<std::string> arguments;
  for (OpOperand &use : op.getOpOperands()) {
    Value value = use.get();
    std::optional<bool> isUnsigned =
        getOperandSignedness(&op, use.getOperandNumber());
    arguments.push_back(operand(value, isUnsigned ? typeAs(value, *isUnsigned)
                                                  : typeOf(value)));
  }
  return (function + "(" + llvm::join(arguments, ", ") + ")").str();
}

std::string KernelEmitter::indexCast(Operation *op, CType &type) {
  // index prints as 32-bit int/uint; the cast reads its source with its own
  // signedness and is printed where used, e.g. `a[v3]`.
  bool isUnsigned = isa<arith::IndexCastUIOp>(op);
  Value input = op->getOperand(0);
  CType from = typeAs(input, isUnsigned);
  type = typeAs(op->getResult(0), isUnsigned);
  std::string text = operand(input, from);
  return from == type ? text : castTo(type, text);
}
