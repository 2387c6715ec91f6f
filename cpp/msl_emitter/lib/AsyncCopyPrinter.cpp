//===- AsyncCopyPrinter.cpp - SIMD-group async copies ---------------------===//
//
// Metal has no public MSL function for a SIMD-group async copy; kernels for
// Apple GPUs call the AIR intrinsics through `__asm` declarations (as
// metal-flash-attention does). So a kernel that copies asynchronously is
// preceded by those declarations, guarded by `__METAL_VERSION__` (only the
// Metal compiler needs them; the cpu device's metal_stdlib defines the same
// functions as plain copies) and by a macro (several kernels may share a
// file). Every copy, 1-D or 2-D, is the 2-D intrinsic on a tile:
//
//   thread _simdgroup_event_t* v3 = __metal_simdgroup_async_copy_2d(
//       sizeof(float), alignof(float), tg0, 8, 1, ulong2(8, 4),
//       a + v2, 64, 1, ulong2(8, 4), long2(0), 0);
//   __metal_wait_simdgroup_events(1, &v3);
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::enigma;

static const char kAsyncCopyIntrinsics[] =
    R"(#if defined(__METAL_VERSION__) && !defined(ENIGMA_ASYNC_COPY_INTRINSICS)
#define ENIGMA_ASYNC_COPY_INTRINSICS
// SIMD-group async copies: AIR intrinsics, which MSL has no public name for.
struct _simdgroup_event_t;
thread _simdgroup_event_t* __metal_simdgroup_async_copy_2d(
    ulong, ulong, threadgroup void*, ulong, ulong, ulong2,
    const device void*, ulong, ulong, ulong2, long2, int)
    __asm("air.simdgroup_async_copy_2d.p3i8.p1i8");
thread _simdgroup_event_t* __metal_simdgroup_async_copy_2d(
    ulong, ulong, device void*, ulong, ulong, ulong2,
    const threadgroup void*, ulong, ulong, ulong2, long2, int)
    __asm("air.simdgroup_async_copy_2d.p1i8.p3i8");
void __metal_wait_simdgroup_events(int, thread _simdgroup_event_t**)
    __asm("air.wait_simdgroup_events");
#endif

)";

void KernelEmitter::declareAsyncCopyIntrinsics() {
  if (kernel.walk([](AsyncCopyOp) { return WalkResult::interrupt(); })
          .wasInterrupted())
    os << kAsyncCopyIntrinsics;
}

/// `name` or `name + offset`.
std::string KernelEmitter::pointerAt(Value memref, Value offset) {
  std::string pointer = names.lookup(memref);
  Operation *def = offset.getDefiningOp();
  if (isa_and_nonnull<arith::IndexCastOp, arith::IndexCastUIOp>(def))
    def = def->getOperand(0).getDefiningOp();
  auto constant = dyn_cast_or_null<arith::ConstantOp>(def);
  auto integer =
      constant ? dyn_cast<IntegerAttr>(constant.getValue()) : IntegerAttr();
  if (integer && integer.getValue().isZero())
    return pointer;
  return pointer + " + " + operand(offset);
}

LogicalResult KernelEmitter::emitAsyncCopy(Operation &op) {
  if (!operandsPrintable(&op))
    return unsupported(&op);
  noteLocation(&op);
  if (auto wait = dyn_cast<AsyncCopyWaitOp>(op)) {
    for (Value event : wait.getEvents())
      line("__metal_wait_simdgroup_events(1, &" + names.lookup(event) + ");");
    return success();
  }
  auto copy = cast<AsyncCopyOp>(op);
  std::optional<CType> element =
      CType::get(copy.getDst().getType(), /*isUnsigned=*/false);
  if (!element)
    return unsupported(&op);
  std::string type = typeName(*element);
  std::string tile = "ulong2(" + operand(copy.getCols()) + ", " +
                     operand(copy.getRows()) + ")";
  std::string name = freshName();
  bind(copy.getEvent(), name);
  line("thread _simdgroup_event_t* " + name +
       " = __metal_simdgroup_async_copy_2d(sizeof(" + type + "), alignof(" +
       type + "), " + pointerAt(copy.getDst(), copy.getDstOffset()) + ", " +
       operand(copy.getDstElementsPerRow()) + ", 1, " + tile + ", " +
       pointerAt(copy.getSrc(), copy.getSrcOffset()) + ", " +
       operand(copy.getSrcElementsPerRow()) + ", 1, " + tile +
       ", long2(0), 0);");
  return success();
}
