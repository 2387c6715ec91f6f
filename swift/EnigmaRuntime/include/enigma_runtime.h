/*===- enigma_runtime.h - The C ABI of libEnigmaRuntime ----------*- C -*-===//
 *
 * libEnigmaRuntime runs Enigma kernels through Metal (macOS) or, on any OS,
 * through a test device that runs cpu-device kernel objects. Python's
 * enigma.runtime.metal drives it through ctypes; any C consumer can link it.
 * The Swift package (Sources/EnigmaRuntime) exports every function below with
 * @_cdecl and imports this very header for the struct layouts, so the two
 * sides cannot drift. Bump ENIGMA_RT_ABI_VERSION on any change.
 *
 * Conventions
 *  - Handles (device, library, pipeline, buffer) are opaque pointers. Each is
 *    released exactly once with its own *_release function; releasing NULL
 *    does nothing. A handle that is not live (never created, or already
 *    released) is refused with an error instead of being dereferenced.
 *  - A pipeline keeps its library and device alive, a library and a buffer
 *    keep their device alive: handles may be released in any order.
 *  - Failure: NULL (constructors), -1 (int results) or 0 (buffer length), and
 *    enigma_rt_last_error() says what failed and how to fix it.
 *  - Functions may be called from any thread; a dispatch is synchronous.
 *
 * Example (C):
 *   void *dev = enigma_rt_device_create("metal", NULL);
 *   void *lib = enigma_rt_library_from_file(dev, "add.metallib");
 *   void *pso = enigma_rt_pipeline_create(lib, "add", NULL, 0);
 *   void *buf = enigma_rt_buffer_create(dev, 4096);
 *   EnigmaRtArgument args[2] = {{buf, NULL, 0}, {NULL, &n, sizeof n}};
 *   uint32_t grid[3] = {1024, 1, 1}, threads[3] = {256, 1, 1};
 *   double us;
 *   if (enigma_rt_dispatch(pso, args, 2, grid, threads, &us) != 0)
 *     fprintf(stderr, "%s\n", enigma_rt_last_error());
 *
 *===----------------------------------------------------------------------===*/

#ifndef ENIGMA_RUNTIME_H
#define ENIGMA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENIGMA_RT_ABI_VERSION 1u

/* ENIGMA_RT_ABI_VERSION of the loaded library: check it before anything. */
uint32_t enigma_rt_abi_version(void);

/* The calling thread's last failure message ("" if none). Successful calls
 * leave it as it is. The pointer is valid until that thread's next call into
 * this library. */
const char *enigma_rt_last_error(void);

/* ---- Devices ------------------------------------------------------------ */

/* `kind` "metal": the system default MTLDevice (macOS; `config` NULL).
 * `kind` "test": any OS; runs cpu-device kernel objects through libenigma_cpu,
 * `config` = the path of libenigma_cpu.so to dlopen (RTLD_GLOBAL; pass the
 * same library the process already uses, if any). NULL on failure. */
void *enigma_rt_device_create(const char *kind, const char *config);
void enigma_rt_device_release(void *device);

/* Writes a JSON object into `out` (at most `capacity` bytes, NUL included;
 * `out` may be NULL when `capacity` is 0) and returns the full length needed
 * without the NUL, or -1 on failure. Call with capacity 0 to size a buffer.
 *   {"name": str, "gpu_family": "apple9"|"apple8"|...|"mac2"|"test",
 *    "simdgroup_size": 32, "max_threads_per_threadgroup": int,
 *    "max_threadgroup_memory_bytes": int, "supports_async_copy": bool,
 *    "unified_memory": bool} */
int64_t enigma_rt_device_capabilities(void *device, char *out, size_t capacity);

/* ---- Libraries ---------------------------------------------------------- */

/* Metal: a .metallib; test device: a cpu-device kernel object (the bytes of
 * its .so). The bytes are copied. */
void *enigma_rt_library_from_bytes(void *device, const void *bytes, size_t length);
/* The same, from a file. */
void *enigma_rt_library_from_file(void *device, const char *path);
/* Metal: compiles MSL in process (makeLibrary(source:options:)); the error
 * carries the compiler's messages. The test device refuses (it runs kernel
 * objects only). */
void *enigma_rt_library_from_source(void *device, const char *msl);
void enigma_rt_library_release(void *library);

/* ---- Pipelines ---------------------------------------------------------- */

/* Function-constant value types (MSL scalar types). */
enum {
  ENIGMA_RT_FLOAT = 0,
  ENIGMA_RT_HALF = 1,
  ENIGMA_RT_BFLOAT = 2, /* Metal: macOS 14 or later */
  ENIGMA_RT_CHAR = 3,
  ENIGMA_RT_SHORT = 4,
  ENIGMA_RT_INT = 5,
  ENIGMA_RT_LONG = 6,
  ENIGMA_RT_UCHAR = 7,
  ENIGMA_RT_USHORT = 8,
  ENIGMA_RT_UINT = 9,
  ENIGMA_RT_ULONG = 10,
  ENIGMA_RT_BOOL = 11 /* the low byte, 0 or 1 */
};

/* The value of [[function_constant(index)]]: its bit pattern in the low
 * bytes of `bits` (little-endian: a float is its 32 IEEE bits, a half its 16
 * bits); the remaining high bytes are ignored. */
typedef struct EnigmaRtConstant {
  uint32_t index;
  uint32_t dtype;
  uint64_t bits;
} EnigmaRtConstant;

/* The kernel `function` of `library`, specialised with `count` constants
 * (`constants` may be NULL when count is 0; indices must be distinct). Metal
 * compiles the pipeline here. The test device checks that the object's kernel
 * is named `function` and records the constants (they are already compiled
 * into a cpu-device object). NULL on failure (unknown function, bad constant,
 * Metal compile error). */
void *enigma_rt_pipeline_create(void *library, const char *function,
                                const EnigmaRtConstant *constants, uint32_t count);
/* JSON {"max_total_threads_per_threadgroup": int, "thread_execution_width":
 * int, "static_threadgroup_memory_bytes": int}; same convention as
 * enigma_rt_device_capabilities. */
int64_t enigma_rt_pipeline_info(void *pipeline, char *out, size_t capacity);
void enigma_rt_pipeline_release(void *pipeline);

/* ---- Buffers ------------------------------------------------------------ */

/* `length` (> 0) bytes of shared storage (CPU-visible), zero-filled. */
void *enigma_rt_buffer_create(void *device, size_t length);
/* A buffer over `host` without copying: `host` must be page-aligned and
 * `length` a positive multiple of the page size (getpagesize(): 16384 on
 * Apple silicon, 4096 on x86-64 Linux), else NULL with an error saying so.
 * The memory must outlive the buffer handle and every dispatch using it. */
void *enigma_rt_buffer_wrap(void *device, void *host, size_t length);
/* Copy `length` bytes into / out of the buffer at `offset`. 0 ok, -1 error
 * (offset + length past the end, NULL pointer with a nonzero length...).
 * Call them only while no dispatch using the buffer is running. */
int32_t enigma_rt_buffer_upload(void *buffer, size_t offset, const void *src, size_t length);
int32_t enigma_rt_buffer_download(void *buffer, size_t offset, void *dst, size_t length);
/* The buffer's length in bytes, 0 for an invalid handle. */
size_t enigma_rt_buffer_length(void *buffer);
void enigma_rt_buffer_release(void *buffer);

/* ---- Dispatch ----------------------------------------------------------- */

/* Argument i binds [[buffer(i)]]: `buffer` != NULL binds that buffer (offset
 * 0; `bytes` and `length` are ignored); else `length` (1..4096) bytes at
 * `bytes` are copied inline (setBytes), i.e. a Scalar. */
typedef struct EnigmaRtArgument {
  void *buffer;
  const void *bytes;
  size_t length;
} EnigmaRtArgument;

/* Runs `pipeline` with Metal dispatchThreads semantics: `grid` counts threads
 * (each dimension >= 1), `threads` is the threadgroup size (each dimension
 * >= 1, product <= the pipeline's max_total_threads_per_threadgroup); the
 * last group in a dimension may be partial. Synchronous: returns when the
 * kernel has finished. `gpu_us` (nullable) receives the GPU time in
 * microseconds (gpuEndTime - gpuStartTime of the command buffer on Metal; the
 * dispatch's wall time on the test device). 0 ok, -1 error: a validation
 * failure (sizes, argument count != the kernel's where the device knows it,
 * a buffer of another device), or the command buffer's error. */
int32_t enigma_rt_dispatch(void *pipeline, const EnigmaRtArgument *args, uint32_t count,
                           const uint32_t grid[3], const uint32_t threads[3],
                           double *gpu_us);

#ifdef __cplusplus
}
#endif

#endif /* ENIGMA_RUNTIME_H */
