// Errors and the thread-local "last error" of the C ABI.
//
// Every failure inside the runtime is a RuntimeError whose message says what
// failed and how to fix it; the C entry points catch it, store the message
// for the calling thread (enigma_rt_last_error) and return their failure
// value. The message lives in a pthread-specific malloc'ed C string, replaced
// on the next failure of that thread and freed when the thread exits.

/// A failure reported through the C ABI: `message` becomes enigma_rt_last_error().
struct RuntimeError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

private let lastErrorKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { free($0) }
    precondition(status == 0, "pthread_key_create failed for enigma_rt_last_error")
    return key
}()

/// An empty C string for threads that have not failed yet.
private let noError: UnsafeMutablePointer<CChar> = strdup("")!

/// Records `message` as the calling thread's last error.
func setLastError(_ message: String) {
    let previous = pthread_getspecific(lastErrorKey)
    pthread_setspecific(lastErrorKey, strdup(message))
    free(previous)
}

/// The calling thread's last error ("" if none); valid until its next failure.
func lastErrorPointer() -> UnsafePointer<CChar> {
    guard let message = pthread_getspecific(lastErrorKey) else { return UnsafePointer(noError) }
    return UnsafePointer(message.assumingMemoryBound(to: CChar.self))
}

/// Runs `body`; a thrown error becomes the thread's last error and `failure` is returned.
func reporting<T>(_ failure: T, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch let error as RuntimeError {
        setLastError(error.message)
    } catch {
        setLastError("\(error)")
    }
    return failure
}
