//===- enigma_host/types.h - Metal's scalar and vector types ----*- C++ -*-===//
//
// Metal's scalar types as host typedefs: `half` is _Float16 and `bfloat` is
// __bf16, both IEEE formats with clang arithmetic that rounds after every
// operation (the build passes -fexcess-precision=16), as Metal's does.
//
// Vectors are clang ext_vector_type, which gives Metal's swizzles (`v.xy`,
// `v.zyx = ...`), elementwise operators, splats from scalars and Metal's
// sizes (a 3-lane vector occupies 4 lanes). Comparisons of vectors yield
// integer lane masks, which convert to the `boolN` types. `boolN` are clang's
// boolean vectors, the only vectors a comparison converts to implicitly. Two
// differences from Metal remain: their lanes are read with subscripts
// (`m[0]`), not swizzles (`m.x` does not compile), and they are bit-packed in
// memory, so the cpu device refuses buffers of bool vectors.
//
// The typedefs are global, like Metal's builtin type names, so that a kernel
// can use them whatever its `using` directives.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_TYPES_H
#define ENIGMA_HOST_TYPES_H

typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef _Float16 half;
typedef __bf16 bfloat;

static_assert(sizeof(long) == 8, "Metal's long is 64 bits");

#define ENIGMA_VECTOR_TYPES(T)                                                 \
  typedef T T##2 __attribute__((ext_vector_type(2)));                          \
  typedef T T##3 __attribute__((ext_vector_type(3)));                          \
  typedef T T##4 __attribute__((ext_vector_type(4)));

ENIGMA_VECTOR_TYPES(bool)
ENIGMA_VECTOR_TYPES(char)
ENIGMA_VECTOR_TYPES(uchar)
ENIGMA_VECTOR_TYPES(short)
ENIGMA_VECTOR_TYPES(ushort)
ENIGMA_VECTOR_TYPES(int)
ENIGMA_VECTOR_TYPES(uint)
ENIGMA_VECTOR_TYPES(long)
ENIGMA_VECTOR_TYPES(ulong)
ENIGMA_VECTOR_TYPES(half)
ENIGMA_VECTOR_TYPES(bfloat)
ENIGMA_VECTOR_TYPES(float)
#undef ENIGMA_VECTOR_TYPES

// Metal's half literals (`1.5h`). A suffix without an underscore is reserved
// for the standard library, which is never included here (<chrono>'s `h` is
// the one it would collide with).
#pragma clang diagnostic ignored "-Wuser-defined-literals"
constexpr half operator""h(long double value) {
  return static_cast<half>(value);
}
constexpr half operator""h(unsigned long long value) {
  return static_cast<half>(value);
}

#define NAN __builtin_nanf("")
#define INFINITY __builtin_inff()
#define HUGE_VALF __builtin_huge_valf()
#define MAXFLOAT 0x1.fffffep+127f

#endif // ENIGMA_HOST_TYPES_H
