// swift-tools-version:5.9
// libEnigmaRuntime: the runtime behind enigma.MetalRuntime (include/enigma_runtime.h).
//
// One dynamic library with a C ABI (@_cdecl), no dependencies beyond the
// toolchain. CEnigmaRuntime is the ABI header as a Clang module, so the Swift
// exports use the header's own struct layouts; on macOS the Metal device is
// compiled in, on every OS the test device that runs cpu-device kernel
// objects. macOS 13 is the floor (MTLDataType.long, MTLComputePipelineReflection
// bindings); bfloat constants and the apple9 family check need macOS 14 and
// are guarded with #available.
import PackageDescription

let package = Package(
    name: "EnigmaRuntime",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "EnigmaRuntime", type: .dynamic, targets: ["EnigmaRuntime"]),
    ],
    targets: [
        .systemLibrary(name: "CEnigmaRuntime", path: "include"),
        .target(name: "EnigmaRuntime", dependencies: ["CEnigmaRuntime"]),
        .testTarget(name: "EnigmaRuntimeTests", dependencies: ["EnigmaRuntime", "CEnigmaRuntime"]),
    ]
)
