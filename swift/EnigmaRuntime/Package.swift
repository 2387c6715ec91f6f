// swift-tools-version:5.9
// libEnigmaRuntime: the Metal runtime behind enigma.MetalRuntime (issue 5).
import PackageDescription

let package = Package(
    name: "EnigmaRuntime",
    products: [
        .library(name: "EnigmaRuntime", type: .dynamic, targets: ["EnigmaRuntime"]),
    ],
    targets: [
        .target(name: "EnigmaRuntime"),
    ]
)
