//===- KernelEmitter.cpp - Print one enigma.kernel as C-like source -------===//
//
// The kernel-level rules of docs/architecture.md §4: the signature (buffers,
// Scalars, then one parameter per thread query used, in BuiltinKind order),
// threadgroup arrays first in the body, then one statement per line with a
// `// file:line` comment when the Python source line changes. Also the
// memory, thread-query and barrier ops, and the naming of values.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

#include "Spelling.h"
#include "enigma/Dialect/Enigma/KernelInterface.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <algorithm>

using namespace mlir;
using namespace mlir::enigma;

KernelEmitter::KernelEmitter(KernelOp kernel, const CLikeTarget &target,
                             bool emitLocations, llvm::raw_ostream &os)
    : kernel(kernel), target(target), emitLocations(emitLocations), os(os),
      signedness(kernel) {}

LogicalResult KernelEmitter::emit() {
  declareAsyncCopyIntrinsics();
  declareVectorAccessPrelude();
  declareThreadgroupMatrixPrelude();
  if (failed(declareFunctionConstants()) || failed(emitSignature()) ||
      failed(declareThreadgroupArrays()))
    return failure();
  if (!target.bodyPrologue.empty())
    line(target.bodyPrologue);
  if (failed(emitBlock(kernel.getBody().front())))
    return failure();
  os << "}\n";
  return success();
}

//===----------------------------------------------------------------------===//
// Signature
//===----------------------------------------------------------------------===//

/// Names the printer generates itself (`v12`, `tg0`) or the tracer gives
/// function constants (`fc0`), which a parameter must not take.
static bool isGeneratedName(llvm::StringRef name) {
  for (llvm::StringRef prefix : {"v", "tg", "fc"})
    if (name.consume_front(prefix))
      return !name.empty() && llvm::all_of(name, llvm::isDigit);
  return false;
}

/// Whether `name` is a scalar or vector type name of `target` (`half`,
/// `uint4`).
static bool isTypeName(const CLikeTarget &target, llvm::StringRef name) {
  if (!name.empty() && name.back() >= '2' && name.back() <= '4')
    name = name.drop_back();
  return llvm::is_contained(target.scalarTypes, name);
}

/// The C identifier for the Python parameter `name`: other characters than
/// ASCII letters, digits and `_` become `_`, and a name the kernel already
/// uses (a keyword, type, function or query of the target, a generated name,
/// an earlier parameter) gets trailing `_`s.
static std::string parameterName(const CLikeTarget &target,
                                 llvm::StringRef pythonName,
                                 llvm::StringSet<> &taken) {
  std::string name = pythonName.str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  while (taken.contains(name) || isGeneratedName(name) ||
         isTypeName(target, name))
    name += "_";
  taken.insert(name);
  return name;
}

LogicalResult KernelEmitter::emitSignature() {
  KernelInterface interface = analyzeKernelInterface(kernel);
  Block &body = kernel.getBody().front();

  llvm::StringSet<> taken;
  for (llvm::StringRef word : target.reservedWords)
    taken.insert(word);
  for (const FunctionSpelling &spelling : target.functions)
    taken.insert(spelling.function);
  // The kernel keeps its name (the runtime looks it up by name), so a name
  // the target reserves is the user's to change.
  llvm::StringRef kernelName = kernel.getSymName();
  if (taken.contains(kernelName) || isTypeName(target, kernelName) ||
      kernelName == "main")
    return kernel.emitError()
           << "a kernel cannot be named '" << kernelName << "': " << target.name
           << " reserves that name; rename the Python function";
  for (const std::string &builtin : interface.builtins)
    taken.insert(builtin);

  SmallVector<std::string> params;
  for (auto [index, param] : llvm::enumerate(interface.params)) {
    BlockArgument arg = body.getArgument(index);
    std::optional<CType> type =
        CType::get(arg.getType(), signedness.isUnsigned(arg));
    if (param.isBuffer &&
        getAddressSpace(arg.getType()) != AddressSpace::Device)
      type = std::nullopt;
    if (type && type->isVector() && !target.vectorType)
      return kernel.emitError()
             << "parameter '" << param.name << "' of type " << arg.getType()
             << " has no " << target.name << " lowering yet (vector types)";
    if (!type)
      return kernel.emitError()
             << "cannot print parameter '" << param.name << "' of type "
             << arg.getType() << " in " << target.name;

    std::string name = parameterName(target, param.name, taken);
    bind(arg, name);

    const char *format = target.scalarParam;
    if (param.isBuffer)
      format = param.access == BufferAccess::Write ||
                       param.access == BufferAccess::ReadWrite
                   ? target.bufferParam
                   : target.readOnlyBufferParam;
    params.push_back(
        llvm::formatv(format, typeName(*type), name, param.bufferIndex));
  }
  if (target.builtinParam)
    for (const std::string &builtin : interface.builtins) {
      std::optional<BuiltinKind> kind = symbolizeBuiltinKind(builtin);
      bool dimmed = kind && BuiltinOp::hasDim(*kind);
      params.push_back(llvm::formatv(
          target.builtinParam,
          dimmed ? target.dimmedBuiltinType : target.builtinType, builtin));
    }
  if (target.launchParam)
    params.push_back(target.launchParam);

  std::string open = llvm::formatv(target.kernelOpen, kernel.getSymName());
  if (interface.requiredThreads && target.threadgroupMatrixKernelOpen) {
    auto [rows, cols] = widestThreadgroupMatrix();
    open =
        llvm::formatv(target.threadgroupMatrixKernelOpen, kernel.getSymName(),
                      interface.requiredThreads, rows, cols);
  }
  // Parameters after the first align under it (its last line), as in
  // docs/architecture.md.
  size_t indent = open.size() - (open.rfind('\n') + 1);
  std::string separator = ",\n" + std::string(indent, ' ');
  os << open << llvm::join(params, separator) << ") {\n";
  return success();
}

LogicalResult KernelEmitter::declareThreadgroupArrays() {
  unsigned count = 0;
  WalkResult result = kernel.walk([&](ThreadgroupAllocOp alloc) {
    MemRefType type = alloc.getType();
    std::optional<CType> element =
        CType::get(type, signedness.isUnsigned(alloc.getResult()));
    if (!element || type.getRank() != 1)
      return WalkResult(unsupported(alloc));
    if (element->isVector() && !target.vectorType)
      return WalkResult(notLoweredYet(alloc, "vector types"));
    std::string name = "tg" + std::to_string(count++);
    bind(alloc.getResult(), name);
    std::string elementType = typeName(*element);
    if (isAtomicArray(alloc.getResult()))
      elementType = llvm::formatv(target.atomicType, elementType);
    // At least 16 bytes (the widest vector access a fragment makes), so the
    // tensor layer can prove vector accesses into the array aligned.
    unsigned laneBytes = std::max(element->bitWidth() / 8, 1u);
    unsigned bytes = laneBytes * (element->lanes == 3 ? 4 : element->lanes);
    line(llvm::formatv(target.threadgroupArray, elementType, name,
                       type.getDimSize(0), std::max(bytes, 16u)));
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

LogicalResult KernelEmitter::emitBlock(Block &block) {
  for (Operation &op : block.without_terminator())
    if (failed(emitOperation(op)))
      return failure();
  return success();
}

/// Whether every operand and result of `op` has a C-like type. Memrefs are
/// only read by loads and stores (they name a parameter or threadgroup
/// array; no value of the C code is a pointer).
static bool hasPrintableTypes(Operation *op) {
  bool accessesMemory =
      isa<memref::LoadOp, memref::StoreOp, AtomicLoadOp, AtomicStoreOp,
          AtomicRMWOp, AtomicCompareExchangeOp>(op);
  auto printable = [&](Type type) {
    if (isa<MemRefType>(type))
      return accessesMemory;
    // scf ops carry simdgroup matrices in variables (ControlFlowPrinter.cpp).
    if (KernelEmitter::isMatrixType(type))
      return isa<scf::ForOp, scf::IfOp, scf::WhileOp>(op);
    return CType::get(type, /*isUnsigned=*/false).has_value();
  };
  return llvm::all_of(op->getOperandTypes(), printable) &&
         llvm::all_of(op->getResultTypes(), printable);
}

/// Whether `op` reads or produces a vector value (not a simdgroup matrix).
static bool hasVectorValues(Operation *op) {
  auto isVector = [](Type type) {
    return isa<VectorType>(type) && !KernelEmitter::isMatrixType(type);
  };
  return llvm::any_of(op->getOperandTypes(), isVector) ||
         llvm::any_of(op->getResultTypes(), isVector);
}

LogicalResult KernelEmitter::emitOperation(Operation &op) {
  // Ops and types a target has no lowering for yet fail by name, never
  // with another target's spelling.
  if (llvm::is_contained(target.unloweredOps, op.getName().getStringRef()))
    return notLoweredYet(&op, "");
  if (!target.vectorType && hasVectorValues(&op))
    return notLoweredYet(&op, "vector types");
  // Threadgroup arrays are declared at the top of the kernel, function
  // constants before it.
  if (isa<ThreadgroupAllocOp, FunctionConstantOp>(op))
    return success();
  // Per-thread arrays are declared where they are allocated.
  if (auto alloca = dyn_cast<memref::AllocaOp>(op))
    return emitThreadArray(alloca);
  // Simdgroup matrices (vector<8x8xT>) have no CType.
  if (isa<SimdgroupMatrixFillOp, SimdgroupMatrixLoadOp, SimdgroupMatrixStoreOp,
          SimdgroupMultiplyAccumulateOp>(op))
    return emitSimdgroupMatrix(op);
  // Threadgroup matrices (vector<RxCxf32>) have no CType either.
  if (isa<ThreadgroupMatrixFillOp, ThreadgroupMultiplyAccumulateOp,
          ThreadgroupMatrixStoreOp>(op))
    return emitThreadgroupMatrix(op);
  // Async copies return a !enigma.simdgroup_event, which has no CType.
  if (isa<AsyncCopyOp, AsyncCopyWaitOp>(op))
    return emitAsyncCopy(op);
  // Vector loads and stores read and write through a cast pointer.
  if (isa<VectorLoadOp, VectorStoreOp>(op))
    return emitVectorAccess(op);
  if (!operandsPrintable(&op) || !hasPrintableTypes(&op))
    return unsupported(&op);

  // Constants and index casts print inline where they are used.
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = constant.getValue();
    if (isa<IntegerAttr, FloatAttr, DenseIntOrFPElementsAttr>(value))
      return success();
    return unsupported(&op, "constant value");
  }
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(op))
    return success();

  return llvm::TypeSwitch<Operation *, LogicalResult>(&op)
      .Case([&](BuiltinOp builtin) {
        noteLocation(builtin);
        llvm::StringRef name = stringifyBuiltinKind(builtin.getKind());
        std::optional<Dim> dim = builtin.getDim();
        declare(
            builtin.getResult(),
            llvm::formatv(dim ? target.dimmedBuiltinRead : target.builtinRead,
                          name, dim ? stringifyDim(*dim) : ""));
        return success();
      })
      .Case([&](ThreadgroupBarrierOp barrier) {
        noteLocation(barrier);
        line(llvm::formatv(target.threadgroupBarrier,
                           target.memFlags[unsigned(barrier.getFlags())]));
        return success();
      })
      .Case([&](SimdgroupBarrierOp barrier) {
        noteLocation(barrier);
        line(llvm::formatv(target.simdgroupBarrier,
                           target.memFlags[unsigned(barrier.getFlags())]));
        return success();
      })
      .Case<SimdReduceOp, SimdShuffleOp>(
          [&](Operation *simd) { return emitSimdFunction(*simd); })
      .Case<AtomicLoadOp, AtomicStoreOp, AtomicRMWOp, AtomicCompareExchangeOp>(
          [&](Operation *atomic) { return emitAtomic(*atomic); })
      .Case([&](memref::LoadOp load) { return emitLoad(load); })
      .Case([&](memref::StoreOp store) { return emitStore(store); })
      .Case([&](scf::ForOp loop) { return emitFor(loop); })
      .Case([&](scf::IfOp ifOp) { return emitIf(ifOp); })
      .Case([&](scf::WhileOp loop) { return emitWhile(loop); })
      .Default([&](Operation *other) -> LogicalResult {
        if (other->getNumResults() != 1 || other->getNumRegions() != 0)
          return unsupported(other);
        FailureOr<std::string> rhs = expression(*other);
        if (failed(rhs))
          return unsupported(other);
        noteLocation(other);
        declare(other->getResult(0), *rhs);
        return success();
      });
}

/// Whether an access is `buffer[index]`: a 1-D memref and one index.
static bool isOneDimensional(Value memref, ValueRange indices) {
  return cast<MemRefType>(memref.getType()).getRank() == 1 &&
         indices.size() == 1;
}

LogicalResult KernelEmitter::emitLoad(memref::LoadOp load) {
  if (!isOneDimensional(load.getMemRef(), load.getIndices()))
    return unsupported(load, "rank");
  if (isAtomicArray(load.getMemRef()))
    return emitAtomicArrayAccess(*load);
  noteLocation(load);
  Value index = load.getIndices()[0];
  declare(load.getResult(),
          names[load.getMemRef()] + "[" + operand(index) + "]");
  return success();
}

LogicalResult KernelEmitter::emitStore(memref::StoreOp store) {
  if (!isOneDimensional(store.getMemRef(), store.getIndices()))
    return unsupported(store, "rank");
  if (isAtomicArray(store.getMemRef()))
    return emitAtomicArrayAccess(*store);
  noteLocation(store);
  Value index = store.getIndices()[0];
  // The value converts explicitly to the buffer's element type.
  line(names[store.getMemRef()] + "[" + operand(index) + "] = " +
       operand(store.getValueToStore(), typeOf(store.getMemRef())) + ";");
  return success();
}

LogicalResult KernelEmitter::unsupported(Operation *op, llvm::StringRef why) {
  std::string types;
  llvm::raw_string_ostream stream(types);
  stream << "(";
  llvm::interleaveComma(op->getOperandTypes(), stream);
  stream << ") -> (";
  llvm::interleaveComma(op->getResultTypes(), stream);
  stream << ")";
  auto diag = op->emitError() << "cannot print '" << op->getName() << "' on "
                              << types << " in " << target.name;
  if (!why.empty())
    diag << ": unsupported " << why;
  return diag;
}

LogicalResult KernelEmitter::notLoweredYet(Operation *op,
                                           llvm::StringRef what) {
  auto diag = op->emitError() << "`" << op->getName() << "` has no "
                              << target.name << " lowering yet";
  if (!what.empty())
    diag << " (" << what << ")";
  return diag;
}

//===----------------------------------------------------------------------===//
// Lines, names, types and operands
//===----------------------------------------------------------------------===//

void KernelEmitter::line(const llvm::Twine &text) {
  os.indent(2 * indent) << text << "\n";
}

void KernelEmitter::noteLocation(Operation *op) {
  if (!emitLocations)
    return;
  auto location = op->getLoc()->findInstanceOf<FileLineColRange>();
  if (!location)
    return;
  std::pair<StringAttr, unsigned> key{location.getFilename(),
                                      location.getStartLine()};
  if (key == lastLocation)
    return;
  lastLocation = key;
  line("// " + llvm::sys::path::filename(key.first.getValue()) + ":" +
       llvm::Twine(key.second));
}

void KernelEmitter::declare(Value result, const llvm::Twine &expr) {
  std::string name = freshName();
  bind(result, name);
  line(typeName(typeOf(result)) + " " + name + " = " + expr + ";");
}

std::string KernelEmitter::freshName() {
  return "v" + std::to_string(nextValue++);
}

CType KernelEmitter::typeOf(Value value) const {
  return typeAs(value, signedness.isUnsigned(value));
}

CType KernelEmitter::typeAs(Value value, bool isUnsigned) const {
  // Every type reaching here was checked by hasPrintableTypes.
  return CType::get(value.getType(), isUnsigned).value_or(CType{});
}

std::string KernelEmitter::typeName(CType type) const {
  return spellType(target, type);
}

std::string KernelEmitter::castTo(CType type, llvm::StringRef expr) const {
  return spellCast(target, type, expr);
}

std::string KernelEmitter::operand(Value value, CType expected) {
  Operation *def = value.getDefiningOp();
  if (auto constant = dyn_cast_or_null<arith::ConstantOp>(def))
    return spellLiteral(target, constant.getValue(), expected);
  CType actual;
  std::string text;
  if (isa_and_nonnull<arith::IndexCastOp, arith::IndexCastUIOp>(def)) {
    text = indexCast(def, actual);
  } else {
    text = names.lookup(value);
    actual = typeOf(value);
  }
  return actual == expected ? text : castTo(expected, text);
}

bool KernelEmitter::operandsPrintable(Operation *op) const {
  return llvm::all_of(op->getOperands(), [&](Value value) {
    Operation *def = value.getDefiningOp();
    if (isa_and_nonnull<arith::ConstantOp>(def))
      return true;
    if (isa_and_nonnull<arith::IndexCastOp, arith::IndexCastUIOp>(def))
      return operandsPrintable(def);
    return names.contains(value);
  });
}
