//===- CUDALegalize.cpp - Rewrite what CUDA cannot spell before printing --===//
//
// The CUDA emitter's legalization, run on the IR before the table-driven
// printer (as CIRCT's PrepareForEmission runs before ExportVerilog), so that
// the printer never needs a CUDA-specific rule:
//
//   vector.shuffle -> vector.from_elements of vector.extract lanes.
//     MSL prints a shuffle as a swizzle (`v.zxy`); CUDA's vectors
//     (`enigma_vec`, CUDAVectorPrelude.inc) have lanes x y z w but no
//     swizzles, so each lane is read alone and the vector rebuilt:
//     `enigma_vec<float, 3>(v.z, v.x, v.y)`.
//
//   enigma.async_copy -> a plain copy shared by the SIMD-group's lanes.
//     Metal's copy is started by all active lanes of the SIMD-group with the
//     same arguments and is complete for the SIMD-group once it waits. Here
//     the active lanes (counted with simd_sum(1), ranked with
//     simd_prefix_exclusive_sum(1): the warp's active lanes, which are the
//     Metal SIMD-group's, also in a partial last threadgroup) copy every
//     count-th element of the tile from their rank on, and
//     enigma.async_copy_wait becomes a SIMD-group barrier
//     (`__syncwarp(__activemask())`), which orders those lanes' writes
//     before the other lanes' later reads. Other SIMD-groups see the data
//     after a threadgroup barrier, as in Metal.
//
// Only the CUDA emission runs this; the MSL emission sees the IR unchanged.
//
//===----------------------------------------------------------------------===//

#include "enigma/Target/CUDA/CUDAEmitter.h"

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::enigma;

/// `shuffle` as from_elements of the lanes it picks (MLIR numbers the lanes
/// of v2 after those of v1).
static void scalarizeShuffle(vector::ShuffleOp shuffle) {
  OpBuilder builder(shuffle);
  Value v1 = shuffle.getV1(), v2 = shuffle.getV2();
  int64_t n1 = cast<VectorType>(v1.getType()).getNumElements();
  SmallVector<Value> lanes;
  for (int64_t lane : shuffle.getMask()) {
    bool first = lane < n1;
    lanes.push_back(vector::ExtractOp::create(
        builder, shuffle.getLoc(), first ? v1 : v2, first ? lane : lane - n1));
  }
  Value rebuilt = vector::FromElementsOp::create(
      builder, shuffle.getLoc(), shuffle.getResult().getType(), lanes);
  shuffle.getResult().replaceAllUsesWith(rebuilt);
  shuffle.erase();
}

/// `base + row * elementsPerRow + col`.
static Value tileIndex(OpBuilder &builder, Location loc, Value base,
                       Value elementsPerRow, Value row, Value col) {
  Value rowStart = arith::MulIOp::create(builder, loc, row, elementsPerRow);
  Value offset = arith::AddIOp::create(builder, loc, rowStart, col);
  return arith::AddIOp::create(builder, loc, base, offset);
}

/// `copy` as a loop over the tile's elements shared by the active lanes.
static void lowerAsyncCopy(AsyncCopyOp copy) {
  OpBuilder builder(copy);
  Location loc = copy.getLoc();
  Value one =
      arith::ConstantOp::create(builder, loc, builder.getI32IntegerAttr(1));
  auto lanes = [&](SimdReduceKind kind) -> Value {
    Value count = SimdReduceOp::create(builder, loc, LaneGroup::Simdgroup, kind,
                                       one, /*isUnsigned=*/false);
    return arith::IndexCastUIOp::create(builder, loc, builder.getIndexType(),
                                        count);
  };
  Value active = lanes(SimdReduceKind::Sum);
  Value rank = lanes(SimdReduceKind::PrefixExclusiveSum);
  Value cols = copy.getCols();
  Value total = arith::MulIOp::create(builder, loc, cols, copy.getRows());
  auto body = [&](OpBuilder &b, Location loc, Value element, ValueRange) {
    Value row = arith::DivUIOp::create(b, loc, element, cols);
    Value col = arith::RemUIOp::create(b, loc, element, cols);
    Value from = tileIndex(b, loc, copy.getSrcOffset(),
                           copy.getSrcElementsPerRow(), row, col);
    Value to = tileIndex(b, loc, copy.getDstOffset(),
                         copy.getDstElementsPerRow(), row, col);
    Value value = memref::LoadOp::create(b, loc, copy.getSrc(), from);
    memref::StoreOp::create(b, loc, value, copy.getDst(), to);
    scf::YieldOp::create(b, loc);
  };
  scf::ForOp::create(builder, loc, rank, total, active, ValueRange{}, body);
}

LogicalResult mlir::enigma::legalizeForCUDA(Operation *root) {
  // The rewrites create ops of dialects the input may not have loaded.
  root->getContext()
      ->loadDialect<arith::ArithDialect, memref::MemRefDialect, scf::SCFDialect,
                    vector::VectorDialect>();
  SmallVector<vector::ShuffleOp> shuffles;
  root->walk([&](vector::ShuffleOp shuffle) {
    // An undefined lane (-1) has no source; the printer refuses it.
    if (llvm::all_of(shuffle.getMask(), [](int64_t lane) { return lane >= 0; }))
      shuffles.push_back(shuffle);
  });
  for (vector::ShuffleOp shuffle : shuffles)
    scalarizeShuffle(shuffle);

  // Waits first: then the events have no uses and the copies can go.
  SmallVector<AsyncCopyWaitOp> waits;
  root->walk([&](AsyncCopyWaitOp wait) { waits.push_back(wait); });
  for (AsyncCopyWaitOp wait : waits) {
    OpBuilder builder(wait);
    SimdgroupBarrierOp::create(builder, wait.getLoc(),
                               MemFlags::MemDeviceAndThreadgroup);
    wait.erase();
  }
  SmallVector<AsyncCopyOp> copies;
  root->walk([&](AsyncCopyOp copy) { copies.push_back(copy); });
  for (AsyncCopyOp copy : copies) {
    // An event used other than by a wait (carried by a loop) keeps its op,
    // which the printer then refuses by name.
    if (!copy.getEvent().use_empty())
      continue;
    lowerAsyncCopy(copy);
    copy.erase();
  }
  return success();
}
