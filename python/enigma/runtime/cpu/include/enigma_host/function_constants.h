//===- enigma_host/function_constants.h - [[function_constant(N)]] -*- C++
//-*-===//
//
// A Metal function constant is a program-scope declaration whose value the
// pipeline supplies: `constant uint fc0 [[function_constant(0)]];`. On the
// host the value must be an initializer, and the MSL is compiled unmodified,
// so the attribute itself supplies it: `function_constant(N)` closes the
// attribute, initializes the variable with `enigma_function_constant_N` and
// opens an empty attribute again, turning the line into
//
//   const uint fc0 [[ ]] = enigma_function_constant_0; [[ ]];
//
// (an empty attribute list, then an attribute-declaration: both valid
// C++11). The launcher of each specialization (one object per set of
// values, python/enigma/runtime/cpu/launcher.py) defines
// `constexpr uint enigma_function_constant_0 = 16u;` before it includes the
// MSL, so the constant folds as it does when Metal specializes a pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_FUNCTION_CONSTANTS_H
#define ENIGMA_HOST_FUNCTION_CONSTANTS_H

#define function_constant(index) ]] = enigma_function_constant_##index; [[

#endif // ENIGMA_HOST_FUNCTION_CONSTANTS_H
