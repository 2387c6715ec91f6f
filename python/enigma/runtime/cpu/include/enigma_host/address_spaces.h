//===- enigma_host/address_spaces.h - Metal qualifiers ----------*- C++ -*-===//
//
// Metal's address-space words and attributes, mapped to host C++:
//
//  * `device`, `thread`: nothing. The CPU has one address space; a buffer
//    parameter `device const float* a` is a plain pointer.
//  * `constant`: `const`. A Scalar parameter `constant uint& n` is bound by
//    the launcher to the value it was given; program-scope constants become
//    const globals.
//  * `kernel`: `static inline`. The generated launcher is compiled in the same
//    translation unit, so the kernel body inlines into the launcher's loop
//    over the threads of a group, and no kernel symbol leaks out.
//  * `threadgroup`: `static thread_local`. Emitted kernels declare their
//    threadgroup arrays at kernel scope (`alignas(16) threadgroup float
//    tg0[256];`, the alignment kept by `static thread_local` storage,
//    docs §4), and the launcher calls the kernel function once per GPU
//    thread, so the array must outlive one call and be shared by the threads
//    of one group only. libenigma_cpu runs a whole threadgroup on one OS
//    thread -- as a plain loop (no barriers) or as fibers that never migrate
//    (barriers) -- and never interleaves two groups on one OS thread, so
//    per-OS-thread storage is exactly per-threadgroup storage. Like Metal's,
//    it is uninitialised at group start (it holds the previous group's data).
//    The word only works on such declarations: a `threadgroup T*` pointer
//    (not emitted today) would need its own spelling.
//
// Metal's attributes (`[[buffer(0)]]`, `[[thread_position_in_grid]]`, ...)
// need nothing: clang ignores attributes it does not know, and the launcher
// passes the values in signature order. The warning about them is silenced
// here so a kernel compiles cleanly.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_ADDRESS_SPACES_H
#define ENIGMA_HOST_ADDRESS_SPACES_H

#pragma clang diagnostic ignored "-Wunknown-attributes"
// `constant const T*` (Metal allows both words) becomes `const const T*`.
#pragma clang diagnostic ignored "-Wduplicate-decl-specifier"

#define device
#define thread
#define constant const
#define kernel static inline
#define threadgroup static thread_local

#endif // ENIGMA_HOST_ADDRESS_SPACES_H
