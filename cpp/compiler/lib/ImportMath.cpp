//===- ImportMath.cpp - Traced math functions -> math / arith -------------===//
//
// A traced `math` op names a Metal function (`sqrt`, `fmax`, `popcount`).
// Most are the `math` op of the same name; the table below holds the ones
// MLIR spells differently or keeps in `arith`.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/OperationSupport.h"

using namespace mlir;

namespace enigma {

namespace {
/// The operand types a function accepts.
enum class Operands { Float, Integer };

struct MathFunction {
  StringRef name;   // the Metal / DSL name
  StringRef opName; // the MLIR op
  Operands operands;
};
} // namespace

static constexpr MathFunction kRenamedFunctions[] = {
    // Metal's fmin/fmax return the non-NaN operand, as minnumf/maxnumf do.
    {"fmin", "arith.minnumf", Operands::Float},
    {"fmax", "arith.maxnumf", Operands::Float},
    {"fmod", "arith.remf", Operands::Float},
    {"pow", "math.powf", Operands::Float},
    {"clz", "math.ctlz", Operands::Integer},
    {"ctz", "math.cttz", Operands::Integer},
    {"popcount", "math.ctpop", Operands::Integer},
};

/// The MLIR op for Metal function `name`; other functions are `math.<name>`
/// on floats when the math dialect has such an op.
static MathFunction lookupFunction(StringRef name) {
  for (const MathFunction &function : kRenamedFunctions)
    if (function.name == name)
      return function;
  return {name, "", Operands::Float};
}

LogicalResult Importer::importMath(const TracedOp &op,
                                   SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> fn = getStringAttr(op, "fn");
  if (failed(fn) || failed(requireValues(op)))
    return failure();
  if (op.operands.empty() || op.operands.size() > 3 ||
      op.resultTypes.size() != 1)
    return error(op.loc, "traced math function '" + *fn +
                             "' needs 1 to 3 operands and one result");
  // abs covers every type: absf, absi, or nothing for unsigned values.
  if (*fn == "abs" && op.operands.size() == 1) {
    results.push_back(buildAbs(builder, op.loc, op.operands[0]));
    return success();
  }

  MathFunction function = lookupFunction(*fn);
  std::string opName =
      function.opName.empty() ? ("math." + *fn).str() : function.opName.str();
  if (!RegisteredOperationName::lookup(opName, context))
    return error(op.loc, "unknown math function '" + *fn + "'");
  for (const TracedValue &operand : op.operands) {
    bool isFloat = isFloatLike(operand.value.getType());
    if (isFloat != (function.operands == Operands::Float))
      return error(op.loc,
                   "'" + *fn + "' needs " +
                       (function.operands == Operands::Float ? "floating-point"
                                                             : "integer") +
                       " arguments, got '" + operand.dtype +
                       "' (convert with metal_cast)");
  }

  // Built generically: every op here takes its operands and returns the
  // traced result type (its own verifier checks the details).
  OperationState state(op.loc, opName);
  for (const TracedValue &operand : op.operands)
    state.addOperands(operand.value);
  state.addTypes(op.resultTypes);
  results.push_back(builder.create(state)->getResult(0));
  return success();
}

} // namespace enigma
