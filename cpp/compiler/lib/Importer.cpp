//===- Importer.cpp - Traced-IR JSON -> enigma MLIR -----------------------===//
//
// The structural half of the importer: the document, the kernel and its
// parameters, the op list with its value table, regions, and the dispatch of
// each op to its handler. Every JSON field is checked before use: LLVM is
// built without exceptions and MLIR builders assert, so bad input must be
// caught here and reported as a diagnostic at the op's location.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "enigma/Compiler/TracedIRImporter.h"
#include "enigma/Dialect/Enigma/EnigmaOps.h"
#include "enigma/Dialect/Enigma/MetalTypes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using llvm::json::Array;
using llvm::json::Object;
using mlir::enigma::KernelOp;

namespace enigma {

LogicalResult Importer::error(Location loc, const Twine &message) {
  return emitError(loc, message);
}

LogicalResult Importer::expectArity(const TracedOp &op, unsigned count,
                                    unsigned results) {
  if (op.operands.size() == count && op.resultDtypes.size() == results)
    return success();
  return error(op.loc, "traced '" + op.kind + "' op has " +
                           Twine(op.operands.size()) + " operands and " +
                           Twine(op.resultDtypes.size()) +
                           " results; expected " + Twine(count) + " and " +
                           Twine(results));
}

LogicalResult Importer::requireOperandKind(const TracedOp &op, unsigned index,
                                           bool isBuffer) {
  if (op.operands[index].isBuffer() == isBuffer)
    return success();
  return error(op.loc, "'" + op.kind + "' needs " +
                           (isBuffer ? "a buffer" : "a value") +
                           " as operand " + Twine(index) + ", got a '" +
                           op.operands[index].dtype + "'");
}

FailureOr<SmallVector<Value>>
Importer::getUintIndices(const TracedOp &op, ArrayRef<unsigned> indices) {
  SmallVector<Value> values;
  for (unsigned index : indices) {
    const TracedValue &value = op.operands[index];
    if (value.isBuffer() || value.dtype != "uint")
      return error(op.loc, "'" + op.kind +
                               "' needs uint offsets and sizes, got a '" +
                               value.dtype + "' value");
    values.push_back(arith::IndexCastUIOp::create(
        builder, op.loc, builder.getIndexType(), value.value));
  }
  return values;
}

FailureOr<StringRef> Importer::getStringAttr(const TracedOp &op,
                                             StringRef key) {
  if (std::optional<StringRef> value = op.attrs.getString(key))
    return *value;
  (void)error(op.loc, "traced '" + op.kind + "' op needs a string attribute '" +
                          key + "'");
  return failure();
}

FailureOr<MemRefType> Importer::getArrayType(const TracedOp &op,
                                             StringRef dtype,
                                             mlir::enigma::AddressSpace space) {
  Type element = mlir::enigma::getTypeForMetalDtype(context, dtype);
  if (!element)
    return error(op.loc, op.kind + " dtype '" + dtype +
                             "' is not a Metal scalar or vector type");
  std::optional<int64_t> size = op.attrs.getInteger("size");
  if (!size || *size <= 0)
    return error(op.loc,
                 op.kind + " size must be a positive number of elements");
  return MemRefType::get({*size}, element, MemRefLayoutAttrInterface(),
                         mlir::enigma::AddressSpaceAttr::get(context, space));
}

/// `"loc": [file, line, column]`; `fallback` when absent or malformed.
Location Importer::getLoc(const Object &object, Location fallback) {
  const Array *loc = object.getArray("loc");
  if (!loc || loc->size() != 3)
    return fallback;
  std::optional<StringRef> file = (*loc)[0].getAsString();
  std::optional<int64_t> line = (*loc)[1].getAsInteger();
  std::optional<int64_t> column = (*loc)[2].getAsInteger();
  if (!file || !line || !column || *line < 0 || *column < 0)
    return fallback;
  return FileLineColLoc::get(context, *file, *line, *column);
}

LogicalResult Importer::parseTypedId(const llvm::json::Value &json,
                                     Location loc, int64_t &id,
                                     std::string &dtype, Type &type) {
  const Object *object = json.getAsObject();
  std::optional<int64_t> maybeId;
  std::optional<StringRef> maybeType;
  if (object) {
    maybeId = object->getInteger("id");
    maybeType = object->getString("type");
  }
  if (!maybeId || !maybeType)
    return error(loc, "malformed traced IR: a value needs an integer \"id\" "
                      "and a string \"type\"");
  id = *maybeId;
  dtype = maybeType->str();
  type = mlir::enigma::getTypeForMetalDtype(context, dtype);
  return success();
}

LogicalResult Importer::define(int64_t id, TracedValue value, Location loc) {
  if (!values.try_emplace(id, std::move(value)).second)
    return error(loc, "malformed traced IR: value %" + Twine(id) +
                          " is defined twice");
  return success();
}

LogicalResult Importer::importKernelOp(const Array &params, StringRef name,
                                       Location loc) {
  SmallVector<Type> types;
  SmallVector<DictionaryAttr> attrs;
  SmallVector<std::pair<int64_t, std::string>> idsAndDtypes;
  for (const llvm::json::Value &json : params) {
    const Object *param = json.getAsObject();
    if (!param)
      return error(loc, "malformed traced IR: a parameter is not an object");
    std::optional<int64_t> id = param->getInteger("id");
    std::optional<StringRef> paramName = param->getString("name");
    std::optional<StringRef> kind = param->getString("kind");
    std::optional<StringRef> dtype = param->getString("dtype");
    if (!id || !paramName || !dtype || (kind != "buffer" && kind != "scalar"))
      return error(loc, "malformed traced IR: a parameter needs \"id\", "
                        "\"name\", \"kind\" (buffer|scalar) and \"dtype\"");
    Type type = mlir::enigma::getTypeForMetalDtype(context, *dtype);
    if (!type)
      return error(loc, "parameter '" + *paramName + "' has dtype '" + *dtype +
                            "', which is not a Metal scalar or vector type");
    if (kind == "buffer")
      type = MemRefType::get({ShapedType::kDynamic}, type,
                             MemRefLayoutAttrInterface(),
                             mlir::enigma::AddressSpaceAttr::get(
                                 context, mlir::enigma::AddressSpace::Device));
    types.push_back(type);
    attrs.push_back(builder.getDictionaryAttr(
        {builder.getNamedAttr(KernelOp::getParamNameAttrName(),
                              builder.getStringAttr(*paramName)),
         builder.getNamedAttr(KernelOp::getParamDtypeAttrName(),
                              builder.getStringAttr(*dtype))}));
    idsAndDtypes.emplace_back(*id, dtype->str());
  }

  auto kernel = KernelOp::create(builder, loc, name,
                                 builder.getFunctionType(types, {}), attrs);
  Block *entry = kernel.addEntryBlock();
  for (auto [arg, idAndDtype] :
       llvm::zip_equal(entry->getArguments(), idsAndDtypes))
    if (failed(define(idAndDtype.first, {arg, idAndDtype.second}, loc)))
      return failure();
  builder.setInsertionPointToEnd(entry);
  return success();
}

OwningOpRef<ModuleOp> Importer::importKernel(const Object &doc) {
  Location unknown = UnknownLoc::get(context);
  std::optional<int64_t> version = doc.getInteger("version");
  if (version != 1) {
    (void)error(unknown, "traced IR version " +
                             (version ? Twine(*version) : Twine("(missing)")) +
                             " is not supported; this build reads version 1");
    return nullptr;
  }
  std::optional<StringRef> name = doc.getString("kernel");
  const Array *params = doc.getArray("params");
  const Array *body = doc.getArray("body");
  if (!name || name->empty() || !params || !body) {
    (void)error(unknown, "malformed traced IR: the document needs \"kernel\", "
                         "\"params\" and \"body\"");
    return nullptr;
  }
  Location loc = getLoc(doc, unknown);

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  if (failed(importKernelOp(*params, *name, loc)) ||
      failed(importOps(*body, loc)))
    return nullptr;
  mlir::enigma::ReturnOp::create(builder, loc);
  return module;
}

LogicalResult Importer::importOps(const Array &ops, Location parentLoc) {
  for (const llvm::json::Value &op : ops)
    if (failed(importOp(op, parentLoc)))
      return failure();
  return success();
}

static Importer::Handler lookupHandler(StringRef kind) {
  return llvm::StringSwitch<Importer::Handler>(kind)
      .Case("constant", &Importer::importConstant)
      .Case("binary", &Importer::importBinary)
      .Case("unary", &Importer::importUnary)
      .Case("compare", &Importer::importCompare)
      .Case("cast", &Importer::importCast)
      .Case("bitcast", &Importer::importBitcast)
      .Case("select", &Importer::importSelect)
      .Case("math", &Importer::importMath)
      .Case("load", &Importer::importLoad)
      .Case("store", &Importer::importStore)
      .Case("builtin", &Importer::importBuiltin)
      .Case("barrier", &Importer::importBarrier)
      .Case("threadgroup_alloc", &Importer::importThreadgroupAlloc)
      .Case("simd_reduce", &Importer::importSimdReduce)
      .Case("simd_shuffle", &Importer::importSimdShuffle)
      .Case("for", &Importer::importFor)
      .Case("if", &Importer::importIf)
      .Case("while", &Importer::importWhile)
      .Case("yield", &Importer::importYield)
      .Case("condition", &Importer::importCondition)
      .Case("register_alloc", &Importer::importRegisterAlloc)
      .Case("atomic_load", &Importer::importAtomicLoad)
      .Case("atomic_store", &Importer::importAtomicStore)
      .Case("atomic_rmw", &Importer::importAtomicRMW)
      .Case("atomic_compare_exchange_weak",
            &Importer::importAtomicCompareExchange)
      .Case("function_constant", &Importer::importFunctionConstant)
      .Case("vector_construct", &Importer::importVectorConstruct)
      .Case("vector_extract", &Importer::importVectorExtract)
      .Case("vector_swizzle", &Importer::importVectorSwizzle)
      .Case("vector_function", &Importer::importVectorFunction)
      .Case("simdgroup_matrix_fill", &Importer::importMatrixFill)
      .Case("simdgroup_matrix_load", &Importer::importMatrixLoad)
      .Case("simdgroup_matrix_store", &Importer::importMatrixStore)
      .Case("simdgroup_multiply_accumulate",
            &Importer::importMatrixMultiplyAccumulate)
      .Case("threadgroup_matrix_fill", &Importer::importThreadgroupMatrixFill)
      .Case("threadgroup_multiply_accumulate",
            &Importer::importThreadgroupMultiplyAccumulate)
      .Case("threadgroup_matrix_store", &Importer::importThreadgroupMatrixStore)
      .Case("async_copy", &Importer::importAsyncCopy)
      .Case("async_copy_wait", &Importer::importAsyncCopyWait)
      .Case("vector_load", &Importer::importVectorLoad)
      .Case("vector_store", &Importer::importVectorStore)
      .Default(nullptr);
}

LogicalResult Importer::importOp(const llvm::json::Value &json,
                                 Location parentLoc) {
  static const Object kNoAttrs;
  static const Array kNoRegions;
  const Object *object = json.getAsObject();
  if (!object)
    return error(parentLoc, "malformed traced IR: an op is not an object");
  Location loc = getLoc(*object, parentLoc);
  std::optional<StringRef> kind = object->getString("op");
  if (!kind)
    return error(loc, "malformed traced IR: an op has no \"op\" name");
  Handler handler = lookupHandler(*kind);
  if (!handler)
    return error(loc, "unknown traced op '" + *kind + "'");

  const Object *attrs = object->getObject("attrs");
  const Array *regions = object->getArray("regions");
  TracedOp op{*kind,
              loc,
              {},
              {},
              {},
              attrs ? *attrs : kNoAttrs,
              regions ? *regions : kNoRegions};
  if (const Array *operands = object->getArray("operands")) {
    for (const llvm::json::Value &operand : *operands) {
      std::optional<int64_t> id = operand.getAsInteger();
      if (!id)
        return error(loc, "malformed traced IR: operands must be value ids");
      auto it = values.find(*id);
      if (it == values.end())
        return error(loc, "traced '" + *kind + "' op uses value %" +
                              Twine(*id) + " before it is defined");
      op.operands.push_back(it->second);
    }
  }
  SmallVector<int64_t> resultIds;
  if (const Array *results = object->getArray("results")) {
    for (const llvm::json::Value &result : *results) {
      int64_t id;
      std::string dtype;
      Type type;
      if (failed(parseTypedId(result, loc, id, dtype, type)))
        return failure();
      // Threadgroup and thread arrays are typed "threadgroup float[256]":
      // their type comes from the op's attributes instead.
      if (!type && *kind != "threadgroup_alloc" && *kind != "register_alloc")
        return error(loc, "traced '" + *kind + "' op has a result of type '" +
                              dtype +
                              "', which is not a Metal scalar or vector type");
      resultIds.push_back(id);
      op.resultDtypes.push_back(std::move(dtype));
      op.resultTypes.push_back(type);
    }
  }

  SmallVector<Value> results;
  if (failed((this->*handler)(op, results)))
    return failure();
  if (results.size() != resultIds.size())
    return error(loc, "traced '" + *kind + "' op declares " +
                          Twine(resultIds.size()) + " results but produces " +
                          Twine(results.size()));
  for (auto [id, result, dtype, type] :
       llvm::zip_equal(resultIds, results, op.resultDtypes, op.resultTypes)) {
    std::string valueDtype = dtype;
    if (auto alloc = result.getDefiningOp<mlir::enigma::ThreadgroupAllocOp>())
      valueDtype = alloc.getDtype().str();
    else if (auto alloca = result.getDefiningOp<memref::AllocaOp>())
      valueDtype =
          alloca->getAttrOfType<StringAttr>(KernelOp::getParamDtypeAttrName())
              .str();
    else if (result.getType() != type)
      return error(loc, "traced '" + *kind + "' op declares a '" + dtype +
                            "' result, but its operands give a different "
                            "type (the tracer must make conversions explicit)");
    if (failed(define(id, {result, valueDtype}, loc)))
      return failure();
  }
  return success();
}

LogicalResult Importer::importRegion(const TracedOp &op, unsigned index,
                                     Block &block, bool defaultYield) {
  const Object *region =
      index < op.regions.size() ? op.regions[index].getAsObject() : nullptr;
  const Array *args = region ? region->getArray("args") : nullptr;
  const Array *ops = region ? region->getArray("ops") : nullptr;
  if (!region || (args && args->size() != block.getNumArguments()) ||
      (!args && block.getNumArguments() != 0))
    return error(op.loc, "malformed traced IR: region " + Twine(index) +
                             " of the '" + op.kind + "' op needs " +
                             Twine(block.getNumArguments()) + " arguments");
  for (unsigned i = 0, e = block.getNumArguments(); i < e; ++i) {
    int64_t id;
    std::string dtype;
    Type type;
    if (failed(parseTypedId((*args)[i], op.loc, id, dtype, type)))
      return failure();
    if (type != block.getArgument(i).getType())
      return error(op.loc, "region " + Twine(index) + " argument #" + Twine(i) +
                               " of the '" + op.kind + "' op has type '" +
                               dtype +
                               "', which does not match the value it receives");
    if (failed(define(id, {block.getArgument(i), dtype}, op.loc)))
      return failure();
  }

  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&block);
  if (ops && failed(importOps(*ops, op.loc)))
    return failure();
  if (!block.empty() && block.back().hasTrait<OpTrait::IsTerminator>())
    return success();
  if (!defaultYield)
    return error(op.loc, "region " + Twine(index) + " of the '" + op.kind +
                             "' op must end in a yield of its carried values");
  scf::YieldOp::create(builder, op.loc);
  return success();
}

OwningOpRef<ModuleOp> importTracedKernel(StringRef tracedJson,
                                         MLIRContext *context) {
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(tracedJson);
  if (!doc) {
    (void)emitError(UnknownLoc::get(context),
                    "malformed traced IR: " + llvm::toString(doc.takeError()));
    return nullptr;
  }
  const Object *object = doc->getAsObject();
  if (!object) {
    (void)emitError(UnknownLoc::get(context),
                    "malformed traced IR: the document is not a JSON object");
    return nullptr;
  }
  return Importer(context).importKernel(*object);
}

} // namespace enigma
