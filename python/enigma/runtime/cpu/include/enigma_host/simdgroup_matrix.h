//===- enigma_host/simdgroup_matrix.h - Simdgroup matrices ------*- C++ -*-===//
//
// Metal's 8x8 simdgroup matrices on the host. On an Apple GPU the 64
// elements are spread over the 32 lanes of a SIMD-group and every
// operation is cooperative; Metal requires all lanes of the group to reach
// it together with the same arguments. Here every lane holds a full copy of
// the matrix: a load reads all 64 elements, a multiply-accumulate computes
// the whole product, a store writes all 64 (each lane writes the same
// values; the lanes of a threadgroup run one after another on one OS
// thread, so the writes never race). Under Metal's convergence rule this is
// observably what the GPU computes, and it needs no rendezvous between
// lanes, so kernels using matrices run on either the loop or fiber path.
//
// Products are accumulated in float, k = 0..7 starting from c, and rounded
// once to the result's element type (Metal does not specify the intermediate
// precision of half or bfloat matrices; the tests state their tolerance).
// A float accumulator with half or bfloat inputs is not rounded again.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_HOST_SIMDGROUP_MATRIX_H
#define ENIGMA_HOST_SIMDGROUP_MATRIX_H

#include "enigma_host/types.h"
#include "enigma_host/vector_constructors.h"

namespace metal {

template <typename T, int Cols, int Rows> struct simdgroup_matrix {
  static_assert(Cols == 8 && Rows == 8, "only 8x8 simdgroup matrices");
  T elements[Rows][Cols];
};

typedef simdgroup_matrix<float, 8, 8> simdgroup_float8x8;
typedef simdgroup_matrix<half, 8, 8> simdgroup_half8x8;
typedef simdgroup_matrix<bfloat, 8, 8> simdgroup_bfloat8x8;

template <typename T, int Cols, int Rows>
inline simdgroup_matrix<T, Cols, Rows> make_filled_simdgroup_matrix(T value) {
  simdgroup_matrix<T, Cols, Rows> m;
  for (int r = 0; r < Rows; ++r)
    for (int c = 0; c < Cols; ++c)
      m.elements[r][c] = value;
  return m;
}

namespace detail {
/// The buffer index of element (r, c) of a matrix whose 8x8 block of the
/// buffer starts at `origin` (col, row of the buffer); a transposed matrix
/// holds that block transposed: its (r, c) is the block's (c, r).
inline unsigned long matrix_element_index(unsigned long elements_per_row,
                                          ulong2 origin, int r, int c,
                                          bool transpose) {
  if (transpose)
    return (origin.y + c) * elements_per_row + origin.x + r;
  return (origin.y + r) * elements_per_row + origin.x + c;
}
} // namespace detail

// Device buffers and threadgroup arrays are both plain pointers here.
template <typename T, int Cols, int Rows>
inline void simdgroup_load(simdgroup_matrix<T, Cols, Rows> &d, const T *src,
                           unsigned long elements_per_row = Cols,
                           ulong2 matrix_origin = ulong2(0),
                           bool transpose_matrix = false) {
  for (int r = 0; r < Rows; ++r)
    for (int c = 0; c < Cols; ++c)
      d.elements[r][c] = src[detail::matrix_element_index(
          elements_per_row, matrix_origin, r, c, transpose_matrix)];
}

template <typename T, int Cols, int Rows>
inline void simdgroup_store(const simdgroup_matrix<T, Cols, Rows> &a, T *dst,
                            unsigned long elements_per_row = Cols,
                            ulong2 matrix_origin = ulong2(0),
                            bool transpose_matrix = false) {
  for (int r = 0; r < Rows; ++r)
    for (int c = 0; c < Cols; ++c)
      dst[detail::matrix_element_index(elements_per_row, matrix_origin, r, c,
                                       transpose_matrix)] = a.elements[r][c];
}

// Metal's overloads: a and b of one type, c and d of one type (the inputs'
// or, with half or bfloat inputs, float). A product of two halves or two
// bfloats is exact in float, so a float accumulator rounds only its sums.
template <typename TD, typename TAB, int N>
inline void simdgroup_multiply_accumulate(simdgroup_matrix<TD, N, N> &d,
                                          const simdgroup_matrix<TAB, N, N> &a,
                                          const simdgroup_matrix<TAB, N, N> &b,
                                          const simdgroup_matrix<TD, N, N> &c) {
  simdgroup_matrix<TD, N, N> result;
  for (int r = 0; r < N; ++r)
    for (int k = 0; k < N; ++k) {
      float sum = static_cast<float>(c.elements[r][k]);
      for (int i = 0; i < N; ++i)
        sum += static_cast<float>(a.elements[r][i]) *
               static_cast<float>(b.elements[i][k]);
      result.elements[r][k] = static_cast<TD>(sum);
    }
  d = result; // d may alias c (and, when all four share a type, a or b)
}

} // namespace metal

#endif // ENIGMA_HOST_SIMDGROUP_MATRIX_H
