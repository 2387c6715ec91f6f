//===- enigma_host/atomic.h - Metal's atomics on the host -------*- C++ -*-===//
//
// Metal's atomic types and `atomic_*_explicit` functions as real host
// atomics: threadgroups run concurrently on several OS threads, so a device
// counter is contended exactly as on a GPU. `atomic<T>` is a T with T's size
// and alignment, so that `(device atomic_uint*)&buf[i]` (how Metal code does
// atomics on a plain buffer; `device` is empty here) addresses the element
// itself. Each function is the clang __atomic builtin with the given order.
//
// Enigma's MSL passes memory_order_relaxed (the only order MSL accepts on
// an atomic) and brackets acquire/release atomics with
// atomic_thread_fence(..., memory_order_seq_cst, ...), a full hardware fence
// here whatever the scope: at least as strong as Metal's.
//
// Float atomics (atomic_float) support what Metal's do: load, store,
// exchange, fetch_add, fetch_sub (fetch_add rounds to nearest even, as the
// float addition it is).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_ATOMIC_H
#define ENIGMA_HOST_ATOMIC_H

#include "enigma_host/synchronization.h"
#include "enigma_host/types.h"

namespace metal {

enum memory_order : int {
  memory_order_relaxed = __ATOMIC_RELAXED,
  memory_order_acquire = __ATOMIC_ACQUIRE,
  memory_order_release = __ATOMIC_RELEASE,
  memory_order_acq_rel = __ATOMIC_ACQ_REL,
  memory_order_seq_cst = __ATOMIC_SEQ_CST,
};

enum thread_scope : int {
  thread_scope_thread,
  thread_scope_simdgroup,
  thread_scope_threadgroup,
  thread_scope_device,
};

template <class T> struct atomic {
  alignas(sizeof(T)) T value; // uninitialised, as Metal's threadgroup memory
};

typedef atomic<int> atomic_int;
typedef atomic<uint> atomic_uint;
typedef atomic<float> atomic_float;
static_assert(sizeof(atomic_uint) == sizeof(uint), "an atomic is its value");

template <class T>
inline T atomic_load_explicit(const atomic<T> *object, memory_order order) {
  T value;
  __atomic_load(&object->value, &value, order);
  return value;
}

template <class T, class U>
inline void atomic_store_explicit(atomic<T> *object, U desired,
                                  memory_order order) {
  T value = desired;
  __atomic_store(&object->value, &value, order);
}

template <class T, class U>
inline T atomic_exchange_explicit(atomic<T> *object, U desired,
                                  memory_order order) {
  T value = desired, old;
  __atomic_exchange(&object->value, &value, &old, order);
  return old;
}

template <class T, class U>
inline bool atomic_compare_exchange_weak_explicit(atomic<T> *object,
                                                  T *expected, U desired,
                                                  memory_order success,
                                                  memory_order failure) {
  T value = desired;
  return __atomic_compare_exchange(&object->value, expected, &value,
                                   /*weak=*/true, success, failure);
}

#define ENIGMA_ATOMIC_FETCH(name, builtin)                                     \
  template <class T, class U>                                                  \
  inline T atomic_fetch_##name##_explicit(atomic<T> *object, U operand,        \
                                          memory_order order) {                \
    return builtin(&object->value, T(operand), order);                         \
  }
ENIGMA_ATOMIC_FETCH(add, __atomic_fetch_add)
ENIGMA_ATOMIC_FETCH(sub, __atomic_fetch_sub)
ENIGMA_ATOMIC_FETCH(min, __atomic_fetch_min)
ENIGMA_ATOMIC_FETCH(max, __atomic_fetch_max)
ENIGMA_ATOMIC_FETCH(and, __atomic_fetch_and)
ENIGMA_ATOMIC_FETCH(or, __atomic_fetch_or)
ENIGMA_ATOMIC_FETCH(xor, __atomic_fetch_xor)
#undef ENIGMA_ATOMIC_FETCH

inline void atomic_thread_fence(mem_flags, memory_order order,
                                thread_scope = thread_scope_device) {
  __atomic_thread_fence(order);
}

} // namespace metal

#endif // ENIGMA_HOST_ATOMIC_H
