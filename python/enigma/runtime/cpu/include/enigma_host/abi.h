/*===- enigma_host/abi.h - Kernel objects <-> libenigma_cpu ------*- C -*-===//
 *
 * The C ABI between a kernel's shared object (MSL + generated launcher, built
 * by python/enigma/runtime/cpu/build.py) and libenigma_cpu (cpp/cpu_runtime).
 * A kernel object exports one `EnigmaKernelEntry` named `enigma_kernel_entry`;
 * the runtime calls back into it for each threadgroup (barrier-free kernels:
 * the whole group as a loop compiled next to the kernel body) or for each GPU
 * thread (kernels with barriers: one fiber each). The barrier functions go the
 * other way: the kernel calls them and the runtime switches fibers.
 *
 * This one header is included by both sides, so the layouts cannot drift;
 * bump ENIGMA_CPU_ABI_VERSION on any change.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ENIGMA_HOST_ABI_H
#define ENIGMA_HOST_ABI_H

#define ENIGMA_CPU_ABI_VERSION 2u

/* Threads of a simdgroup: Apple GPUs execute 32 lanes together. The launcher
 * derives the simdgroup builtins from it and the runtime groups simdgroup
 * barriers by it. */
#define ENIGMA_SIMD_WIDTH 32u

#ifdef __cplusplus
extern "C" {
#endif

/* One threadgroup of a dispatch, with Metal `dispatchThreads` semantics: the
 * grid counts threads and the last group in each dimension may be partial. */
typedef struct EnigmaGroup {
  unsigned grid[3];     /* threads_per_grid */
  unsigned threads[3];  /* the dispatch's threadgroup size */
  unsigned groups[3];   /* threadgroups_per_grid = ceil(grid / threads) */
  unsigned position[3]; /* threadgroup_position_in_grid */
  unsigned size[3];     /* this group's real size (threads_per_threadgroup) */
} EnigmaGroup;

/* Runs every thread of `group` in order (kernels without barriers). */
typedef void (*EnigmaRunGroupFn)(void *const *args, const EnigmaGroup *group);
/* Runs the thread of linear index `index` in `group` (on a fiber). */
typedef void (*EnigmaRunThreadFn)(void *const *args, const EnigmaGroup *group,
                                  unsigned index);

typedef struct EnigmaKernelEntry {
  unsigned abi_version;   /* ENIGMA_CPU_ABI_VERSION of the launcher */
  unsigned uses_barriers; /* nonzero: run_thread on fibers, else run_group */
  EnigmaRunGroupFn run_group;   /* set when !uses_barriers */
  EnigmaRunThreadFn run_thread; /* set when uses_barriers */
  const char *kernel_name;      /* for error messages */
} EnigmaKernelEntry;

/* Results of enigma_cpu_dispatch; enigma_cpu_last_error() says more. */
enum {
  ENIGMA_CPU_OK = 0,
  ENIGMA_CPU_INVALID_LAUNCH = 1, /* bad grid/threads or entry: nothing ran */
  ENIGMA_CPU_KERNEL_FAULT = 2    /* a kernel trap, barrier misuse, no stacks */
};

#if defined(ENIGMA_CPU_BUILDING_RUNTIME)
#define ENIGMA_CPU_API __attribute__((visibility("default")))
#else
#define ENIGMA_CPU_API
#endif

/* Runs `entry` over `grid` threads in groups of `threads`, all cores, and
 * returns when every thread has finished. `args[i]` points at the i-th kernel
 * parameter (a buffer's data, or a Scalar's value). Thread-safe: concurrent
 * dispatches run one after the other. */
ENIGMA_CPU_API int enigma_cpu_dispatch(const EnigmaKernelEntry *entry,
                                       void *const *args,
                                       const unsigned grid[3],
                                       const unsigned threads[3]);

/* The message of the calling thread's last failed dispatch. */
ENIGMA_CPU_API const char *enigma_cpu_last_error(void);

/* Number of OS threads a dispatch uses (the caller included). */
ENIGMA_CPU_API unsigned enigma_cpu_worker_count(void);

/* Called by kernels (metal_stdlib's threadgroup_barrier/simdgroup_barrier):
 * suspend this GPU thread until every live thread of its threadgroup (or
 * simdgroup) has arrived. */
ENIGMA_CPU_API void enigma_cpu_threadgroup_barrier(void);
ENIGMA_CPU_API void enigma_cpu_simdgroup_barrier(void);

/* A SIMD-group function (enigma_host/simdgroup.h): computes the result of
 * every lane whose bit is set in `active` (bit i: lane i of the SIMD-group)
 * from `records[i]`, the record that lane passed to enigma_cpu_simdgroup_op. */
typedef void (*EnigmaSimdgroupFn)(void *const *records, unsigned active);

/* A loop a GPU thread is in (enigma_host/loop_frames.h), on its stack:
 * `site` is where the loop starts, in the program order of call sites;
 * `iteration` counts the iterations begun since the thread entered it. */
typedef struct EnigmaLoopFrame {
  const struct EnigmaLoopFrame *outer; /* the enclosing loop's, or null */
  unsigned site;
  unsigned iteration;
} EnigmaLoopFrame;

/* Called by kernels for each SIMD-group function call: suspend this GPU
 * thread until the scheduler runs the rendezvous of its SIMD-group at call
 * site `site` in the current iterations of the loops `loop` (innermost, or
 * null outside loops; SimdgroupScheduler.cpp), which calls `compute` once
 * for all lanes waiting there; `record` holds this lane's value and receives
 * its result. */
ENIGMA_CPU_API void enigma_cpu_simdgroup_op(unsigned site,
                                            const EnigmaLoopFrame *loop,
                                            EnigmaSimdgroupFn compute,
                                            void *record);

/* Measures `switches` fiber switches between two fibers and returns the mean
 * nanoseconds per switch (for benchmarks and tests; never timed in tests). */
ENIGMA_CPU_API double enigma_cpu_fiber_switch_ns(unsigned switches);

#ifdef __cplusplus
}
#endif

#endif /* ENIGMA_HOST_ABI_H */
