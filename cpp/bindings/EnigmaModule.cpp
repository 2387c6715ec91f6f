//===- EnigmaModule.cpp - The enigma._core Python module ------------------===//
//
// Thin glue between Python and the C++ core: the traced kernel arrives as
// JSON text, the compile result leaves as a dict of plain data. No MLIR
// object crosses the boundary. A failed compile raises
// enigma.errors.CompilerError with the diagnostics (the user's file:line).
//
//===----------------------------------------------------------------------===//

#include "enigma/Compiler/Compile.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using mlir::enigma::KernelInterface;

namespace {

py::list toPython(const std::vector<enigma::Diagnostic> &diagnostics) {
  py::list out;
  for (const enigma::Diagnostic &d : diagnostics) {
    py::dict item;
    item["severity"] = d.severity;
    item["message"] = d.message;
    item["file"] = d.file;
    item["line"] = d.line;
    item["column"] = d.column;
    out.append(std::move(item));
  }
  return out;
}

py::dict toPython(const KernelInterface &interface) {
  py::list params;
  for (const mlir::enigma::KernelParam &p : interface.params) {
    py::dict item;
    item["name"] = p.name;
    item["kind"] = p.isBuffer ? "buffer" : "scalar";
    item["dtype"] = p.dtype;
    item["buffer_index"] = p.bufferIndex;
    item["access"] = mlir::enigma::stringifyBufferAccess(p.access);
    if (p.vectorAlignment)
      item["alignment"] = p.vectorAlignment;
    params.append(std::move(item));
  }
  py::dict out;
  out["kernel_name"] = interface.name;
  out["params"] = std::move(params);
  out["builtins"] = py::cast(std::vector<std::string>(
      interface.builtins.begin(), interface.builtins.end()));
  out["uses_barriers"] = interface.usesBarriers;
  out["uses_simdgroups"] = interface.usesSimdgroups;
  out["required_threads"] = interface.requiredThreads;
  out["threadgroup_memory_bytes"] = interface.threadgroupMemoryBytes;
  py::list constants;
  for (const mlir::enigma::FunctionConstant &c : interface.functionConstants) {
    py::dict item;
    item["index"] = c.index;
    item["name"] = c.name;
    item["dtype"] = c.dtype;
    constants.append(std::move(item));
  }
  out["function_constants"] = std::move(constants);
  return out;
}

py::dict compileKernel(const std::string &tracedJson, bool emitLocations,
                       const std::string &target) {
  enigma::CompileOptions options;
  options.emitLocations = emitLocations;
  if (target == "cuda") {
    options.target = enigma::CompileTarget::CUDA;
  } else if (target != "msl") {
    py::object error = py::module_::import("enigma.errors").attr("EnigmaError");
    PyErr_SetObject(error.ptr(),
                    error("unknown compile target '" + target +
                          "': compile_kernel emits \"msl\" or \"cuda\"")
                        .ptr());
    throw py::error_already_set();
  }
  enigma::CompileResult result;
  {
    // The core owns a per-thread MLIRContext: other Python threads may run.
    py::gil_scoped_release release;
    result = enigma::compileTracedKernel(tracedJson, options);
  }
  if (!result.ok) {
    py::object error =
        py::module_::import("enigma.errors").attr("CompilerError");
    py::object instance =
        error(toPython(result.diagnostics), result.interface.name);
    PyErr_SetObject(error.ptr(), instance.ptr());
    throw py::error_already_set();
  }
  py::dict out = toPython(result.interface);
  out["mlir"] = result.mlir;
  if (options.target == enigma::CompileTarget::CUDA)
    out["cuda"] = result.cuda;
  else
    out["msl"] = result.msl;
  out["diagnostics"] = toPython(result.diagnostics);
  py::dict timings;
  timings["import"] = result.timings.importUs;
  timings["passes"] = result.timings.passesUs;
  timings["emit"] = result.timings.emitUs;
  out["timings_us"] = std::move(timings);
  return out;
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Enigma's C++ core: traced kernel (JSON) -> MLIR -> MSL";
  m.def("compile_kernel", &compileKernel, py::arg("traced_json"), py::kw_only(),
        py::arg("emit_locations") = true, py::arg("target") = "msl",
        "Compile one traced kernel; returns {mlir, msl (or cuda with "
        "target=\"cuda\"), kernel_name, params, builtins, uses_barriers, "
        "uses_simdgroups, required_threads, threadgroup_memory_bytes, "
        "function_constants, diagnostics}.");
}
