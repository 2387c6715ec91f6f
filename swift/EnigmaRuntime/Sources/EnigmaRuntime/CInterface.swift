// The C entry points of libEnigmaRuntime (include/enigma_runtime.h), exported
// with @_cdecl. Each one resolves its handles, runs the shared validation,
// calls the device and turns a thrown RuntimeError into the thread's last
// error and the ABI's failure value. size_t arrives as Int: a value above
// Int.max shows up negative and fails the range checks.

import CEnigmaRuntime

/// ENIGMA_RT_ABI_VERSION; the header's macro is the same number.
let abiVersion: UInt32 = 1

/// A device of `kind` ("metal" or "test"); `config` is the test device's libenigma_cpu path.
func makeDevice(kind: String, config: String?) throws -> any RuntimeDevice {
    switch kind {
    case "metal":
        #if canImport(Metal)
            return try MetalDevice()
        #else
            throw RuntimeError("the metal device needs macOS: this libEnigmaRuntime was built"
                + " without Metal (use the \"test\" device, or run on a Mac)")
        #endif
    case "test":
        guard let config, !config.isEmpty else {
            throw RuntimeError("the test device needs config = the path of libenigma_cpu.so")
        }
        return try TestDevice(runtimePath: config)
    default:
        throw RuntimeError("unknown device kind \"\(kind)\": use \"metal\" or \"test\"")
    }
}

/// Copies `text` into the caller's `out` (NUL-terminated, truncated to
/// `capacity`) and returns its full length.
func writeText(_ text: String, to out: UnsafeMutablePointer<CChar>?, capacity: Int) throws -> Int64 {
    let bytes = Array(text.utf8)
    if capacity != 0 {
        guard let out else {
            throw RuntimeError("out is NULL but capacity is \(UInt(bitPattern: capacity))")
        }
        let n = capacity < 0 ? bytes.count : min(bytes.count, capacity - 1)
        bytes.withUnsafeBufferPointer { _ = memcpy(out, $0.baseAddress!, n) }
        out[n] = 0
    }
    return Int64(bytes.count)
}

private func string(_ pointer: UnsafePointer<CChar>?, what: String) throws -> String {
    guard let pointer else { throw RuntimeError("\(what) is NULL") }
    return String(cString: pointer)
}

@_cdecl("enigma_rt_abi_version")
public func enigmaRtABIVersion() -> UInt32 {
    abiVersion
}

@_cdecl("enigma_rt_last_error")
public func enigmaRtLastError() -> UnsafePointer<CChar> {
    lastErrorPointer()
}

// MARK: - Devices

@_cdecl("enigma_rt_device_create")
public func enigmaRtDeviceCreate(_ kind: UnsafePointer<CChar>?, _ config: UnsafePointer<CChar>?)
    -> UnsafeMutableRawPointer?
{
    reporting(nil) {
        let name = try string(kind, what: "enigma_rt_device_create: kind")
        let device = try makeDevice(kind: name, config: config.map { String(cString: $0) })
        return handles.register(DeviceHandle(device), as: .device)
    }
}

@_cdecl("enigma_rt_device_release")
public func enigmaRtDeviceRelease(_ device: UnsafeMutableRawPointer?) {
    reporting(()) { try handles.release(device, as: .device, DeviceHandle.self) }
}

@_cdecl("enigma_rt_device_capabilities")
public func enigmaRtDeviceCapabilities(_ device: UnsafeMutableRawPointer?,
                                       _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int)
    -> Int64
{
    reporting(-1) {
        let handle = try handles.resolve(device, as: .device, DeviceHandle.self)
        return try writeText(handle.device.capabilities.json, to: out, capacity: capacity)
    }
}

// MARK: - Libraries

private func registerLibrary(_ device: UnsafeMutableRawPointer?,
                             _ make: (any RuntimeDevice) throws -> any RuntimeLibrary)
    -> UnsafeMutableRawPointer?
{
    reporting(nil) {
        let handle = try handles.resolve(device, as: .device, DeviceHandle.self)
        let library = try make(handle.device)
        return handles.register(LibraryHandle(device: handle, library: library), as: .library)
    }
}

@_cdecl("enigma_rt_library_from_bytes")
public func enigmaRtLibraryFromBytes(_ device: UnsafeMutableRawPointer?,
                                     _ bytes: UnsafeRawPointer?, _ length: Int)
    -> UnsafeMutableRawPointer?
{
    registerLibrary(device) { device in
        guard let bytes, length > 0 else {
            throw RuntimeError("enigma_rt_library_from_bytes: no bytes (NULL or length 0)")
        }
        return try device.makeLibrary(bytes: UnsafeRawBufferPointer(start: bytes, count: length))
    }
}

@_cdecl("enigma_rt_library_from_file")
public func enigmaRtLibraryFromFile(_ device: UnsafeMutableRawPointer?,
                                    _ path: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer?
{
    registerLibrary(device) { device in
        let file = try string(path, what: "enigma_rt_library_from_file: path")
        guard access(file, R_OK) == 0 else {
            throw RuntimeError("enigma_rt_library_from_file: cannot read \(file):"
                + " \(String(cString: strerror(errno)))")
        }
        return try device.makeLibrary(path: file)
    }
}

@_cdecl("enigma_rt_library_from_source")
public func enigmaRtLibraryFromSource(_ device: UnsafeMutableRawPointer?,
                                      _ msl: UnsafePointer<CChar>?) -> UnsafeMutableRawPointer?
{
    registerLibrary(device) { device in
        try device.makeLibrary(source: try string(msl, what: "enigma_rt_library_from_source: msl"))
    }
}

@_cdecl("enigma_rt_library_release")
public func enigmaRtLibraryRelease(_ library: UnsafeMutableRawPointer?) {
    reporting(()) { try handles.release(library, as: .library, LibraryHandle.self) }
}

// MARK: - Pipelines

@_cdecl("enigma_rt_pipeline_create")
public func enigmaRtPipelineCreate(_ library: UnsafeMutableRawPointer?,
                                   _ function: UnsafePointer<CChar>?,
                                   _ constants: UnsafePointer<EnigmaRtConstant>?,
                                   _ count: UInt32) -> UnsafeMutableRawPointer?
{
    reporting(nil) {
        let handle = try handles.resolve(library, as: .library, LibraryHandle.self)
        let name = try string(function, what: "enigma_rt_pipeline_create: function")
        guard !name.isEmpty else {
            throw RuntimeError("enigma_rt_pipeline_create: the function name is empty")
        }
        let values = try parseConstants(constants, count: count)
        let pipeline = try handle.device.device.makePipeline(
            library: handle.library, function: name, constants: values)
        let box = PipelineHandle(library: handle, pipeline: pipeline, function: name,
                                 constants: values)
        return handles.register(box, as: .pipeline)
    }
}

@_cdecl("enigma_rt_pipeline_info")
public func enigmaRtPipelineInfo(_ pipeline: UnsafeMutableRawPointer?,
                                 _ out: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int64
{
    reporting(-1) {
        let handle = try handles.resolve(pipeline, as: .pipeline, PipelineHandle.self)
        return try writeText(handle.pipeline.info.json, to: out, capacity: capacity)
    }
}

@_cdecl("enigma_rt_pipeline_release")
public func enigmaRtPipelineRelease(_ pipeline: UnsafeMutableRawPointer?) {
    reporting(()) { try handles.release(pipeline, as: .pipeline, PipelineHandle.self) }
}

// MARK: - Buffers

@_cdecl("enigma_rt_buffer_create")
public func enigmaRtBufferCreate(_ device: UnsafeMutableRawPointer?, _ length: Int)
    -> UnsafeMutableRawPointer?
{
    reporting(nil) {
        let handle = try handles.resolve(device, as: .device, DeviceHandle.self)
        try checkBufferLength(length, what: "enigma_rt_buffer_create")
        let buffer = try handle.device.makeBuffer(length: length)
        return handles.register(BufferHandle(device: handle, buffer: buffer), as: .buffer)
    }
}

@_cdecl("enigma_rt_buffer_wrap")
public func enigmaRtBufferWrap(_ device: UnsafeMutableRawPointer?,
                               _ host: UnsafeMutableRawPointer?, _ length: Int)
    -> UnsafeMutableRawPointer?
{
    reporting(nil) {
        let handle = try handles.resolve(device, as: .device, DeviceHandle.self)
        let pointer = try checkWrap(host, length: length)
        let buffer = try handle.device.wrapBuffer(pointer: pointer, length: length)
        return handles.register(BufferHandle(device: handle, buffer: buffer), as: .buffer)
    }
}

@_cdecl("enigma_rt_buffer_upload")
public func enigmaRtBufferUpload(_ buffer: UnsafeMutableRawPointer?, _ offset: Int,
                                 _ src: UnsafeRawPointer?, _ length: Int) -> Int32
{
    reporting(-1) {
        let handle = try handles.resolve(buffer, as: .buffer, BufferHandle.self)
        let storage = handle.buffer
        try checkRange(offset: offset, length: length, bufferLength: storage.length,
                       operation: "enigma_rt_buffer_upload")
        if length == 0 { return 0 }
        guard let src else { throw RuntimeError("enigma_rt_buffer_upload: src is NULL") }
        memcpy(storage.contents + offset, src, length)
        return 0
    }
}

@_cdecl("enigma_rt_buffer_download")
public func enigmaRtBufferDownload(_ buffer: UnsafeMutableRawPointer?, _ offset: Int,
                                   _ dst: UnsafeMutableRawPointer?, _ length: Int) -> Int32
{
    reporting(-1) {
        let handle = try handles.resolve(buffer, as: .buffer, BufferHandle.self)
        let storage = handle.buffer
        try checkRange(offset: offset, length: length, bufferLength: storage.length,
                       operation: "enigma_rt_buffer_download")
        if length == 0 { return 0 }
        guard let dst else { throw RuntimeError("enigma_rt_buffer_download: dst is NULL") }
        memcpy(dst, storage.contents + offset, length)
        return 0
    }
}

@_cdecl("enigma_rt_buffer_length")
public func enigmaRtBufferLength(_ buffer: UnsafeMutableRawPointer?) -> Int {
    reporting(0) { try handles.resolve(buffer, as: .buffer, BufferHandle.self).buffer.length }
}

@_cdecl("enigma_rt_buffer_release")
public func enigmaRtBufferRelease(_ buffer: UnsafeMutableRawPointer?) {
    reporting(()) { try handles.release(buffer, as: .buffer, BufferHandle.self) }
}

// MARK: - Dispatch

@_cdecl("enigma_rt_dispatch")
public func enigmaRtDispatch(_ pipeline: UnsafeMutableRawPointer?,
                             _ args: UnsafePointer<EnigmaRtArgument>?, _ count: UInt32,
                             _ grid: UnsafePointer<UInt32>?, _ threads: UnsafePointer<UInt32>?,
                             _ gpuMicroseconds: UnsafeMutablePointer<Double>?) -> Int32
{
    reporting(-1) {
        let handle = try handles.resolve(pipeline, as: .pipeline, PipelineHandle.self)
        let gridSize = try readSize3(grid, what: "grid")
        let groupSize = try readSize3(threads, what: "threads")
        try checkThreadgroup(groupSize, pipeline: handle)
        let arguments = try readArguments(args, count: count, pipeline: handle)
        let micros = try handle.device.device.dispatch(
            pipeline: handle.pipeline, arguments: arguments, grid: gridSize, threads: groupSize)
        gpuMicroseconds?.pointee = micros
        return 0
    }
}
