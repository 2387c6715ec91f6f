//===- KernelOp.cpp - The enigma.kernel op --------------------------------===//
//
// enigma.kernel: a FunctionOpInterface op parsed and printed like func.func,
// whose verifier enforces what the emitters and the Python runtime rely on:
// every parameter is a device buffer or a Metal scalar/vector, named, with a
// dtype matching its type; no results; at most 32 KiB of threadgroup memory.
//
//===----------------------------------------------------------------------===//

#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/FunctionImplementation.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::enigma;

/// Metal's limit on threadgroup memory per threadgroup (all Apple GPUs).
static constexpr uint64_t kMaxThreadgroupMemoryBytes = 32768;

void KernelOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                     FunctionType type, ArrayRef<DictionaryAttr> argAttrs) {
  state.addAttribute(SymbolTable::getSymbolAttrName(),
                     builder.getStringAttr(name));
  state.addAttribute(getFunctionTypeAttrName(state.name), TypeAttr::get(type));
  state.addRegion();
  if (!argAttrs.empty())
    call_interface_impl::addArgAndResultAttrs(
        builder, state, argAttrs, /*resultAttrs=*/{},
        getArgAttrsAttrName(state.name), getResAttrsAttrName(state.name));
}

ParseResult KernelOp::parse(OpAsmParser &parser, OperationState &result) {
  auto buildFuncType =
      [](Builder &builder, ArrayRef<Type> argTypes, ArrayRef<Type> results,
         function_interface_impl::VariadicFlag,
         std::string &) { return builder.getFunctionType(argTypes, results); };
  return function_interface_impl::parseFunctionOp(
      parser, result, /*allowVariadic=*/false,
      getFunctionTypeAttrName(result.name), buildFuncType,
      getArgAttrsAttrName(result.name), getResAttrsAttrName(result.name));
}

void KernelOp::print(OpAsmPrinter &p) {
  function_interface_impl::printFunctionOp(
      p, *this, /*isVariadic=*/false, getFunctionTypeAttrName(),
      getArgAttrsAttrName(), getResAttrsAttrName());
}

/// The string argument attribute `attrName` of parameter `index`, or "".
/// Tolerates malformed IR: the printer calls this before verification.
static StringRef getParamString(KernelOp kernel, unsigned index,
                                StringRef attrName) {
  ArrayAttr allAttrs = kernel.getArgAttrsAttr();
  if (!allAttrs || index >= allAttrs.size())
    return {};
  auto dict = dyn_cast<DictionaryAttr>(allAttrs[index]);
  auto value = dict ? dict.getAs<StringAttr>(attrName) : StringAttr();
  return value ? value.getValue() : StringRef();
}

StringRef KernelOp::getParamName(unsigned index) {
  return getParamString(*this, index, getParamNameAttrName());
}

StringRef KernelOp::getParamDtype(unsigned index) {
  return getParamString(*this, index, getParamDtypeAttrName());
}

/// Names the body's SSA arguments after the Python parameters (`%a`, `%n`).
void KernelOp::getAsmBlockArgumentNames(Region &region,
                                        OpAsmSetValueNameFn setNameFn) {
  if (region.empty())
    return;
  for (BlockArgument arg : region.front().getArguments()) {
    StringRef name = getParamName(arg.getArgNumber());
    if (!name.empty())
      setNameFn(arg, name);
  }
}

/// Checks one parameter: its attributes, its type, and their agreement.
static LogicalResult verifyParam(KernelOp kernel, unsigned index) {
  auto getString = [&](StringRef attrName) {
    return kernel.getArgAttrOfType<StringAttr>(index, attrName);
  };
  StringAttr name = getString(KernelOp::getParamNameAttrName());
  if (!name)
    return kernel.emitError() << "parameter #" << index
                              << " needs a string 'enigma.name' attribute "
                                 "(its Python name)";
  StringAttr dtype = getString(KernelOp::getParamDtypeAttrName());
  if (!dtype)
    return kernel.emitError() << "parameter '" << name.getValue()
                              << "' needs a string 'enigma.dtype' attribute "
                                 "(its Metal type, e.g. \"float\")";

  Type type = kernel.getArgumentTypes()[index];
  Type valueType = type;
  if (auto memref = dyn_cast<MemRefType>(type)) {
    if (memref.getRank() != 1 || !memref.isDynamicDim(0) ||
        !memref.getLayout().isIdentity() ||
        getAddressSpace(memref) != AddressSpace::Device)
      return kernel.emitError()
             << "buffer parameter '" << name.getValue()
             << "' must have type memref<?xT, #enigma.address_space<device>>, "
                "got "
             << type;
    valueType = memref.getElementType();
  }
  if (!isMetalValueType(valueType))
    return kernel.emitError()
           << "parameter '" << name.getValue() << "' has type " << type
           << ", which is not a Metal scalar, vector or "
              "device buffer of them";
  if (getTypeForMetalDtype(kernel.getContext(), dtype.getValue()) != valueType)
    return kernel.emitError()
           << "parameter '" << name.getValue() << "' has dtype '"
           << dtype.getValue() << "', which does not match its type " << type;
  return success();
}

LogicalResult KernelOp::verify() {
  if (getBody().empty())
    return emitError() << "kernel '" << getSymName() << "' has no body";
  if (!getResultTypes().empty())
    return emitError() << "kernel '" << getSymName()
                       << "' returns values; a kernel returns nothing and "
                          "writes its results to device buffers";
  llvm::StringSet<> names;
  for (unsigned index = 0, e = getNumArguments(); index < e; ++index) {
    if (failed(verifyParam(*this, index)))
      return failure();
    if (!names.insert(getParamName(index)).second)
      return emitError() << "kernel '" << getSymName()
                         << "' has two parameters named '"
                         << getParamName(index) << "'";
  }
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  // Reported at the allocation that crosses the limit: that is the user's
  // line to change.
  uint64_t bytes = 0;
  ThreadgroupAllocOp culprit;
  walk([&](ThreadgroupAllocOp alloc) {
    bytes += alloc.getSizeInBytes();
    if (!culprit && bytes > kMaxThreadgroupMemoryBytes)
      culprit = alloc;
  });
  if (culprit)
    return culprit.emitError()
           << "kernel '" << getSymName() << "' allocates " << bytes
           << " bytes of threadgroup memory; Metal allows at most "
           << kMaxThreadgroupMemoryBytes
           << " bytes per threadgroup (make the threadgroup_alloc sizes "
              "smaller)";
  return success();
}
