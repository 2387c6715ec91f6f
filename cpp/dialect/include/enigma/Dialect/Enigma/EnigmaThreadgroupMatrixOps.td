//===- EnigmaThreadgroupMatrixOps.td - Threadgroup matrices -*- tablegen -*-===//
//
// Threadgroup matrices: an R x C float accumulator (R in {64, 128}, C in
// {64, 128, 256}) spread over 2R of the 2R + 128 threads of a threadgroup, the
// destination of a threadgroup-scope tile GEMM (like Metal 4's `matmul2d`
// with a cooperative destination; CUDA lowers it to Hopper's wgmma). A value
// is the builtin `vector<RxCxf32>`: 8x8 is a simdgroup matrix
// (EnigmaMatrixOps.td), these shapes are threadgroup matrices. Included
// from EnigmaOps.td.
//
// Every op is threadgroup cooperative: all threads must reach it together
// with the same operands, so none is Pure. The verifiers
// (ThreadgroupMatrixOps.cpp) check the shapes, the buffers and that all the
// threadgroup matrices of a kernel share R (it runs with 2R + 128 threads).
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_THREADGROUP_MATRIX_OPS
#define ENIGMA_THREADGROUP_MATRIX_OPS

// The value of a threadgroup matrix; the verifiers check the shape.
defvar Enigma_ThreadgroupMatrix = VectorOfRankAndType<[2], [F32]>;

class Enigma_ThreadgroupMatrixOp<string mnemonic, list<Trait> traits = []>
    : Enigma_Op<mnemonic, !listconcat(traits, [Enigma_InsideKernel])> {
  let hasVerifier = 1;
}

def Enigma_ThreadgroupMatrixFillOp
    : Enigma_ThreadgroupMatrixOp<"threadgroup_matrix_fill"> {
  let summary = "a threadgroup matrix with every element set to one value";
  let description = [{
    `enigma_make_filled_threadgroup_matrix<float, R, C>(value)`.

    ```mlir
    %m = enigma.threadgroup_matrix_fill %x : f32 -> vector<128x256xf32>
    ```
  }];
  let arguments = (ins F32:$value);
  let results = (outs Enigma_ThreadgroupMatrix:$result);
  let assemblyFormat = "$value attr-dict `:` type($value) `->` type($result)";
}

def Enigma_ThreadgroupMultiplyAccumulateOp
    : Enigma_ThreadgroupMatrixOp<"threadgroup_multiply_accumulate",
                                 [AllTypesMatch<["a", "b"]>,
                                  AllTypesMatch<["c", "result"]>]> {
  let summary = "an R x k by k x C product from device memory plus c";
  let description = [{
    `result[i][j] = c[i][j] + sum_{kk < k} A(i, kk) * B(kk, j)` with
    `A(i, kk) = a[aOffset + i * aStride + kk]` for `i < aRows` (0 beyond)
    and `B(kk, j) = b[bOffset + kk * bStride + j]` for `j < bCols` (0
    beyond). `a` and `b` are device buffers of f16 or bf16; the products are
    exact and sum in f32 (in no set order). `thread` is the thread's
    `thread_index_in_threadgroup`.

    ```mlir
    %d = enigma.threadgroup_multiply_accumulate %a[%ao] stride %lda rows %m,
        %b[%bo] stride %ldb cols %n, k %k, %c, thread %t
        : memref<?xbf16, #enigma.address_space<device>>
          -> vector<128x256xf32>
    ```
  }];
  let arguments = (ins Arg<AnyMemRef, "the a buffer", [MemRead]>:$a,
                       Index:$aOffset, Index:$aStride, Index:$aRows,
                       Arg<AnyMemRef, "the b buffer", [MemRead]>:$b,
                       Index:$bOffset, Index:$bStride, Index:$bCols,
                       Index:$k, Enigma_ThreadgroupMatrix:$c, Index:$thread);
  let results = (outs Enigma_ThreadgroupMatrix:$result);
  let assemblyFormat = [{
    $a `[` $aOffset `]` `stride` $aStride `rows` $aRows `,`
    $b `[` $bOffset `]` `stride` $bStride `cols` $bCols `,` `k` $k `,` $c `,`
    `thread` $thread attr-dict `:` type($a) `->` type($result)
  }];
}

def Enigma_ThreadgroupMatrixStoreOp
    : Enigma_ThreadgroupMatrixOp<"threadgroup_matrix_store"> {
  let summary = "stores the top-left rows x cols of a threadgroup matrix";
  let description = [{
    `buffer[offset + i * stride + j] = value[i][j]` for `i < rows`,
    `j < cols` (at most the matrix's shape), converted (round to nearest
    even) to the buffer's element type: f32, f16 or bf16 in device memory.

    ```mlir
    enigma.threadgroup_matrix_store %m, %buf[%off] stride %n
        extent(%rows, %cols), thread %t
        : vector<128x256xf32>, memref<?xf32, #enigma.address_space<device>>
    ```
  }];
  let arguments = (ins Enigma_ThreadgroupMatrix:$value,
                       Arg<AnyMemRef, "the buffer", [MemWrite]>:$memref,
                       Index:$offset, Index:$stride, Index:$rows,
                       Index:$cols, Index:$thread);
  let assemblyFormat = [{
    $value `,` $memref `[` $offset `]` `stride` $stride
    `extent` `(` $rows `,` $cols `)` `,` `thread` $thread attr-dict
    `:` type($value) `,` type($memref)
  }];
}

#endif // ENIGMA_THREADGROUP_MATRIX_OPS
