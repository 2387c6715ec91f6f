//===- AtomicPrinter.cpp - Atomics and function constants as C-like code --===//
//
// Atomics print as the target's atomic functions on one element:
//  * of a device buffer through a pointer cast, as Metal code does atomics
//    on plain buffers: `atomic_fetch_add_explicit((device atomic_uint*)&c[i],
//    1u, memory_order_relaxed)`;
//  * of a threadgroup array declared with the atomic type
//    (`threadgroup atomic_uint tg0[64];`), the idiomatic MSL form, which
//    needs no cast; the plain loads and stores of such an array print as
//    relaxed atomic loads and stores (an atomic type has no `=`).
// A memory order the target lacks (MSL has only relaxed) prints as relaxed
// with a fence before it (release) and after it (acquire): the fence-based
// synchronization of C++, which gives the same guarantees to the other side.
// A compare-exchange writes the value it read into its `expected` variable,
// which is then the op's `old` result.
//
// Function constants are program-scope declarations printed before the
// kernel; the kernel reads them by name.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include <map>

using namespace mlir;
using namespace mlir::enigma;

static bool isAtomic(Operation *op) {
  return isa<AtomicLoadOp, AtomicStoreOp, AtomicRMWOp, AtomicCompareExchangeOp>(
      op);
}

bool KernelEmitter::isAtomicArray(Value memref) const {
  return memref.getDefiningOp<ThreadgroupAllocOp>() &&
         llvm::any_of(memref.getUsers(), isAtomic);
}

std::string KernelEmitter::atomicElement(Value memref, Value index,
                                         bool forLoad) {
  std::string subscript = operand(index);
  if (isAtomicArray(memref))
    return llvm::formatv(target.threadgroupAtomicElement, names[memref],
                         subscript);
  std::string type = llvm::formatv(target.atomicType, typeName(typeOf(memref)));
  return llvm::formatv(forLoad ? target.constDeviceAtomicElement
                               : target.deviceAtomicElement,
                       type, names[memref], subscript);
}

LogicalResult KernelEmitter::emitAtomic(Operation &op) {
  Value memref, index;
  MemoryOrder order = MemoryOrder::Relaxed;
  llvm::TypeSwitch<Operation *>(&op)
      .Case<AtomicLoadOp, AtomicStoreOp, AtomicRMWOp, AtomicCompareExchangeOp>(
          [&](auto atomic) {
            memref = atomic.getMemref();
            index = atomic.getIndex();
            order = atomic.getOrder();
          });
  if (cast<MemRefType>(memref.getType()).getRank() != 1)
    return unsupported(&op, "rank");
  bool threadgroup = getAddressSpace(memref.getType()) ==
                     std::optional<AddressSpace>(AddressSpace::Threadgroup);

  llvm::StringRef orderName = target.memoryOrders[unsigned(order)];
  bool fenced = orderName.empty();
  if (fenced)
    orderName = target.memoryOrders[unsigned(MemoryOrder::Relaxed)];
  bool releases =
      fenced && (order == MemoryOrder::Release || order == MemoryOrder::AcqRel);
  bool acquires =
      fenced && (order == MemoryOrder::Acquire || order == MemoryOrder::AcqRel);
  llvm::StringRef fence =
      threadgroup ? target.threadgroupAtomicFence : target.deviceAtomicFence;

  noteLocation(&op);
  if (releases)
    line(fence);
  CType element = typeOf(memref);
  std::string object = atomicElement(memref, index, isa<AtomicLoadOp>(op));
  llvm::TypeSwitch<Operation *>(&op)
      .Case([&](AtomicLoadOp load) {
        declare(load.getResult(),
                llvm::formatv(target.atomicLoad, object, orderName));
      })
      .Case([&](AtomicStoreOp store) {
        line(llvm::formatv(target.atomicStore, object, orderName,
                           operand(store.getValue(), element)));
      })
      .Case([&](AtomicRMWOp rmw) {
        declare(rmw.getResult(),
                llvm::formatv(target.atomicRMW[unsigned(rmw.getKind())], object,
                              orderName, operand(rmw.getValue(), element)));
      })
      .Case([&](AtomicCompareExchangeOp exchange) {
        // Metal reads `expected` through a pointer and overwrites it with
        // the value it found: a variable of its own, the `old` result.
        std::string expected = freshName();
        line(typeName(element) + " " + expected + " = " +
             operand(exchange.getExpected(), element) + ";");
        bind(exchange.getOld(), expected);
        declare(exchange.getSuccess(),
                llvm::formatv(target.atomicCompareExchange, object, orderName,
                              expected,
                              operand(exchange.getDesired(), element)));
      });
  if (acquires)
    line(fence);
  return success();
}

LogicalResult KernelEmitter::emitAtomicArrayAccess(Operation &op) {
  noteLocation(&op);
  llvm::StringRef relaxed = target.memoryOrders[unsigned(MemoryOrder::Relaxed)];
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    std::string object =
        atomicElement(load.getMemRef(), load.getIndices()[0], true);
    declare(load.getResult(),
            llvm::formatv(target.atomicLoad, object, relaxed));
    return success();
  }
  auto store = cast<memref::StoreOp>(op);
  std::string object =
      atomicElement(store.getMemRef(), store.getIndices()[0], false);
  line(llvm::formatv(
      target.atomicStore, object, relaxed,
      operand(store.getValueToStore(), typeOf(store.getMemRef()))));
  return success();
}

LogicalResult KernelEmitter::declareFunctionConstants() {
  // By index, so that the declarations print in a deterministic order.
  std::map<int32_t, FunctionConstantOp> constants;
  kernel.walk([&](FunctionConstantOp constant) {
    constants.try_emplace(constant.getIndex(), constant);
    bind(constant.getResult(), constant.getSymName());
  });
  for (auto &[index, constant] : constants) {
    Value value = constant.getResult();
    std::optional<CType> type =
        CType::get(value.getType(), signedness.isUnsigned(value));
    if (!type || type->isVector())
      return unsupported(constant, "function constant type");
    os << llvm::formatv(target.functionConstant, typeName(*type),
                        constant.getSymName(), index)
       << "\n";
  }
  if (!constants.empty())
    os << "\n";
  return success();
}
