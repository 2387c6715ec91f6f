# libEnigmaRuntime (swift/EnigmaRuntime): the Metal runtime behind
# enigma.MetalRuntime, a SwiftPM package built with `swift build` where a
# Swift toolchain exists and installed next to libenigma_cpu in the package's
# enigma/lib/. Without Swift the rest of Enigma builds as before; the Python
# runtime then reports the library as missing when asked for device="metal".
#
# The SwiftPM scratch directory lives in this build tree (build/<wheel tag>/
# swift), so a rebuild only recompiles what changed; swift build is run on
# every build and is a quick no-op when nothing did.

find_program(ENIGMA_SWIFT swift HINTS /opt/swift/usr/bin
             DOC "Swift toolchain for libEnigmaRuntime")
if(NOT ENIGMA_SWIFT)
  message(STATUS "Swift not found (looked on PATH and in /opt/swift/usr/bin): "
                 "libEnigmaRuntime (swift/EnigmaRuntime, the Metal runtime) is not "
                 "built. Install Xcode or the Command Line Tools (macOS) or a "
                 "swift.org toolchain (Linux) to build it.")
  return()
endif()
message(STATUS "Building libEnigmaRuntime with ${ENIGMA_SWIFT}")

set(_enigma_swift_package ${PROJECT_SOURCE_DIR}/swift/EnigmaRuntime)
set(_enigma_swift_scratch ${CMAKE_BINARY_DIR}/swift)
if(APPLE)
  set(_enigma_swift_library libEnigmaRuntime.dylib)
else()
  set(_enigma_swift_library libEnigmaRuntime.so)
endif()
# SwiftPM's `release` is a link to the host triple's release directory.
set(_enigma_swift_output ${_enigma_swift_scratch}/release/${_enigma_swift_library})

add_custom_target(enigma_swift_runtime ALL
  COMMAND ${ENIGMA_SWIFT} build -c release
          --package-path ${_enigma_swift_package}
          --scratch-path ${_enigma_swift_scratch}
  BYPRODUCTS ${_enigma_swift_output}
  COMMENT "Building libEnigmaRuntime (swift build -c release)"
  USES_TERMINAL
  VERBATIM)

if(SKBUILD)
  install(FILES ${_enigma_swift_output} DESTINATION enigma/lib)
endif()
