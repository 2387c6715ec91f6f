// The Metal device (macOS): the system default MTLDevice behind the device
// protocol. Libraries come from a .metallib (bytes or file) or from MSL
// compiled in process; pipelines are compute pipeline states specialised with
// MTLFunctionConstantValues; buffers use shared storage, so upload/download
// are plain copies into contents(); a dispatch is one command buffer with one
// compute encoder (dispatchThreads), committed and waited for, timed with the
// command buffer's GPU timestamps.
//
// Compiled only where Metal exists; it cannot be built on Linux, so every call
// here follows Apple's Swift signatures (Metal framework, macOS 13 SDK or
// later). Each entry wraps its work in an autorelease pool: the runtime is
// called from a plain thread (ctypes) with no pool of its own, and Metal
// returns autoreleased objects (command buffers, encoders, reflection).

#if canImport(Metal)
    import Foundation
    import Metal

    /// The MTLDataType of a function-constant type.
    func metalDataType(_ type: ConstantType) throws -> MTLDataType {
        switch type {
        case .float: return .float
        case .half: return .half
        case .bfloat:
            if #available(macOS 14.0, *) { return .bfloat }
            throw RuntimeError("bfloat function constants need macOS 14 or later")
        case .char: return .char
        case .short: return .short
        case .int: return .int
        case .long: return .long
        case .uchar: return .uchar
        case .ushort: return .ushort
        case .uint: return .uint
        case .ulong: return .ulong
        case .bool: return .bool
        }
    }

    final class MetalLibrary: RuntimeLibrary {
        let library: MTLLibrary
        init(_ library: MTLLibrary) { self.library = library }
    }

    final class MetalPipeline: RuntimePipeline {
        let state: MTLComputePipelineState
        let info: PipelineInfo
        init(_ state: MTLComputePipelineState, requiredArguments: Int?) {
            self.state = state
            info = PipelineInfo(
                maxTotalThreadsPerThreadgroup: state.maxTotalThreadsPerThreadgroup,
                threadExecutionWidth: state.threadExecutionWidth,
                staticThreadgroupMemoryBytes: state.staticThreadgroupMemoryLength,
                requiredArguments: requiredArguments)
        }
    }

    final class MetalBuffer: RuntimeBuffer {
        let buffer: MTLBuffer
        let length: Int
        var contents: UnsafeMutableRawPointer { buffer.contents() }
        init(_ buffer: MTLBuffer, length: Int) {
            self.buffer = buffer
            self.length = length
        }
    }

    /// A dispatch argument as the encoder binds it.
    enum MetalBinding {
        case buffer(MTLBuffer)
        case bytes(UnsafeRawBufferPointer)
    }

    final class MetalDevice: RuntimeDevice {
        let device: MTLDevice
        /// One queue per device: dispatches run in submission order.
        let queue: MTLCommandQueue
        let capabilities: DeviceCapabilities

        init() throws {
            guard let device = Self.systemDevice() else {
                throw RuntimeError("no Metal device: MTLCreateSystemDefaultDevice() returned nil"
                    + " (no Metal GPU, or a session without GPU access such as some VMs)")
            }
            guard let queue = device.makeCommandQueue() else {
                throw RuntimeError("Metal could not create a command queue on \(device.name)")
            }
            self.device = device
            self.queue = queue
            let family = Self.gpuFamily(of: device)
            let limits = device.maxThreadsPerThreadgroup
            capabilities = DeviceCapabilities(
                name: device.name, gpuFamily: family.name,
                // Apple GPUs execute 32-wide SIMD-groups (a pipeline's
                // threadExecutionWidth reports it per kernel).
                simdgroupSize: 32,
                maxThreadgroupSize: Size3(limits.width, limits.height, limits.depth),
                maxThreadgroupMemoryBytes: device.maxThreadgroupMemoryLength,
                supportsAsyncCopy: family.generation >= 9,
                unifiedMemory: device.hasUnifiedMemory)
        }

        /// The system default GPU. A command-line process may get nil from
        /// MTLCreateSystemDefaultDevice on some Macs while the list of all
        /// devices (macOS only) still has the GPU.
        static func systemDevice() -> MTLDevice? {
            if let device = MTLCreateSystemDefaultDevice() { return device }
            #if os(macOS)
                return MTLCopyAllDevices().first
            #else
                return nil
            #endif
        }

        /// The newest Apple family the GPU supports ("apple9", ...), else "mac2".
        static func gpuFamily(of device: MTLDevice) -> (name: String, generation: Int) {
            if #available(macOS 14.0, *), device.supportsFamily(.apple9) {
                return ("apple9", 9)
            }
            let apple: [(MTLGPUFamily, Int)] = [
                (.apple8, 8), (.apple7, 7), (.apple6, 6), (.apple5, 5),
                (.apple4, 4), (.apple3, 3), (.apple2, 2), (.apple1, 1),
            ]
            for (family, generation) in apple where device.supportsFamily(family) {
                return ("apple\(generation)", generation)
            }
            return device.supportsFamily(.mac2) ? ("mac2", 0) : ("unknown", 0)
        }

        func makeLibrary(bytes: UnsafeRawBufferPointer) throws -> any RuntimeLibrary {
            try autoreleasepool {
                let data = DispatchData(bytes: bytes)  // a copy the library may keep
                do {
                    return MetalLibrary(try device.makeLibrary(data: data))
                } catch {
                    throw RuntimeError("Metal could not load the metallib (\(bytes.count) bytes):"
                        + " \(error.localizedDescription)")
                }
            }
        }

        func makeLibrary(path: String) throws -> any RuntimeLibrary {
            try autoreleasepool {
                do {
                    return MetalLibrary(try device.makeLibrary(URL: URL(fileURLWithPath: path)))
                } catch {
                    throw RuntimeError("Metal could not load the metallib \(path):"
                        + " \(error.localizedDescription)")
                }
            }
        }

        func makeLibrary(source: String) throws -> any RuntimeLibrary {
            try autoreleasepool {
                // The offline toolchain's settings (compiler/metal_toolchain.py):
                // Metal 3.2 (bfloat, scoped fences) and no fast math, so a
                // kernel computes the same here as from a .metallib (Enigma's
                // math is precise by default, docs/kernel-language.md).
                let options = MTLCompileOptions()
                if #available(macOS 15.0, *) {
                    options.languageVersion = .version3_2
                    options.mathMode = .safe
                    options.mathFloatingPointFunctions = .precise
                } else {
                    options.fastMathEnabled = false
                }
                do {
                    return MetalLibrary(try device.makeLibrary(source: source, options: options))
                } catch {
                    throw RuntimeError("the Metal compiler rejected the MSL:\n"
                        + error.localizedDescription)
                }
            }
        }

        func makePipeline(library: any RuntimeLibrary, function: String,
                          constants: [FunctionConstant]) throws -> any RuntimePipeline {
            guard let library = (library as? MetalLibrary)?.library else {
                throw RuntimeError("the library was not made by the Metal device")
            }
            return try autoreleasepool {
                guard library.functionNames.contains(function) else {
                    let names = library.functionNames.sorted().joined(separator: ", ")
                    throw RuntimeError("no kernel function `\(function)` in the Metal library"
                        + " (it has: \(names.isEmpty ? "none" : names))")
                }
                let mtlFunction = try Self.function(function, in: library, constants: constants)
                var reflection: MTLAutoreleasedComputePipelineReflection?
                let state: MTLComputePipelineState
                do {
                    state = try device.makeComputePipelineState(
                        function: mtlFunction, options: [.bindingInfo], reflection: &reflection)
                } catch {
                    throw RuntimeError("Metal could not create the compute pipeline of"
                        + " `\(function)`: \(error.localizedDescription)")
                }
                return MetalPipeline(state, requiredArguments: Self.requiredArguments(reflection))
            }
        }

        /// The kernel function, specialised when constants are given (a kernel
        /// without function constants takes the plain lookup, as Metal intends).
        static func function(_ name: String, in library: MTLLibrary,
                             constants: [FunctionConstant]) throws -> MTLFunction {
            if constants.isEmpty {
                guard let function = library.makeFunction(name: name) else {
                    throw RuntimeError("Metal could not make the function `\(name)`")
                }
                return function
            }
            let values = MTLFunctionConstantValues()
            for constant in constants {
                let type = try metalDataType(constant.type)
                // `bits` holds the value in its low bytes; little-endian hosts
                // (Apple silicon, x86) store those first.
                var bits = constant.bits.littleEndian
                withUnsafeBytes(of: &bits) { raw in
                    values.setConstantValue(raw.baseAddress!, type: type, index: constant.index)
                }
            }
            do {
                return try library.makeFunction(name: name, constantValues: values)
            } catch {
                throw RuntimeError("Metal could not specialise `\(name)` with \(constants.count)"
                    + " function constant(s): \(error.localizedDescription)")
            }
        }

        /// Highest [[buffer(i)]] index + 1 from the reflection; nil without reflection.
        static func requiredArguments(_ reflection: MTLComputePipelineReflection?) -> Int? {
            guard let reflection else { return nil }
            let buffers = reflection.bindings.filter { $0.type == .buffer }
            return (buffers.map { $0.index }.max() ?? -1) + 1
        }

        func makeBuffer(length: Int) throws -> any RuntimeBuffer {
            guard length <= device.maxBufferLength else {
                throw RuntimeError("a buffer of \(length) bytes exceeds the device's limit of"
                    + " \(device.maxBufferLength) bytes")
            }
            guard let buffer = device.makeBuffer(length: length, options: .storageModeShared)
            else {
                throw RuntimeError("Metal could not allocate a buffer of \(length) bytes")
            }
            memset(buffer.contents(), 0, length)  // the ABI promises zero-filled buffers
            return MetalBuffer(buffer, length: length)
        }

        func wrapBuffer(pointer: UnsafeMutableRawPointer, length: Int) throws -> any RuntimeBuffer {
            guard length <= device.maxBufferLength else {
                throw RuntimeError("wrapping \(length) bytes exceeds the device's buffer limit of"
                    + " \(device.maxBufferLength) bytes")
            }
            // No deallocator: the caller owns the memory and outlives the buffer.
            guard let buffer = device.makeBuffer(
                bytesNoCopy: pointer, length: length, options: .storageModeShared,
                deallocator: nil)
            else {
                throw RuntimeError("Metal refused to wrap \(length) bytes at \(pointer) without"
                    + " copying")
            }
            return MetalBuffer(buffer, length: length)
        }

        func dispatch(pipeline: any RuntimePipeline, arguments: [DispatchArgument], grid: Size3,
                      threads: Size3) throws -> Double {
            guard let pipeline = pipeline as? MetalPipeline else {
                throw RuntimeError("the pipeline was not made by the Metal device")
            }
            // Resolve the arguments before encoding: an encoder must not be
            // abandoned without endEncoding.
            let bindings: [MetalBinding] = try arguments.enumerated().map { index, argument in
                switch argument {
                case .buffer(let buffer):
                    guard let metal = buffer as? MetalBuffer else {
                        throw RuntimeError("argument \(index) is not a Metal buffer")
                    }
                    return .buffer(metal.buffer)
                case .bytes(let bytes):
                    return .bytes(bytes)
                }
            }
            return try autoreleasepool {
                guard let commands = queue.makeCommandBuffer() else {
                    throw RuntimeError("Metal could not create a command buffer")
                }
                guard let encoder = commands.makeComputeCommandEncoder() else {
                    throw RuntimeError("Metal could not create a compute command encoder")
                }
                encoder.setComputePipelineState(pipeline.state)
                for (index, binding) in bindings.enumerated() {
                    switch binding {
                    case .buffer(let buffer):
                        encoder.setBuffer(buffer, offset: 0, index: index)
                    case .bytes(let bytes):
                        encoder.setBytes(bytes.baseAddress!, length: bytes.count, index: index)
                    }
                }
                encoder.dispatchThreads(
                    MTLSize(width: grid.x, height: grid.y, depth: grid.z),
                    threadsPerThreadgroup: MTLSize(
                        width: threads.x, height: threads.y, depth: threads.z))
                encoder.endEncoding()
                commands.commit()
                commands.waitUntilCompleted()
                guard commands.status == .completed else {
                    let reason = commands.error?.localizedDescription
                        ?? "command buffer status \(commands.status.rawValue)"
                    throw RuntimeError("the Metal dispatch failed: \(reason)")
                }
                return (commands.gpuEndTime - commands.gpuStartTime) * 1e6
            }
        }
    }
#endif
