// Checks shared by every device, run by the C entry points before a device
// sees its inputs: buffer lengths and ranges, no-copy wrapping alignment,
// grid and threadgroup sizes against the pipeline and the device, and each
// dispatch argument (a live buffer of the same device, or 1..4096 inline
// bytes). Each failure says what was wrong and what the limit is.

import CEnigmaRuntime

/// Metal binds at most 31 buffers per compute kernel ([[buffer(0)]] to [[buffer(30)]]).
let maxArguments = 31
/// setBytes is for small inline data: Metal documents it for up to 4 KB.
let maxInlineBytes = 4096

/// A positive buffer length that fits in Int.
func checkBufferLength(_ length: Int, what: String) throws {
    guard length > 0 else {
        throw RuntimeError(
            "\(what): a buffer needs a positive length, got \(UInt(bitPattern: length))")
    }
}

/// A no-copy wrap: page-aligned memory, a positive multiple of the page size.
func checkWrap(_ pointer: UnsafeMutableRawPointer?, length: Int) throws -> UnsafeMutableRawPointer {
    guard let pointer else {
        throw RuntimeError("enigma_rt_buffer_wrap: the host pointer is NULL")
    }
    let address = UInt(bitPattern: pointer)
    guard address % UInt(pageSize) == 0 else {
        throw RuntimeError("enigma_rt_buffer_wrap: host memory at \(pointer) is not page-aligned"
            + " (page size \(pageSize) bytes): allocate it page-aligned (posix_memalign, mmap)"
            + " or use enigma_rt_buffer_create and upload")
    }
    guard length > 0, length % pageSize == 0 else {
        throw RuntimeError("enigma_rt_buffer_wrap: length \(length) is not a positive multiple"
            + " of the page size (\(pageSize) bytes): round the allocation up to whole pages")
    }
    return pointer
}

/// `offset ..< offset + length` lies inside a buffer of `bufferLength` bytes.
func checkRange(offset: Int, length: Int, bufferLength: Int, operation: String) throws {
    let (end, overflow) = offset.addingReportingOverflow(length)
    guard offset >= 0, length >= 0, !overflow, end <= bufferLength else {
        throw RuntimeError("\(operation): bytes \(offset)..<\(offset &+ length) are out of range"
            + " for a buffer of \(bufferLength) bytes")
    }
}

/// Three dimensions from a C `uint32_t[3]`, each at least 1.
func readSize3(_ pointer: UnsafePointer<UInt32>?, what: String) throws -> Size3 {
    guard let pointer else {
        throw RuntimeError("enigma_rt_dispatch: \(what) is NULL: pass three uint32_t")
    }
    let size = Size3(Int(pointer[0]), Int(pointer[1]), Int(pointer[2]))
    guard size.x > 0, size.y > 0, size.z > 0 else {
        throw RuntimeError("enigma_rt_dispatch: \(what) \(size) has a zero dimension:"
            + " every dimension must be at least 1")
    }
    return size
}

/// The threadgroup size fits the pipeline and the device.
func checkThreadgroup(_ threads: Size3, pipeline: PipelineHandle) throws {
    let info = pipeline.pipeline.info
    let limits = pipeline.device.device.capabilities.maxThreadgroupSize
    let total = threads.x * threads.y * threads.z
    guard total <= info.maxTotalThreadsPerThreadgroup else {
        throw RuntimeError("enigma_rt_dispatch: threadgroup \(threads) has \(total) threads, more"
            + " than `\(pipeline.function)` allows (\(info.maxTotalThreadsPerThreadgroup)):"
            + " use smaller threads")
    }
    guard threads.x <= limits.x, threads.y <= limits.y, threads.z <= limits.z else {
        throw RuntimeError("enigma_rt_dispatch: threadgroup \(threads) exceeds the device's"
            + " per-dimension limits \(limits)")
    }
}

/// The dispatch arguments, checked: count, live buffers of the pipeline's
/// device, inline bytes present and at most 4 KB.
func readArguments(_ pointer: UnsafePointer<EnigmaRtArgument>?, count: UInt32,
                   pipeline: PipelineHandle) throws -> [DispatchArgument] {
    let n = Int(count)
    guard n <= maxArguments else {
        throw RuntimeError("enigma_rt_dispatch: \(n) arguments, but a Metal kernel binds at"
            + " most \(maxArguments) buffers")
    }
    if let required = pipeline.pipeline.info.requiredArguments, n < required {
        throw RuntimeError("enigma_rt_dispatch: `\(pipeline.function)` binds [[buffer(0)]] to"
            + " [[buffer(\(required - 1))]], so it takes \(required) arguments; \(n) given")
    }
    if n == 0 { return [] }
    guard let pointer else {
        throw RuntimeError("enigma_rt_dispatch: args is NULL but count is \(n)")
    }
    return try (0..<n).map { i in
        let raw = pointer[i]
        if let handle = raw.buffer {
            let buffer = try handles.resolve(
                handle, as: .buffer, BufferHandle.self, role: "argument \(i) buffer")
            guard buffer.device === pipeline.device else {
                throw RuntimeError("enigma_rt_dispatch: argument \(i) is a buffer of another"
                    + " device than the pipeline's: create buffers on the pipeline's device")
            }
            return .buffer(buffer.buffer)
        }
        guard let bytes = raw.bytes else {
            throw RuntimeError("enigma_rt_dispatch: argument \(i) has neither a buffer nor bytes")
        }
        guard raw.length > 0, raw.length <= maxInlineBytes else {
            throw RuntimeError("enigma_rt_dispatch: argument \(i) has \(raw.length) inline bytes:"
                + " inline (scalar) arguments take 1 to \(maxInlineBytes) bytes; pass larger"
                + " data in a buffer")
        }
        return .bytes(UnsafeRawBufferPointer(start: bytes, count: raw.length))
    }
}
