//===- ImportMath.cpp - Traced math functions -> math / arith / enigma ----===//
//
// A traced `math` op names a Metal function (`sqrt`, `fmax`, `add_sat`). The
// table below says, for float and for integer operands, which op computes
// it: an upstream op where its semantics are Metal's (math.round rounds
// halves away from zero as Metal's `round` does; arith.minnumf returns the
// non-NaN operand as `fmin` does; arith.remf is C's fmod), else
// `enigma.math` with its MathFunction case. Signedness, which MLIR integers
// do not carry, comes from the operands' Metal dtypes.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using mlir::enigma::isUnsignedMetalDtype;

namespace enigma {

namespace {
/// How a Metal function is built for float and for integer operands: an op
/// name, `enigma.math` (the function's MathFunction case), or "" when the
/// function does not take that class of operand.
struct MathFunction {
  StringRef name;
  StringRef floatOp;
  StringRef integerOp;
};
} // namespace

static constexpr StringLiteral kEnigmaMath = "enigma.math";

static constexpr MathFunction kFunctions[] = {
    // Unary float functions.
    {"sqrt", "math.sqrt", ""},
    {"rsqrt", "math.rsqrt", ""},
    {"exp", "math.exp", ""},
    {"exp2", "math.exp2", ""},
    {"log", "math.log", ""},
    {"log2", "math.log2", ""},
    {"log10", "math.log10", ""},
    {"sin", "math.sin", ""},
    {"cos", "math.cos", ""},
    {"tan", "math.tan", ""},
    {"asin", "math.asin", ""},
    {"acos", "math.acos", ""},
    {"atan", "math.atan", ""},
    {"sinh", "math.sinh", ""},
    {"cosh", "math.cosh", ""},
    {"tanh", "math.tanh", ""},
    {"ceil", "math.ceil", ""},
    {"floor", "math.floor", ""},
    {"round", "math.round", ""},
    {"trunc", "math.trunc", ""},
    {"sign", kEnigmaMath, ""},
    {"saturate", kEnigmaMath, ""},
    {"fract", kEnigmaMath, ""},
    // Binary and ternary float functions.
    {"fmin", "arith.minnumf", ""},
    {"fmax", "arith.maxnumf", ""},
    {"pow", "math.powf", ""},
    {"fmod", "arith.remf", ""},
    {"atan2", "math.atan2", ""},
    {"copysign", "math.copysign", ""},
    {"step", kEnigmaMath, ""},
    {"fma", "math.fma", ""},
    {"mix", kEnigmaMath, ""},
    {"smoothstep", kEnigmaMath, ""},
    // Float predicates (bool results).
    {"isnan", "math.isnan", ""},
    {"isinf", "math.isinf", ""},
    {"isfinite", "math.isfinite", ""},
    {"isnormal", "math.isnormal", ""},
    {"signbit", kEnigmaMath, ""},
    // Float or integer.
    {"clamp", kEnigmaMath, kEnigmaMath},
    // Integer functions.
    {"popcount", "", "math.ctpop"},
    {"clz", "", "math.ctlz"},
    {"ctz", "", "math.cttz"},
    {"reverse_bits", "", kEnigmaMath},
    {"abs_diff", "", kEnigmaMath},
    {"add_sat", "", kEnigmaMath},
    {"sub_sat", "", kEnigmaMath},
    {"mul_hi", "", kEnigmaMath},
    {"rotate", "", kEnigmaMath},
    {"mad_sat", "", kEnigmaMath},
    {"extract_bits", "", kEnigmaMath},
    {"insert_bits", "", kEnigmaMath},
};

static const MathFunction *lookupFunction(StringRef name) {
  for (const MathFunction &function : kFunctions)
    if (function.name == name)
      return &function;
  return nullptr;
}

LogicalResult Importer::importMath(const TracedOp &op,
                                   SmallVectorImpl<Value> &results) {
  FailureOr<StringRef> fn = getStringAttr(op, "fn");
  if (failed(fn) || failed(requireValues(op)))
    return failure();
  if (op.operands.empty() || op.operands.size() > 4 ||
      op.resultTypes.size() != 1)
    return error(op.loc, "traced math function '" + *fn +
                             "' needs 1 to 4 operands and one result");
  const TracedValue &first = op.operands[0];
  // abs covers every type: absf, absi, or nothing for unsigned values.
  if (*fn == "abs" && op.operands.size() == 1) {
    results.push_back(buildAbs(builder, op.loc, first));
    return success();
  }

  const MathFunction *function = lookupFunction(*fn);
  if (!function)
    return error(op.loc, "unknown math function '" + *fn + "'");
  bool isFloat = isFloatLike(first.value.getType());
  StringRef opName = isFloat ? function->floatOp : function->integerOp;
  if (opName.empty())
    return error(op.loc, "'" + *fn + "' cannot take a '" + first.dtype +
                             "' value (convert with metal_cast)");

  if (opName == kEnigmaMath) {
    std::optional<mlir::enigma::MathFunction> kind =
        mlir::enigma::symbolizeMathFunction(*fn);
    if (!kind)
      return error(op.loc, "unknown math function '" + *fn + "'");
    SmallVector<Value> args;
    for (const TracedValue &operand : op.operands)
      args.push_back(operand.value);
    bool isUnsigned = !isFloat && isUnsignedMetalDtype(first.dtype);
    results.push_back(mlir::enigma::MathOp::create(
        builder, op.loc, op.resultTypes[0], *kind, args, isUnsigned));
    return success();
  }

  // Upstream ops take operands of the result's type (predicates answer
  // i1); their own verifiers check the details.
  OperationState state(op.loc, opName);
  for (const TracedValue &operand : op.operands)
    state.addOperands(operand.value);
  state.addTypes(op.resultTypes);
  results.push_back(builder.create(state)->getResult(0));
  return success();
}

} // namespace enigma
