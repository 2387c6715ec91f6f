// The device protocol every backend implements, and the plain values that
// cross it. The C entry points (CInterface.swift) and the checks shared by all
// devices (Validation.swift) are written against these types only, so the
// Metal device (macOS) and the test device (any OS) run the same front end.

/// Threads in three dimensions (a grid or a threadgroup size).
struct Size3: Equatable, CustomStringConvertible {
    var x: Int, y: Int, z: Int

    init(_ x: Int, _ y: Int, _ z: Int) {
        self.x = x
        self.y = y
        self.z = z
    }

    var description: String { "(\(x), \(y), \(z))" }
}

/// What a device reports through enigma_rt_device_capabilities.
struct DeviceCapabilities: Equatable {
    var name: String
    var gpuFamily: String
    var simdgroupSize: Int
    /// Per-dimension limits of a threadgroup (Metal's maxThreadsPerThreadgroup).
    var maxThreadgroupSize: Size3
    var maxThreadgroupMemoryBytes: Int
    var supportsAsyncCopy: Bool
    var unifiedMemory: Bool

    var json: String {
        jsonObject([
            ("name", .string(name)),
            ("gpu_family", .string(gpuFamily)),
            ("simdgroup_size", .int(simdgroupSize)),
            ("max_threads_per_threadgroup", .int(maxThreadgroupSize.x)),
            ("max_threadgroup_memory_bytes", .int(maxThreadgroupMemoryBytes)),
            ("supports_async_copy", .bool(supportsAsyncCopy)),
            ("unified_memory", .bool(unifiedMemory)),
        ])
    }
}

/// What a pipeline reports through enigma_rt_pipeline_info, plus what validation needs.
struct PipelineInfo: Equatable {
    var maxTotalThreadsPerThreadgroup: Int
    var threadExecutionWidth: Int
    var staticThreadgroupMemoryBytes: Int
    /// Arguments the kernel needs at least (its highest [[buffer(i)]] index + 1),
    /// when the device can tell (Metal's pipeline reflection); nil when it cannot.
    var requiredArguments: Int?

    var json: String {
        jsonObject([
            ("max_total_threads_per_threadgroup", .int(maxTotalThreadsPerThreadgroup)),
            ("thread_execution_width", .int(threadExecutionWidth)),
            ("static_threadgroup_memory_bytes", .int(staticThreadgroupMemoryBytes)),
        ])
    }
}

/// One dispatch argument after validation: a buffer, or inline bytes (a Scalar).
enum DispatchArgument {
    case buffer(any RuntimeBuffer)
    case bytes(UnsafeRawBufferPointer)
}

/// A loaded library of kernels (a metallib, or a cpu-device kernel object).
protocol RuntimeLibrary: AnyObject {}

/// A kernel ready to dispatch.
protocol RuntimePipeline: AnyObject {
    var info: PipelineInfo { get }
}

/// Device memory the CPU can read and write directly (shared storage).
protocol RuntimeBuffer: AnyObject {
    var contents: UnsafeMutableRawPointer { get }
    var length: Int { get }
}

/// A backend. Implementations may assume their inputs passed Validation:
/// lengths are positive, libraries and buffers come from this same device,
/// grid and threadgroup sizes fit the pipeline.
protocol RuntimeDevice: AnyObject {
    var capabilities: DeviceCapabilities { get }
    func makeLibrary(bytes: UnsafeRawBufferPointer) throws -> any RuntimeLibrary
    func makeLibrary(path: String) throws -> any RuntimeLibrary
    func makeLibrary(source: String) throws -> any RuntimeLibrary
    func makePipeline(library: any RuntimeLibrary, function: String, constants: [FunctionConstant])
        throws -> any RuntimePipeline
    func makeBuffer(length: Int) throws -> any RuntimeBuffer
    func wrapBuffer(pointer: UnsafeMutableRawPointer, length: Int) throws -> any RuntimeBuffer
    /// Runs the kernel to completion; returns its GPU time in microseconds.
    func dispatch(
        pipeline: any RuntimePipeline, arguments: [DispatchArgument], grid: Size3, threads: Size3
    ) throws -> Double
}

/// A page-aligned host allocation: the buffers of the test device (and of
/// any device without its own memory). Owns the memory unless wrapped.
final class HostBuffer: RuntimeBuffer {
    let contents: UnsafeMutableRawPointer
    let length: Int
    private let owned: Bool

    init(length: Int) throws {
        contents = try allocatePages(length)
        self.length = length
        owned = true
    }

    init(wrapping pointer: UnsafeMutableRawPointer, length: Int) {
        contents = pointer
        self.length = length
        owned = false
    }

    deinit {
        if owned { free(contents) }
    }
}

// MARK: - JSON

enum JSONValue {
    case string(String)
    case int(Int)
    case bool(Bool)
}

/// A JSON object with the keys in the given order.
func jsonObject(_ members: [(String, JSONValue)]) -> String {
    let body = members.map { key, value -> String in
        let text: String
        switch value {
        case .string(let s): text = jsonString(s)
        case .int(let i): text = String(i)
        case .bool(let b): text = b ? "true" : "false"
        }
        return "\(jsonString(key)): \(text)"
    }
    return "{" + body.joined(separator: ", ") + "}"
}

/// `s` as a JSON string literal (quotes, backslashes and control characters escaped).
func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
