//===- InitAllDialects.h - Every dialect an enigma kernel uses --*- C++ -*-===//
//
// A kernel body mixes the enigma dialect with upstream arith, math, scf,
// memref and vector ops (and func for tests): the tools and the compile
// driver register this one list, so they always accept the same IR.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_INITALLDIALECTS_H
#define ENIGMA_INITALLDIALECTS_H

#include "enigma/Dialect/Enigma/EnigmaDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::enigma {

inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<EnigmaDialect, arith::ArithDialect, func::FuncDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  vector::VectorDialect>();
}

} // namespace mlir::enigma

#endif // ENIGMA_INITALLDIALECTS_H
