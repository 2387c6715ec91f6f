// The test device: the runtime's front end on any OS, running cpu-device
// kernel objects (python/enigma/runtime/cpu/build.py) through libenigma_cpu.
//
// A library is a dlopen'ed kernel object, a pipeline its exported
// `enigma_kernel_entry` (an EnigmaKernelEntry, python/enigma/runtime/cpu/
// include/enigma_host/abi.h), buffers are page-aligned host allocations and a
// dispatch is enigma_cpu_dispatch with one pointer per argument. libenigma_cpu
// is opened RTLD_GLOBAL because kernel objects leave the barrier functions
// undefined for the dynamic loader to resolve against it, and it is never
// closed: its worker threads live for the rest of the process.

/// ENIGMA_CPU_ABI_VERSION of enigma_host/abi.h (a test reads the header to keep them equal).
let cpuABIVersion: UInt32 = 2

/// Offsets in EnigmaKernelEntry: two unsigned, two function pointers, then the name.
private let entryNameOffset = 8 + 2 * MemoryLayout<UnsafeRawPointer>.stride

private typealias CPUDispatch = @convention(c) (
    UnsafeRawPointer?, UnsafePointer<UnsafeMutableRawPointer?>?, UnsafePointer<UInt32>?,
    UnsafePointer<UInt32>?
) -> Int32
private typealias CPULastError = @convention(c) () -> UnsafePointer<CChar>?

/// A dlopen'ed cpu-device kernel object and its entry.
final class TestLibrary: RuntimeLibrary {
    let handle: UnsafeMutableRawPointer
    let entry: UnsafeRawPointer
    let kernelName: String

    init(handle: UnsafeMutableRawPointer, origin: String) throws {
        self.handle = handle
        guard let symbol = dlsym(handle, "enigma_kernel_entry") else {
            dlclose(handle)
            throw RuntimeError("\(origin) is not a cpu-device kernel object: it exports no"
                + " enigma_kernel_entry (build it with enigma for device=\"cpu\")")
        }
        let version = symbol.load(as: UInt32.self)
        guard version == cpuABIVersion else {
            dlclose(handle)
            throw RuntimeError("\(origin) was built for cpu kernel ABI \(version), this runtime"
                + " expects \(cpuABIVersion): rebuild the kernel object with this Enigma")
        }
        entry = UnsafeRawPointer(symbol)
        let name = entry.load(fromByteOffset: entryNameOffset, as: UnsafePointer<CChar>?.self)
        kernelName = name.map { String(cString: $0) } ?? ""
    }

    deinit {
        dlclose(handle)
    }
}

/// A kernel entry with the constants it was asked for (already compiled into the object).
final class TestPipeline: RuntimePipeline {
    let library: TestLibrary
    let constants: [FunctionConstant]
    let info: PipelineInfo

    init(library: TestLibrary, constants: [FunctionConstant], maxThreads: Int) {
        self.library = library
        self.constants = constants
        // The argument count is not in the object: the caller's signature decides.
        info = PipelineInfo(maxTotalThreadsPerThreadgroup: maxThreads,
                            threadExecutionWidth: TestDevice.simdWidth,
                            staticThreadgroupMemoryBytes: 0, requiredArguments: nil)
    }
}

final class TestDevice: RuntimeDevice {
    /// ENIGMA_SIMD_WIDTH: the cpu device runs 32-lane simdgroups, as Apple GPUs do.
    static let simdWidth = 32
    /// Apple GPUs' limit, which the cpu device enforces too.
    static let maxThreads = 1024

    let runtimePath: String
    let capabilities: DeviceCapabilities
    private let cpuDispatch: CPUDispatch
    private let cpuLastError: CPULastError

    init(runtimePath: String) throws {
        guard let library = dlopen(runtimePath, RTLD_NOW | RTLD_GLOBAL) else {
            throw RuntimeError("the test device cannot load libenigma_cpu from \(runtimePath):"
                + " \(dynamicLoaderError("dlopen failed")) (build it with `make build`)")
        }
        guard let dispatch = dlsym(library, "enigma_cpu_dispatch"),
              let lastError = dlsym(library, "enigma_cpu_last_error")
        else {
            throw RuntimeError("\(runtimePath) is not libenigma_cpu: it lacks enigma_cpu_dispatch"
                + " or enigma_cpu_last_error")
        }
        self.runtimePath = runtimePath
        cpuDispatch = unsafeBitCast(dispatch, to: CPUDispatch.self)
        cpuLastError = unsafeBitCast(lastError, to: CPULastError.self)
        capabilities = DeviceCapabilities(
            name: "Enigma test device (cpu kernel objects)", gpuFamily: "test",
            simdgroupSize: Self.simdWidth,
            maxThreadgroupSize: Size3(Self.maxThreads, Self.maxThreads, Self.maxThreads),
            maxThreadgroupMemoryBytes: 32768, supportsAsyncCopy: false, unifiedMemory: true)
    }

    func makeLibrary(bytes: UnsafeRawBufferPointer) throws -> any RuntimeLibrary {
        // dlopen needs a file: a private one, unlinked as soon as it is mapped,
        // so nothing is left behind even if the process dies.
        let path = try writeTemporaryFile(bytes, prefix: "enigma-rt-kernel")
        defer { unlink(path) }
        return try load(path, origin: "the kernel object bytes (\(bytes.count) bytes)")
    }

    func makeLibrary(path: String) throws -> any RuntimeLibrary {
        try load(path, origin: path)
    }

    private func load(_ path: String, origin: String) throws -> TestLibrary {
        // RTLD_LOCAL: each kernel object keeps its own symbols (every one exports
        // enigma_kernel_entry).
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw RuntimeError("cannot load \(origin) as a cpu-device kernel object:"
                + " \(dynamicLoaderError("dlopen failed"))")
        }
        return try TestLibrary(handle: handle, origin: origin)
    }

    func makeLibrary(source: String) throws -> any RuntimeLibrary {
        throw RuntimeError("the test device runs cpu-device kernel objects, not MSL source:"
            + " build the kernel for device=\"cpu\" and load the object with"
            + " enigma_rt_library_from_file or enigma_rt_library_from_bytes")
    }

    func makePipeline(library: any RuntimeLibrary, function: String,
                      constants: [FunctionConstant]) throws -> any RuntimePipeline {
        guard let library = library as? TestLibrary else {
            throw RuntimeError("the library was not made by the test device")
        }
        guard function == library.kernelName else {
            throw RuntimeError("no kernel function `\(function)` in the kernel object: it holds"
                + " `\(library.kernelName)`")
        }
        return TestPipeline(library: library, constants: constants, maxThreads: Self.maxThreads)
    }

    func makeBuffer(length: Int) throws -> any RuntimeBuffer {
        try HostBuffer(length: length)
    }

    func wrapBuffer(pointer: UnsafeMutableRawPointer, length: Int) throws -> any RuntimeBuffer {
        HostBuffer(wrapping: pointer, length: length)
    }

    func dispatch(pipeline: any RuntimePipeline, arguments: [DispatchArgument], grid: Size3,
                  threads: Size3) throws -> Double {
        guard let pipeline = pipeline as? TestPipeline else {
            throw RuntimeError("the pipeline was not made by the test device")
        }
        // Inline bytes are copied into 16-byte aligned storage, as a Scalar
        // parameter (a `constant T&`) expects its value aligned.
        var copies: [UnsafeMutableRawPointer] = []
        defer { copies.forEach { $0.deallocate() } }
        let pointers: [UnsafeMutableRawPointer?] = arguments.map { argument in
            switch argument {
            case .buffer(let buffer):
                return buffer.contents
            case .bytes(let bytes):
                let copy = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
                copy.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                copies.append(copy)
                return copy
            }
        }
        let gridDims = [UInt32(grid.x), UInt32(grid.y), UInt32(grid.z)]
        let groupDims = [UInt32(threads.x), UInt32(threads.y), UInt32(threads.z)]
        let start = monotonicSeconds()
        let status = pointers.withUnsafeBufferPointer { args in
            cpuDispatch(pipeline.library.entry, args.baseAddress, gridDims, groupDims)
        }
        let micros = (monotonicSeconds() - start) * 1e6
        guard status == 0 else {
            let message = cpuLastError().map { String(cString: $0) } ?? "no message"
            let kind = status == 1 ? "invalid launch" : "kernel fault"
            throw RuntimeError("`\(pipeline.library.kernelName)` failed on the test device"
                + " (\(kind)): \(message)")
        }
        return micros
    }
}
