// End to end on the test device: a real cpu-device kernel object run through a
// real libenigma_cpu. `make swift-build` provides both through the environment
// (scripts/make-swift-test-fixtures.py):
//   ENIGMA_TEST_CPU_RUNTIME    libenigma_cpu.so
//   ENIGMA_TEST_KERNEL_OBJECT  the object of swift_fixture_add(a, b, c: f32, n: uint):
//                              c[i] = a[i] + b[i] for i < n
// Run by hand, without them, these tests skip and say how to get them.

import CEnigmaRuntime
import XCTest

@testable import EnigmaRuntime

final class TestDeviceTests: XCTestCase {
    private var runtimePath = ""
    private var objectPath = ""

    override func setUpWithError() throws {
        let env = ProcessInfo.processInfo.environment
        guard let runtime = env["ENIGMA_TEST_CPU_RUNTIME"],
              let object = env["ENIGMA_TEST_KERNEL_OBJECT"]
        else {
            throw XCTSkip("set ENIGMA_TEST_CPU_RUNTIME and ENIGMA_TEST_KERNEL_OBJECT (`make"
                + " swift-build` does, from scripts/make-swift-test-fixtures.py)")
        }
        runtimePath = runtime
        objectPath = object
    }

    private func device() throws -> UnsafeMutableRawPointer {
        try XCTUnwrap(enigmaRtDeviceCreate("test", runtimePath), lastError())
    }

    private func floats(_ buffer: UnsafeMutableRawPointer, _ n: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: n)
        XCTAssertEqual(enigmaRtBufferDownload(buffer, 0, &out, 4 * n), 0, lastError())
        return out
    }

    /// Runs the fixture kernel over `n` threads on buffers a, b, c with bound `bound`.
    private func runAdd(_ pipeline: UnsafeMutableRawPointer, _ buffers: [UnsafeMutableRawPointer],
                        n: Int, bound: UInt32, threads: UInt32 = 64) -> Int32 {
        let value = scalar(bound)
        defer { value.deallocate() }
        let args = buffers.map { EnigmaRtArgument(buffer: $0, bytes: nil, length: 0) }
            + [EnigmaRtArgument(buffer: nil, bytes: value, length: 4)]
        var micros = -1.0
        let status = enigmaRtDispatch(pipeline, args, 4, [UInt32(n), 1, 1], [threads, 1, 1],
                                      &micros)
        if status == 0 { XCTAssertTrue(micros >= 0, "gpu_us is set: \(micros)") }
        return status
    }

    func testVectorAddFromFileAndBytes() throws {
        let device = try device()
        defer { enigmaRtDeviceRelease(device) }
        var text = [CChar](repeating: 0, count: 512)
        XCTAssertGreaterThan(enigmaRtDeviceCapabilities(device, &text, text.count), 0)
        XCTAssertTrue(String(cString: text).contains(#""gpu_family": "test""#))

        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: objectPath))
        let fromFile = try XCTUnwrap(enigmaRtLibraryFromFile(device, objectPath), lastError())
        let fromBytes = try XCTUnwrap(bytes.withUnsafeBytes {
            enigmaRtLibraryFromBytes(device, $0.baseAddress, $0.count)
        }, lastError())

        let n = 1000
        let a = (0..<n).map { Float($0) }
        let b = (0..<n).map { Float($0) * 0.5 }
        for library in [fromFile, fromBytes] {
            let pipeline = try XCTUnwrap(
                enigmaRtPipelineCreate(library, "swift_fixture_add", nil, 0), lastError())
            enigmaRtLibraryRelease(library)  // the pipeline keeps the object loaded
            let buffers = try (0..<3).map { _ in
                try XCTUnwrap(enigmaRtBufferCreate(device, 4 * n), lastError())
            }
            XCTAssertEqual(enigmaRtBufferUpload(buffers[0], 0, a, 4 * n), 0)
            XCTAssertEqual(enigmaRtBufferUpload(buffers[1], 0, b, 4 * n), 0)
            // A partial last threadgroup, and the bound leaves the tail untouched.
            XCTAssertEqual(runAdd(pipeline, buffers, n: n, bound: UInt32(n - 10)), 0, lastError())
            let c = floats(buffers[2], n)
            XCTAssertEqual(Array(c[..<(n - 10)]), (0..<(n - 10)).map { a[$0] + b[$0] })
            XCTAssertEqual(Array(c[(n - 10)...]), [Float](repeating: 0, count: 10))
            buffers.forEach(enigmaRtBufferRelease)
            enigmaRtPipelineRelease(pipeline)
        }
        XCTAssertEqual(handles.count(.library), 0)
        XCTAssertEqual(handles.count(.pipeline), 0)
    }

    func testWrappedHostMemoryIsWhatTheKernelSees() throws {
        let device = try device()
        defer { enigmaRtDeviceRelease(device) }
        let library = try XCTUnwrap(enigmaRtLibraryFromFile(device, objectPath), lastError())
        let pipeline = try XCTUnwrap(
            enigmaRtPipelineCreate(library, "swift_fixture_add", nil, 0), lastError())
        enigmaRtLibraryRelease(library)
        defer { enigmaRtPipelineRelease(pipeline) }

        let n = pageSize / 4
        let hosts = try (0..<3).map { _ -> UnsafeMutablePointer<Float> in
            try allocatePages(pageSize).bindMemory(to: Float.self, capacity: n)
        }
        defer { hosts.forEach { free($0) } }
        for i in 0..<n {
            hosts[0][i] = Float(i)
            hosts[1][i] = 1
        }
        let buffers = try hosts.map {
            try XCTUnwrap(enigmaRtBufferWrap(device, $0, pageSize), lastError())
        }
        defer { buffers.forEach(enigmaRtBufferRelease) }
        XCTAssertEqual(runAdd(pipeline, buffers, n: n, bound: UInt32(n), threads: 128), 0,
                       lastError())
        XCTAssertEqual(Array(UnsafeBufferPointer(start: hosts[2], count: n)),
                       (0..<n).map { Float($0) + 1 })

        // A buffer of another test device is refused.
        let other = try self.device()
        defer { enigmaRtDeviceRelease(other) }
        let foreign = try XCTUnwrap(enigmaRtBufferCreate(other, pageSize))
        defer { enigmaRtBufferRelease(foreign) }
        XCTAssertEqual(runAdd(pipeline, [buffers[0], buffers[1], foreign], n: n, bound: 1), -1)
        XCTAssertEqual(lastError(), "enigma_rt_dispatch: argument 2 is a buffer of another device"
            + " than the pipeline's: create buffers on the pipeline's device")
    }

    func testTestDeviceErrors() throws {
        let device = try device()
        defer { enigmaRtDeviceRelease(device) }
        XCTAssertNil(enigmaRtLibraryFromSource(device, "kernel void k() {}"))
        XCTAssertEqual(lastError(), "the test device runs cpu-device kernel objects, not MSL"
            + " source: build the kernel for device=\"cpu\" and load the object with"
            + " enigma_rt_library_from_file or enigma_rt_library_from_bytes")

        // libenigma_cpu is a shared object but not a kernel object.
        XCTAssertNil(enigmaRtLibraryFromFile(device, runtimePath))
        XCTAssertEqual(lastError(), "\(runtimePath) is not a cpu-device kernel object: it"
            + " exports no enigma_kernel_entry (build it with enigma for device=\"cpu\")")
        XCTAssertNil(enigmaRtLibraryFromBytes(device, "not an ELF file", 15))
        XCTAssertTrue(lastError().hasPrefix("cannot load the kernel object bytes (15 bytes) as a"
            + " cpu-device kernel object:"), lastError())

        let library = try XCTUnwrap(enigmaRtLibraryFromFile(device, objectPath), lastError())
        defer { enigmaRtLibraryRelease(library) }
        XCTAssertNil(enigmaRtPipelineCreate(library, "vector_add", nil, 0))
        XCTAssertEqual(lastError(), "no kernel function `vector_add` in the kernel object: it"
            + " holds `swift_fixture_add`")
        // Constants are recorded (the object was compiled with its values).
        let constants = [EnigmaRtConstant(index: 0, dtype: 9, bits: 64)]
        let pipeline = try XCTUnwrap(
            enigmaRtPipelineCreate(library, "swift_fixture_add", constants, 1), lastError())
        defer { enigmaRtPipelineRelease(pipeline) }
        let recorded = try handles.resolve(pipeline, as: .pipeline, PipelineHandle.self)
        XCTAssertEqual(recorded.constants, [FunctionConstant(index: 0, type: .uint, bits: 64)])
        var text = [CChar](repeating: 0, count: 256)
        _ = enigmaRtPipelineInfo(pipeline, &text, text.count)
        XCTAssertEqual(String(cString: text), #"{"max_total_threads_per_threadgroup": 1024, "#
            + #""thread_execution_width": 32, "static_threadgroup_memory_bytes": 0}"#)

        let buffers = try (0..<3).map { _ in try XCTUnwrap(enigmaRtBufferCreate(device, 64)) }
        defer { buffers.forEach(enigmaRtBufferRelease) }
        XCTAssertEqual(runAdd(pipeline, buffers, n: 16, bound: 16, threads: 2048), -1)
        XCTAssertEqual(lastError(), "enigma_rt_dispatch: threadgroup (2048, 1, 1) has 2048"
            + " threads, more than `swift_fixture_add` allows (1024): use smaller threads")
    }
}
