// The few operating-system services the runtime needs, behind one import:
// page size, page-aligned zeroed allocations, a monotonic clock, dlopen and a
// private temporary file. Glibc on Linux, Darwin on macOS; no Foundation, so
// the Linux library depends on the Swift runtime only.

#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Musl)
    @_exported import Musl
#elseif canImport(Darwin)
    @_exported import Darwin
#endif

/// The system page size in bytes (4096 on x86-64 Linux, 16384 on Apple silicon).
let pageSize = Int(getpagesize())

/// `value` rounded up to a multiple of `alignment` (a power of two), or nil on overflow.
func roundUp(_ value: Int, to alignment: Int) -> Int? {
    let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
    return overflow ? nil : sum & ~(alignment - 1)
}

/// `length` zeroed bytes at a page-aligned address (rounded up to whole pages),
/// released with `free`. Throws when the memory is not available.
func allocatePages(_ length: Int) throws -> UnsafeMutableRawPointer {
    guard let rounded = roundUp(max(length, 1), to: pageSize) else {
        throw RuntimeError("cannot allocate \(length) bytes: the size overflows")
    }
    var memory: UnsafeMutableRawPointer?
    let status = posix_memalign(&memory, pageSize, rounded)
    guard status == 0, let memory else {
        throw RuntimeError("cannot allocate \(length) bytes of host memory (errno \(status))")
    }
    memset(memory, 0, rounded)
    return memory
}

/// Seconds on a monotonic clock (for wall-time measurements only).
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// The message of the last dlopen/dlsym failure, or `fallback`.
func dynamicLoaderError(_ fallback: String) -> String {
    guard let message = dlerror() else { return fallback }
    return String(cString: message)
}

/// Writes `bytes` to a new private file (mode 0600) in $TMPDIR and returns its
/// path; the caller removes it.
func writeTemporaryFile(_ bytes: UnsafeRawBufferPointer, prefix: String) throws -> String {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(directory)/\(prefix)-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
        throw RuntimeError(
            "cannot create a temporary file in \(directory): \(String(cString: strerror(errno)))"
                + " (set TMPDIR to a writable directory)")
    }
    let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
        let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw RuntimeError("cannot write the temporary file \(path): \(reason)")
        }
        written += n
    }
    return path
}
