// A device for the core tests: host buffers, libraries that list kernel names,
// and a dispatch that records its inputs and runs a tiny "kernel" on the CPU
// (buffer 0 += the inline uint of argument 1 for each thread of the grid). It
// lets handle, validation and marshalling tests run without libenigma_cpu.

@testable import EnigmaRuntime

final class MockLibrary: RuntimeLibrary {
    let names: [String]
    init(names: [String]) { self.names = names }
}

final class MockPipeline: RuntimePipeline {
    let info: PipelineInfo
    init(info: PipelineInfo) { self.info = info }
}

final class MockDevice: RuntimeDevice {
    var pipelineInfo = PipelineInfo(
        maxTotalThreadsPerThreadgroup: 256, threadExecutionWidth: 32,
        staticThreadgroupMemoryBytes: 1024, requiredArguments: nil)
    let capabilities = DeviceCapabilities(
        name: "mock \"device\"\n", gpuFamily: "test", simdgroupSize: 32,
        maxThreadgroupSize: Size3(512, 256, 64), maxThreadgroupMemoryBytes: 32768,
        supportsAsyncCopy: false, unifiedMemory: true)
    private(set) var lastGrid: Size3?
    private(set) var lastThreads: Size3?

    func makeLibrary(bytes: UnsafeRawBufferPointer) throws -> any RuntimeLibrary {
        MockLibrary(names: [String(decoding: bytes, as: UTF8.self)])
    }

    func makeLibrary(path: String) throws -> any RuntimeLibrary {
        MockLibrary(names: [path])
    }

    func makeLibrary(source: String) throws -> any RuntimeLibrary {
        throw RuntimeError("mock: no compiler")
    }

    func makePipeline(library: any RuntimeLibrary, function: String,
                      constants: [FunctionConstant]) throws -> any RuntimePipeline {
        guard let library = library as? MockLibrary, library.names.contains(function) else {
            throw RuntimeError("mock: no function \(function)")
        }
        return MockPipeline(info: pipelineInfo)
    }

    func makeBuffer(length: Int) throws -> any RuntimeBuffer {
        try HostBuffer(length: length)
    }

    func wrapBuffer(pointer: UnsafeMutableRawPointer, length: Int) throws -> any RuntimeBuffer {
        HostBuffer(wrapping: pointer, length: length)
    }

    func dispatch(pipeline: any RuntimePipeline, arguments: [DispatchArgument], grid: Size3,
                  threads: Size3) throws -> Double {
        lastGrid = grid
        lastThreads = threads
        guard arguments.count == 2, case .buffer(let out) = arguments[0],
              case .bytes(let value) = arguments[1], value.count == 4
        else { throw RuntimeError("mock: expects (buffer, uint)") }
        let increment = value.loadUnaligned(as: UInt32.self)
        let words = out.contents.assumingMemoryBound(to: UInt32.self)
        for i in 0..<min(grid.x, out.length / 4) { words[i] &+= increment }
        return 1.5
    }
}

/// A handle for a new mock device (the C ABI's factory knows only metal and test).
func makeMockDevice() -> (UnsafeMutableRawPointer, MockDevice) {
    let device = MockDevice()
    return (handles.register(DeviceHandle(device), as: .device), device)
}

/// The thread's last error as a Swift string.
func lastError() -> String {
    String(cString: enigmaRtLastError())
}

/// A uint on the heap whose address outlives the EnigmaRtArgument that holds it
/// (8 bytes, so a 4097-byte read is never attempted: validation stops it first).
func scalar(_ value: UInt32) -> UnsafeMutablePointer<UInt32> {
    let pointer = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
    pointer.initialize(repeating: value, count: 2)
    return pointer
}
