// Handle lifecycle, buffers (create, upload, download, ranges, no-copy
// wrapping) and the JSON/text conventions of the C ABI, on the mock device.

import CEnigmaRuntime
import Dispatch
import XCTest

@testable import EnigmaRuntime

final class HandleAndBufferTests: XCTestCase {
    func testABIVersionMatchesHeader() {
        XCTAssertEqual(enigmaRtABIVersion(), 1)
        XCTAssertEqual(enigmaRtABIVersion(), ENIGMA_RT_ABI_VERSION)
    }

    func testUnknownDeviceKindAndMissingConfig() {
        XCTAssertNil(enigmaRtDeviceCreate("cuda", nil))
        XCTAssertEqual(lastError(), "unknown device kind \"cuda\": use \"metal\" or \"test\"")
        XCTAssertNil(enigmaRtDeviceCreate("test", nil))
        XCTAssertEqual(lastError(), "the test device needs config = the path of libenigma_cpu.so")
        XCTAssertNil(enigmaRtDeviceCreate("test", "/nonexistent/libenigma_cpu.so"))
        XCTAssertTrue(lastError().hasPrefix(
            "the test device cannot load libenigma_cpu from /nonexistent/libenigma_cpu.so:"))
        XCTAssertNil(enigmaRtDeviceCreate(nil, nil))
        XCTAssertEqual(lastError(), "enigma_rt_device_create: kind is NULL")
    }

    #if !canImport(Metal)
        func testMetalDeviceNeedsMacOS() {
            XCTAssertNil(enigmaRtDeviceCreate("metal", nil))
            XCTAssertTrue(lastError().hasPrefix("the metal device needs macOS"))
        }
    #endif

    func testHandlesAreReleasedExactlyOnceAndCheckedByKind() throws {
        let before = (handles.count(.device), handles.count(.buffer))
        let (device, _) = makeMockDevice()
        let buffer = try XCTUnwrap(enigmaRtBufferCreate(device, 64))
        XCTAssertEqual(handles.count(.buffer), before.1 + 1)

        // A buffer handle where a device is expected, and the reverse.
        XCTAssertEqual(enigmaRtDeviceCapabilities(buffer, nil, 0), -1)
        XCTAssertTrue(lastError().hasSuffix("is a buffer, not a device"), lastError())
        XCTAssertEqual(enigmaRtBufferLength(device), 0)
        XCTAssertTrue(lastError().hasSuffix("is a device, not a buffer"), lastError())

        // The buffer keeps its device alive: release the device first.
        enigmaRtDeviceRelease(device)
        XCTAssertEqual(enigmaRtBufferLength(buffer), 64)
        enigmaRtBufferRelease(buffer)
        XCTAssertEqual(handles.count(.device), before.0)
        XCTAssertEqual(handles.count(.buffer), before.1)

        // A second release is refused, not a crash; NULL is ignored.
        enigmaRtBufferRelease(buffer)
        XCTAssertTrue(lastError().contains("is not a live buffer (already released"), lastError())
        setLastError("")
        enigmaRtBufferRelease(nil)
        XCTAssertEqual(lastError(), "")
        XCTAssertEqual(enigmaRtBufferLength(nil), 0)
        XCTAssertEqual(lastError(), "the buffer handle is NULL")
    }

    func testUploadDownloadAndRanges() throws {
        let (device, _) = makeMockDevice()
        defer { enigmaRtDeviceRelease(device) }
        let buffer = try XCTUnwrap(enigmaRtBufferCreate(device, 16))
        defer { enigmaRtBufferRelease(buffer) }

        var out = [UInt8](repeating: 0xff, count: 16)
        XCTAssertEqual(enigmaRtBufferDownload(buffer, 0, &out, 16), 0)
        XCTAssertEqual(out, [UInt8](repeating: 0, count: 16), "new buffers are zero-filled")

        let data: [UInt8] = [1, 2, 3, 4]
        XCTAssertEqual(enigmaRtBufferUpload(buffer, 12, data, 4), 0)
        var tail = [UInt8](repeating: 0, count: 6)
        XCTAssertEqual(enigmaRtBufferDownload(buffer, 10, &tail, 6), 0)
        XCTAssertEqual(tail, [0, 0, 1, 2, 3, 4])

        XCTAssertEqual(enigmaRtBufferUpload(buffer, 13, data, 4), -1)
        XCTAssertEqual(lastError(), "enigma_rt_buffer_upload: bytes 13..<17 are out of range"
            + " for a buffer of 16 bytes")
        XCTAssertEqual(enigmaRtBufferDownload(buffer, -1, &tail, 1), -1, "size_t above Int.max")
        XCTAssertTrue(lastError().hasPrefix("enigma_rt_buffer_download: bytes"), lastError())
        XCTAssertEqual(enigmaRtBufferDownload(buffer, Int.max, &tail, 2), -1, "overflow")
        XCTAssertEqual(enigmaRtBufferUpload(buffer, 0, nil, 4), -1)
        XCTAssertEqual(lastError(), "enigma_rt_buffer_upload: src is NULL")
        XCTAssertEqual(enigmaRtBufferUpload(buffer, 16, nil, 0), 0, "an empty copy at the end")

        XCTAssertNil(enigmaRtBufferCreate(device, 0))
        XCTAssertEqual(lastError(), "enigma_rt_buffer_create: a buffer needs a positive length,"
            + " got 0")
        XCTAssertNil(enigmaRtBufferCreate(device, -5))
        XCTAssertTrue(lastError().hasSuffix("got \(UInt(bitPattern: -5))"), lastError())
    }

    func testWrapNeedsPageAlignedWholePages() throws {
        let (device, _) = makeMockDevice()
        defer { enigmaRtDeviceRelease(device) }
        var memory: UnsafeMutableRawPointer?
        XCTAssertEqual(posix_memalign(&memory, pageSize, 2 * pageSize), 0)
        let host = try XCTUnwrap(memory)
        defer { free(host) }

        XCTAssertNil(enigmaRtBufferWrap(device, host + 8, pageSize))
        XCTAssertTrue(lastError().contains("is not page-aligned (page size \(pageSize) bytes)"),
                      lastError())
        XCTAssertNil(enigmaRtBufferWrap(device, host, pageSize + 1))
        XCTAssertEqual(lastError(), "enigma_rt_buffer_wrap: length \(pageSize + 1) is not a"
            + " positive multiple of the page size (\(pageSize) bytes): round the allocation up"
            + " to whole pages")
        XCTAssertNil(enigmaRtBufferWrap(device, nil, pageSize))
        XCTAssertEqual(lastError(), "enigma_rt_buffer_wrap: the host pointer is NULL")

        // A wrapped buffer is the host memory itself, both ways.
        let buffer = try XCTUnwrap(enigmaRtBufferWrap(device, host, 2 * pageSize))
        host.storeBytes(of: 0xdead_beef, toByteOffset: 100, as: UInt32.self)
        var word: UInt32 = 0
        XCTAssertEqual(enigmaRtBufferDownload(buffer, 100, &word, 4), 0)
        XCTAssertEqual(word, 0xdead_beef)
        var seven: UInt32 = 7
        XCTAssertEqual(enigmaRtBufferUpload(buffer, 0, &seven, 4), 0)
        XCTAssertEqual(host.load(as: UInt32.self), 7)
        enigmaRtBufferRelease(buffer)
        XCTAssertEqual(host.load(as: UInt32.self), 7, "releasing a wrap leaves the memory")
    }

    func testCapabilitiesJSONSizingAndEscaping() throws {
        let (device, _) = makeMockDevice()
        defer { enigmaRtDeviceRelease(device) }
        let expected = #"{"name": "mock \"device\"\n", "gpu_family": "test", "simdgroup_size": 32, "#
            + #""max_threads_per_threadgroup": 512, "max_threadgroup_memory_bytes": 32768, "#
            + #""supports_async_copy": false, "unified_memory": true}"#
        let length = enigmaRtDeviceCapabilities(device, nil, 0)
        XCTAssertEqual(length, Int64(expected.utf8.count))
        var text = [CChar](repeating: 0x7f, count: Int(length) + 1)
        XCTAssertEqual(enigmaRtDeviceCapabilities(device, &text, text.count), length)
        XCTAssertEqual(String(cString: text), expected)
        var short = [CChar](repeating: 0x7f, count: 6)
        XCTAssertEqual(enigmaRtDeviceCapabilities(device, &short, 6), length, "full length")
        XCTAssertEqual(String(cString: short), "{\"nam", "truncated and NUL-terminated")
        XCTAssertEqual(enigmaRtDeviceCapabilities(device, nil, 8), -1)
        XCTAssertEqual(lastError(), "out is NULL but capacity is 8")
    }

    func testLastErrorIsPerThread() {
        setLastError("main thread's error")
        final class Message: @unchecked Sendable { var text = "" }
        let other = Message()
        // A Dispatch worker is another thread than the test's.
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            _ = enigmaRtDeviceCreate("nope", nil)
            other.text = lastError()
        }
        done.wait()
        XCTAssertEqual(other.text, "unknown device kind \"nope\": use \"metal\" or \"test\"")
        XCTAssertEqual(lastError(), "main thread's error")
    }
}
