//===- DiagnosticCollector.cpp - MLIR diagnostics -> plain data -----------===//
//
// Maps each diagnostic's Location back to the user's file:line:column. The
// importer creates FileLineColLocs; passes may wrap them (CSE and folding
// fuse the locations of merged ops, other passes add names or call sites),
// so the mapping looks through those wrappers for the first file location.
//
//===----------------------------------------------------------------------===//

#include "DiagnosticCollector.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

using namespace mlir;

namespace enigma {

static std::optional<FileLineColRange> findFileLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColRange>(loc))
    return file;
  if (auto name = dyn_cast<NameLoc>(loc))
    return findFileLocation(name.getChildLoc());
  if (auto callSite = dyn_cast<CallSiteLoc>(loc)) {
    if (auto callee = findFileLocation(callSite.getCallee()))
      return callee;
    return findFileLocation(callSite.getCaller());
  }
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations())
      if (auto file = findFileLocation(inner))
        return file;
  }
  if (auto opaque = dyn_cast<OpaqueLoc>(loc))
    return findFileLocation(opaque.getFallbackLocation());
  return std::nullopt;
}

static StringRef getSeverityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  llvm_unreachable("unknown DiagnosticSeverity");
}

DiagnosticCollector::DiagnosticCollector(MLIRContext *context,
                                         std::vector<Diagnostic> &diagnostics)
    : diagnostics(diagnostics),
      handler(context, [this](mlir::Diagnostic &diagnostic) {
        record(diagnostic, getSeverityName(diagnostic.getSeverity()));
        // Notes (e.g. "see current operation") follow their diagnostic.
        for (mlir::Diagnostic &note : diagnostic.getNotes())
          record(note, "note");
        return success();
      }) {}

void DiagnosticCollector::record(mlir::Diagnostic &diagnostic,
                                 StringRef severity) {
  if (severity == "error")
    ++errorCount;
  Diagnostic &result = diagnostics.emplace_back();
  result.severity = severity.str();
  result.message = diagnostic.str();
  if (std::optional<FileLineColRange> file =
          findFileLocation(diagnostic.getLocation())) {
    result.file = file->getFilename().str();
    result.line = file->getStartLine();
    result.column = file->getStartColumn();
  }
}

} // namespace enigma
