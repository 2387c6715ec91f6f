// The C ABI entry points of libEnigmaRuntime. Issue 5 adds the device
// protocol, the Metal implementation and the Linux test device.

/// Version of the runtime's C ABI, checked by the Python ctypes wrapper.
@_cdecl("enigma_runtime_abi_version")
public func enigmaRuntimeABIVersion() -> Int32 {
    return 1
}
