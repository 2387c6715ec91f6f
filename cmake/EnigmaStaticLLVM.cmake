# Debian's MLIR CMake package links every MLIR library against the LLVM
# shared library (LLVM_LINK_LLVM_DYLIB=ON). Enigma ships without LLVM at run
# time, so rewrite those imported targets to use LLVM's static component
# libraries instead, and drop LLVMSupport's optional shared dependencies
# (z3, zlib, zstd) that nothing Enigma links actually calls.
set(ENIGMA_STATIC_LLVM_LIBS
    LLVMSupport LLVMDemangle LLVMRemarks LLVMBitstreamReader)

get_property(_enigma_imported DIRECTORY PROPERTY IMPORTED_TARGETS)
foreach(_target IN LISTS _enigma_imported)
  get_target_property(_libs ${_target} INTERFACE_LINK_LIBRARIES)
  if(_libs AND "LLVM" IN_LIST _libs)
    list(TRANSFORM _libs REPLACE "^LLVM$" "${ENIGMA_STATIC_LLVM_LIBS}")
    set_target_properties(${_target} PROPERTIES INTERFACE_LINK_LIBRARIES "${_libs}")
  endif()
endforeach()
if(APPLE)
  # Homebrew's llvm (docs/macos.md) has the same layout: static component
  # libraries beside libLLVM.dylib, which MLIR's targets name. macOS has no
  # librt, and dlopen is part of libSystem, which every link gets.
  set_target_properties(LLVMSupport PROPERTIES
    INTERFACE_LINK_LIBRARIES "m;Threads::Threads;LLVMDemangle")
else()
  set_target_properties(LLVMSupport PROPERTIES
    INTERFACE_LINK_LIBRARIES "rt;dl;m;Threads::Threads;LLVMDemangle")
endif()
find_package(Threads REQUIRED)

# Link flags for everything that embeds MLIR: keep only what is reachable and
# do not re-export LLVM's symbols from the module.
if(APPLE)
  # ld64: -dead_strip is --gc-sections; it has no --exclude-libs, so the
  # Python module lists its one export instead (cpp/bindings).
  set(ENIGMA_EMBED_LINK_OPTIONS -Wl,-dead_strip)
else()
  set(ENIGMA_EMBED_LINK_OPTIONS -Wl,--gc-sections -Wl,--exclude-libs,ALL)
endif()
