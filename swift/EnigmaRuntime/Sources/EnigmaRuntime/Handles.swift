// Opaque handles of the C ABI and their lifetimes.
//
// A handle is an Unmanaged, retained pointer to one of the box classes below,
// registered in a table of live handles with its kind. Every entry point looks
// the pointer up before using it, so a stale, foreign or wrongly typed handle
// is refused with an error instead of crashing the process; release removes
// the entry and drops the retain, exactly once. Boxes keep what they were made
// from alive (pipeline -> library -> device, buffer -> device), so the caller
// may release handles in any order.

/// The kind of a handle, for lookups and messages.
enum HandleKind: String {
    case device, library, pipeline, buffer
}

final class DeviceHandle {
    let device: any RuntimeDevice
    init(_ device: any RuntimeDevice) { self.device = device }
}

final class LibraryHandle {
    let device: DeviceHandle
    let library: any RuntimeLibrary
    init(device: DeviceHandle, library: any RuntimeLibrary) {
        self.device = device
        self.library = library
    }
}

final class PipelineHandle {
    let library: LibraryHandle
    let pipeline: any RuntimePipeline
    let function: String
    let constants: [FunctionConstant]
    var device: DeviceHandle { library.device }
    init(library: LibraryHandle, pipeline: any RuntimePipeline, function: String,
         constants: [FunctionConstant]) {
        self.library = library
        self.pipeline = pipeline
        self.function = function
        self.constants = constants
    }
}

final class BufferHandle {
    let device: DeviceHandle
    let buffer: any RuntimeBuffer
    init(device: DeviceHandle, buffer: any RuntimeBuffer) {
        self.device = device
        self.buffer = buffer
    }
}

/// The live handles, guarded by a mutex (entry points may run on any thread).
final class HandleTable {
    private var live: [UnsafeMutableRawPointer: HandleKind] = [:]
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// A new handle for `object`, retained until `release`.
    func register<T: AnyObject>(_ object: T, as kind: HandleKind) -> UnsafeMutableRawPointer {
        let pointer = Unmanaged.passRetained(object).toOpaque()
        locked { live[pointer] = kind }
        return pointer
    }

    /// The object behind a live handle of `kind`, or a RuntimeError naming `role`.
    func resolve<T: AnyObject>(_ pointer: UnsafeMutableRawPointer?, as kind: HandleKind,
                               _ type: T.Type, role: String? = nil) throws -> T {
        let what = role ?? kind.rawValue
        guard let pointer else {
            throw RuntimeError("the \(what) handle is NULL")
        }
        let found = locked { live[pointer] }
        guard let found else {
            throw RuntimeError("the \(what) handle \(pointer) is not a live \(kind.rawValue)"
                + " (already released, or never returned by this library)")
        }
        guard found == kind else {
            throw RuntimeError("the \(what) handle \(pointer) is a \(found.rawValue), not a"
                + " \(kind.rawValue)")
        }
        return Unmanaged<T>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Drops a handle of `kind`; NULL is ignored.
    func release<T: AnyObject>(_ pointer: UnsafeMutableRawPointer?, as kind: HandleKind,
                               _ type: T.Type) throws {
        guard let pointer else { return }
        _ = try resolve(pointer, as: kind, type)
        let removed = locked { live.removeValue(forKey: pointer) != nil }
        // A concurrent release of the same handle may have won the race.
        guard removed else {
            throw RuntimeError("the \(kind.rawValue) handle \(pointer) was released twice")
        }
        Unmanaged<T>.fromOpaque(pointer).release()
    }

    /// Number of live handles of `kind` (tests check that nothing leaks).
    func count(_ kind: HandleKind) -> Int {
        locked { live.values.filter { $0 == kind }.count }
    }
}

let handles = HandleTable()
