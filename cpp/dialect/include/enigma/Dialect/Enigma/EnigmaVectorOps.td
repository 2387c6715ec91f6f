//===- EnigmaVectorOps.td - Geometric and pack functions ----*- tablegen -*-===//
//
// Metal's geometric functions (dot, length, ..., faceforward) and its pack /
// unpack functions, which no upstream op computes. Vector construction, lane
// reads and swizzles are upstream `vector` ops (from_elements, extract,
// shuffle). Each function is its own op because each has a fixed type
// signature that ODS states and checks declaratively (dot: two equal float
// vectors -> their element type; pack_float_to_unorm4x8: vector<4xf32> ->
// i32); the MSL emitter prints each as a call through its function table.
// Included from EnigmaOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef ENIGMA_VECTOR_OPS
#define ENIGMA_VECTOR_OPS

include "mlir/Interfaces/InferTypeOpInterface.td"

// Metal's geometric functions take float, half or bfloat vectors of 2-4 lanes.
def Enigma_FloatVector : VectorOfLengthAndType<[2, 3, 4], [F32, F16, BF16]>;

// `result` (dot's result, refract's eta) has the element type of `vector`.
class Enigma_ElementOf<string vector, string result>
    : TypesMatchWith<result # " is the element type of " # vector, vector, result,
                     "::llvm::cast<::mlir::VectorType>($_self).getElementType()">;

//===----------------------------------------------------------------------===//
// Geometric functions
//===----------------------------------------------------------------------===//

// A geometric function whose vector operands and result all have one type.
class Enigma_GeometryOp<string mnemonic, string what, string example,
                        dag args, string format>
    : Enigma_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "Metal `" # mnemonic # "`: " # what;
  let description = "MSL `" # mnemonic # "`: " # what # [{. Lanes are
    float, half or bfloat; the result has the operands' type.

    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = args;
  let results = (outs Enigma_FloatVector:$result);
  let assemblyFormat = format # " attr-dict `:` type($result)";
}

// A geometric function answering one scalar of the operands' element type.
class Enigma_GeometryReductionOp<string mnemonic, string what, string example,
                                 dag args, string format,
                                 list<Trait> traits = []>
    : Enigma_Op<mnemonic,
                !listconcat([Pure, Enigma_ElementOf<"x", "result">], traits)> {
  let summary = "Metal `" # mnemonic # "`: " # what;
  let description = "MSL `" # mnemonic # "`: " # what # [{. Lanes are
    float, half or bfloat; the result is one value of the element type.

    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = args;
  let results = (outs AnyTypeOf<[F32, F16, BF16]>:$result);
  let assemblyFormat = format # " attr-dict `:` type($x)";
}

def Enigma_DotOp : Enigma_GeometryReductionOp<"dot", "the dot product",
    "%d = enigma.dot %x, %y : vector<4xf32>",
    (ins Enigma_FloatVector:$x, Enigma_FloatVector:$y), "$x `,` $y",
    [AllTypesMatch<["x", "y"]>]>;
def Enigma_LengthOp : Enigma_GeometryReductionOp<"length",
    "the Euclidean length, sqrt(dot(x, x))",
    "%l = enigma.length %x : vector<3xf16>",
    (ins Enigma_FloatVector:$x), "$x">;
def Enigma_DistanceOp : Enigma_GeometryReductionOp<"distance",
    "the distance, length(x - y)",
    "%d = enigma.distance %x, %y : vector<2xf32>",
    (ins Enigma_FloatVector:$x, Enigma_FloatVector:$y), "$x `,` $y",
    [AllTypesMatch<["x", "y"]>]>;

def Enigma_CrossOp : Enigma_GeometryOp<"cross",
    "the cross product of two 3-lane vectors",
    "%c = enigma.cross %x, %y : vector<3xf32>",
    (ins VectorOfLengthAndType<[3], [F32, F16, BF16]>:$x,
         VectorOfLengthAndType<[3], [F32, F16, BF16]>:$y), "$x `,` $y">;
def Enigma_NormalizeOp : Enigma_GeometryOp<"normalize",
    "x scaled to length 1, x / length(x)",
    "%n = enigma.normalize %x : vector<3xf32>",
    (ins Enigma_FloatVector:$x), "$x">;
def Enigma_ReflectOp : Enigma_GeometryOp<"reflect",
    "i reflected about the unit normal n, i - 2 * dot(n, i) * n",
    "%r = enigma.reflect %i, %n : vector<3xf32>",
    (ins Enigma_FloatVector:$i, Enigma_FloatVector:$n), "$i `,` $n">;
def Enigma_FaceforwardOp : Enigma_GeometryOp<"faceforward",
    "n if dot(nref, i) < 0, else -n",
    "%f = enigma.faceforward %n, %i, %nref : vector<3xf32>",
    (ins Enigma_FloatVector:$n, Enigma_FloatVector:$i,
         Enigma_FloatVector:$nref), "$n `,` $i `,` $nref">;

def Enigma_RefractOp : Enigma_Op<"refract", [
    Pure, AllTypesMatch<["i", "n", "result"]>, Enigma_ElementOf<"i", "eta">
  ]> {
  let summary = "Metal `refract`: the refraction vector";
  let description = [{
    MSL `refract(i, n, eta)`: the incident vector `i` refracted through the
    surface of unit normal `n` with ratio of indices of refraction `eta` (a
    scalar of the element type). With k = 1 - eta^2 (1 - dot(n, i)^2), the
    result is 0 when k < 0 (total internal reflection), else
    eta i - (eta dot(n, i) + sqrt(k)) n.

    ```mlir
    %r = enigma.refract %i, %n, %eta : vector<3xf32>
    ```
  }];
  let arguments = (ins Enigma_FloatVector:$i, Enigma_FloatVector:$n,
                       AnyTypeOf<[F32, F16, BF16]>:$eta);
  let results = (outs Enigma_FloatVector:$result);
  let assemblyFormat = "$i `,` $n `,` $eta attr-dict `:` type($i)";
}

//===----------------------------------------------------------------------===//
// Pack and unpack
//===----------------------------------------------------------------------===//

// pack_float_to_<format>: the lanes of a float vector as normalized integers
// in one 32-bit word (Metal `uint`), lane 0 in the lowest bits.
class Enigma_PackOp<string mnemonic, int lanes, string what>
    : Enigma_Op<mnemonic, [Pure]> {
  let summary = "Metal `" # mnemonic # "`: float" # lanes # " to " # what;
  let description = "MSL `" # mnemonic # "`: converts each lane of a float"
      # lanes # " to " # what # [{ and packs them into a `uint`, lane 0 in the
    lowest bits. Conversion as in MSL §7.7: clamp to the normalized range
    (NaN gives 0), scale, round to nearest even.

    ```mlir
    }] # "%u = enigma." # mnemonic # " %v : vector<" # lanes # "xf32>" # [{
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[lanes], [F32]>:$value);
  let results = (outs I32:$result);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

// unpack_<format>_to_float: the inverse, a 32-bit word to a float vector.
class Enigma_UnpackOp<string mnemonic, int lanes, string what>
    : Enigma_Op<mnemonic, [Pure]> {
  let summary = "Metal `" # mnemonic # "`: " # what # " to float" # lanes;
  let description = "MSL `" # mnemonic # "`: reads " # what
      # [{ from a `uint`, lane 0 in the lowest bits, as normalized floats
    (MSL §7.7: c / max for unorm, max(c / max, -1) for snorm).

    ```mlir
    }] # "%v = enigma." # mnemonic # " %u : vector<" # lanes # "xf32>" # [{
    ```
  }];
  let arguments = (ins I32:$value);
  let results = (outs VectorOfLengthAndType<[lanes], [F32]>:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
}

def Enigma_PackFloatToSnorm4x8Op
    : Enigma_PackOp<"pack_float_to_snorm4x8", 4, "four 8-bit snorm">;
def Enigma_PackFloatToUnorm4x8Op
    : Enigma_PackOp<"pack_float_to_unorm4x8", 4, "four 8-bit unorm">;
def Enigma_PackFloatToSnorm2x16Op
    : Enigma_PackOp<"pack_float_to_snorm2x16", 2, "two 16-bit snorm">;
def Enigma_PackFloatToUnorm2x16Op
    : Enigma_PackOp<"pack_float_to_unorm2x16", 2, "two 16-bit unorm">;
def Enigma_PackFloatToSrgbUnorm4x8Op
    : Enigma_PackOp<"pack_float_to_srgb_unorm4x8", 4,
                    "four 8-bit unorm, r g b sRGB-encoded">;
def Enigma_PackFloatToUnorm10a2Op
    : Enigma_PackOp<"pack_float_to_unorm10a2", 4,
                    "10-bit unorm r g b and a 2-bit unorm a">;

def Enigma_UnpackSnorm4x8ToFloatOp
    : Enigma_UnpackOp<"unpack_snorm4x8_to_float", 4, "four 8-bit snorm">;
def Enigma_UnpackUnorm4x8ToFloatOp
    : Enigma_UnpackOp<"unpack_unorm4x8_to_float", 4, "four 8-bit unorm">;
def Enigma_UnpackSnorm2x16ToFloatOp
    : Enigma_UnpackOp<"unpack_snorm2x16_to_float", 2, "two 16-bit snorm">;
def Enigma_UnpackUnorm2x16ToFloatOp
    : Enigma_UnpackOp<"unpack_unorm2x16_to_float", 2, "two 16-bit unorm">;
def Enigma_UnpackUnorm4x8SrgbToFloatOp
    : Enigma_UnpackOp<"unpack_unorm4x8_srgb_to_float", 4,
                      "four 8-bit unorm, r g b sRGB-encoded">;
def Enigma_UnpackUnorm10a2ToFloatOp
    : Enigma_UnpackOp<"unpack_unorm10a2_to_float", 4,
                      "10-bit unorm r g b and a 2-bit unorm a">;

#endif // ENIGMA_VECTOR_OPS
