// Function-constant parsing and the dispatch checks shared by every device,
// through the C entry points on the mock device.

import CEnigmaRuntime
import XCTest

@testable import EnigmaRuntime

final class ValidationTests: XCTestCase {
    func testConstantTypesFollowTheABICodes() throws {
        let names = ConstantType.allCases.map(\.name)
        XCTAssertEqual(names, ["float", "half", "bfloat", "char", "short", "int", "long", "uchar",
                               "ushort", "uint", "ulong", "bool"])
        XCTAssertEqual(ConstantType.allCases.map(\.rawValue), Array(0...11))
        XCTAssertEqual(ConstantType.allCases.map(\.byteSize), [4, 2, 2, 1, 2, 4, 8, 1, 2, 4, 8, 1])
        XCTAssertEqual(ConstantType(rawValue: UInt32(ENIGMA_RT_BFLOAT)), .bfloat)
        XCTAssertEqual(ConstantType(rawValue: UInt32(ENIGMA_RT_BOOL)), .bool)
    }

    func testParseConstantsMasksAndChecks() throws {
        let raw = [
            EnigmaRtConstant(index: 0, dtype: 0, bits: UInt64(Float(1.5).bitPattern)),
            EnigmaRtConstant(index: 3, dtype: 4, bits: 0xffff_ffff_ffff_fffe),  // short -2
            EnigmaRtConstant(index: 1, dtype: 11, bits: 1),
            EnigmaRtConstant(index: 7, dtype: 10, bits: .max),
        ]
        let parsed = try parseConstants(raw, count: 4)
        XCTAssertEqual(parsed, [
            FunctionConstant(index: 0, type: .float, bits: 0x3fc0_0000),
            FunctionConstant(index: 3, type: .short, bits: 0xfffe),
            FunctionConstant(index: 1, type: .bool, bits: 1),
            FunctionConstant(index: 7, type: .ulong, bits: .max),
        ])
        XCTAssertEqual(try parseConstants(nil, count: 0), [])

        func failure(_ constants: [EnigmaRtConstant]) -> String {
            do {
                _ = try parseConstants(constants, count: UInt32(constants.count))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(failure([EnigmaRtConstant(index: 2, dtype: 12, bits: 0)]),
                       "function constant 2: unknown dtype code 12 (codes 0-11: float half bfloat"
                       + " char short int long uchar ushort uint ulong bool)")
        XCTAssertEqual(failure([EnigmaRtConstant(index: 5, dtype: 11, bits: 2)]),
                       "function constant 5: a bool must be 0 or 1, got 2 in its low byte")
        XCTAssertEqual(failure([EnigmaRtConstant(index: 4, dtype: 9, bits: 1),
                                EnigmaRtConstant(index: 4, dtype: 9, bits: 2)]),
                       "function constant index 4 is given twice: give each"
                       + " [[function_constant(N)]] one value")
        XCTAssertThrowsError(try parseConstants(nil, count: 2))
    }

    /// A mock device with a pipeline "k" and an output buffer of 8 uints.
    private func fixture() throws -> (device: UnsafeMutableRawPointer, mock: MockDevice,
                                      pipeline: UnsafeMutableRawPointer,
                                      buffer: UnsafeMutableRawPointer) {
        let (device, mock) = makeMockDevice()
        let library = try XCTUnwrap(enigmaRtLibraryFromBytes(device, "k", 1))
        defer { enigmaRtLibraryRelease(library) }
        let pipeline = try XCTUnwrap(enigmaRtPipelineCreate(library, "k", nil, 0))
        let buffer = try XCTUnwrap(enigmaRtBufferCreate(device, 32))
        return (device, mock, pipeline, buffer)
    }

    private func dispatch(_ pipeline: UnsafeMutableRawPointer?, _ args: [EnigmaRtArgument],
                          grid: [UInt32] = [8, 1, 1], threads: [UInt32] = [4, 1, 1]) -> Int32 {
        var micros = -1.0
        let status = enigmaRtDispatch(pipeline, args, UInt32(args.count), grid, threads, &micros)
        if status == 0 { XCTAssertEqual(micros, 1.5, "gpu_us comes from the device") }
        return status
    }

    func testDispatchMarshalsBuffersAndInlineBytes() throws {
        let f = try fixture()
        defer {
            enigmaRtBufferRelease(f.buffer)
            enigmaRtPipelineRelease(f.pipeline)
            enigmaRtDeviceRelease(f.device)
        }
        let increment = scalar(5)
        defer { increment.deallocate() }
        let args = [EnigmaRtArgument(buffer: f.buffer, bytes: nil, length: 0),
                    EnigmaRtArgument(buffer: nil, bytes: increment, length: 4)]
        XCTAssertEqual(dispatch(f.pipeline, args, grid: [6, 2, 1], threads: [4, 2, 1]), 0)
        XCTAssertEqual(dispatch(f.pipeline, args, grid: [6, 2, 1], threads: [4, 2, 1]), 0)
        var words = [UInt32](repeating: 0, count: 8)
        XCTAssertEqual(enigmaRtBufferDownload(f.buffer, 0, &words, 32), 0)
        XCTAssertEqual(words, [10, 10, 10, 10, 10, 10, 0, 0])
        XCTAssertEqual(f.mock.lastGrid, Size3(6, 2, 1))
        XCTAssertEqual(f.mock.lastThreads, Size3(4, 2, 1))
        // A NULL gpu_us is allowed.
        XCTAssertEqual(enigmaRtDispatch(f.pipeline, args, 2, [1, 1, 1], [1, 1, 1], nil), 0)
    }

    func testDispatchValidationMessages() throws {
        let f = try fixture()
        defer {
            enigmaRtBufferRelease(f.buffer)
            enigmaRtPipelineRelease(f.pipeline)
            enigmaRtDeviceRelease(f.device)
        }
        let increment = scalar(1)
        defer { increment.deallocate() }
        let good = [EnigmaRtArgument(buffer: f.buffer, bytes: nil, length: 0),
                    EnigmaRtArgument(buffer: nil, bytes: increment, length: 4)]
        func rejected(_ args: [EnigmaRtArgument], grid: [UInt32] = [8, 1, 1],
                      threads: [UInt32] = [4, 1, 1]) -> String {
            XCTAssertEqual(dispatch(f.pipeline, args, grid: grid, threads: threads), -1)
            return lastError()
        }
        XCTAssertEqual(rejected(good, grid: [8, 0, 1]), "enigma_rt_dispatch: grid (8, 0, 1) has a"
            + " zero dimension: every dimension must be at least 1")
        XCTAssertEqual(rejected(good, threads: [0, 1, 1]), "enigma_rt_dispatch: threads (0, 1, 1)"
            + " has a zero dimension: every dimension must be at least 1")
        XCTAssertEqual(rejected(good, threads: [16, 16, 2]), "enigma_rt_dispatch: threadgroup"
            + " (16, 16, 2) has 512 threads, more than `k` allows (256): use smaller threads")
        XCTAssertEqual(rejected(good, threads: [1, 1, 128]), "enigma_rt_dispatch: threadgroup"
            + " (1, 1, 128) exceeds the device's per-dimension limits (512, 256, 64)")
        XCTAssertEqual(enigmaRtDispatch(f.pipeline, good, 2, nil, [1, 1, 1], nil), -1)
        XCTAssertEqual(lastError(), "enigma_rt_dispatch: grid is NULL: pass three uint32_t")
        XCTAssertEqual(enigmaRtDispatch(f.pipeline, nil, 2, [1, 1, 1], [1, 1, 1], nil), -1)
        XCTAssertEqual(lastError(), "enigma_rt_dispatch: args is NULL but count is 2")
        XCTAssertEqual(
            rejected([good[0], EnigmaRtArgument(buffer: nil, bytes: nil, length: 4)]),
            "enigma_rt_dispatch: argument 1 has neither a buffer nor bytes")
        XCTAssertEqual(
            rejected([good[0], EnigmaRtArgument(buffer: nil, bytes: increment, length: 0)]),
            "enigma_rt_dispatch: argument 1 has 0 inline bytes: inline (scalar) arguments take 1"
            + " to 4096 bytes; pass larger data in a buffer")
        XCTAssertEqual(
            rejected([good[0], EnigmaRtArgument(buffer: nil, bytes: increment, length: 4097)]),
            "enigma_rt_dispatch: argument 1 has 4097 inline bytes: inline (scalar) arguments"
            + " take 1 to 4096 bytes; pass larger data in a buffer")
        XCTAssertEqual(rejected(Array(repeating: good[1], count: 32)), "enigma_rt_dispatch: 32"
            + " arguments, but a Metal kernel binds at most 31 buffers")

        // A buffer of another device, and a released one.
        let (other, _) = makeMockDevice()
        let foreign = try XCTUnwrap(enigmaRtBufferCreate(other, 32))
        enigmaRtDeviceRelease(other)
        XCTAssertEqual(rejected([EnigmaRtArgument(buffer: foreign, bytes: nil, length: 0),
                                 good[1]]),
                       "enigma_rt_dispatch: argument 0 is a buffer of another device than the"
                       + " pipeline's: create buffers on the pipeline's device")
        enigmaRtBufferRelease(foreign)
        let stale = rejected([EnigmaRtArgument(buffer: foreign, bytes: nil, length: 0), good[1]])
        XCTAssertTrue(stale.hasPrefix("the argument 0 buffer handle"), stale)
        XCTAssertTrue(stale.hasSuffix("is not a live buffer (already released, or never returned"
            + " by this library)"), stale)
    }

    func testRequiredArgumentsWhenTheDeviceKnowsThem() throws {
        let (device, mock) = makeMockDevice()
        defer { enigmaRtDeviceRelease(device) }
        mock.pipelineInfo.requiredArguments = 3
        let library = try XCTUnwrap(enigmaRtLibraryFromBytes(device, "k", 1))
        let pipeline = try XCTUnwrap(enigmaRtPipelineCreate(library, "k", nil, 0))
        enigmaRtLibraryRelease(library)  // the pipeline keeps it alive
        defer { enigmaRtPipelineRelease(pipeline) }
        let one = scalar(1)
        defer { one.deallocate() }
        let args = [EnigmaRtArgument(buffer: nil, bytes: one, length: 4)]
        XCTAssertEqual(dispatch(pipeline, args), -1)
        XCTAssertEqual(lastError(), "enigma_rt_dispatch: `k` binds [[buffer(0)]] to"
            + " [[buffer(2)]], so it takes 3 arguments; 1 given")
    }

    func testPipelineInfoAndCreationErrors() throws {
        let f = try fixture()
        defer {
            enigmaRtBufferRelease(f.buffer)
            enigmaRtPipelineRelease(f.pipeline)
            enigmaRtDeviceRelease(f.device)
        }
        var text = [CChar](repeating: 0, count: 256)
        let length = enigmaRtPipelineInfo(f.pipeline, &text, text.count)
        XCTAssertEqual(String(cString: text), #"{"max_total_threads_per_threadgroup": 256, "#
            + #""thread_execution_width": 32, "static_threadgroup_memory_bytes": 1024}"#)
        XCTAssertEqual(length, Int64(strlen(text)))

        let library = try XCTUnwrap(enigmaRtLibraryFromBytes(f.device, "k", 1))
        defer { enigmaRtLibraryRelease(library) }
        XCTAssertNil(enigmaRtPipelineCreate(library, "", nil, 0))
        XCTAssertEqual(lastError(), "enigma_rt_pipeline_create: the function name is empty")
        XCTAssertNil(enigmaRtPipelineCreate(library, nil, nil, 0))
        XCTAssertEqual(lastError(), "enigma_rt_pipeline_create: function is NULL")
        let bad = [EnigmaRtConstant(index: 0, dtype: 99, bits: 0)]
        XCTAssertNil(enigmaRtPipelineCreate(library, "k", bad, 1))
        XCTAssertTrue(lastError().hasPrefix("function constant 0: unknown dtype code 99"))
        XCTAssertNil(enigmaRtLibraryFromBytes(f.device, nil, 4))
        XCTAssertEqual(lastError(), "enigma_rt_library_from_bytes: no bytes (NULL or length 0)")
        XCTAssertNil(enigmaRtLibraryFromFile(f.device, "/nonexistent.metallib"))
        XCTAssertEqual(lastError(), "enigma_rt_library_from_file: cannot read"
            + " /nonexistent.metallib: No such file or directory")
    }

    func testCpuABIVersionMatchesTheHeader() throws {
        // Tests/EnigmaRuntimeTests -> swift/EnigmaRuntime -> repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let header = root.appendingPathComponent(
            "python/enigma/runtime/cpu/include/enigma_host/abi.h")
        let text = try String(contentsOf: header, encoding: .utf8)
        XCTAssertTrue(text.contains("#define ENIGMA_CPU_ABI_VERSION \(cpuABIVersion)u\n"),
                      "TestDevice.cpuABIVersion must equal ENIGMA_CPU_ABI_VERSION in \(header.path)")
    }
}
