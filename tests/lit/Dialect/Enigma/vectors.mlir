// Round trip of the geometric and pack/unpack ops (EnigmaVectorOps.td).
// RUN: enigma-opt %s | enigma-opt | FileCheck %s

// CHECK-LABEL: enigma.kernel @geometry
enigma.kernel @geometry(%x: vector<3xf32> {enigma.name = "x", enigma.dtype = "float3"},
                        %y: vector<3xf32> {enigma.name = "y", enigma.dtype = "float3"},
                        %h: vector<4xf16> {enigma.name = "h", enigma.dtype = "half4"},
                        %eta: f32 {enigma.name = "eta", enigma.dtype = "float"}) {
  // CHECK: enigma.dot %{{.*}}, %{{.*}} : vector<3xf32>
  // CHECK: enigma.length %{{.*}} : vector<4xf16>
  // CHECK: enigma.distance %{{.*}}, %{{.*}} : vector<3xf32>
  // CHECK: enigma.cross %{{.*}}, %{{.*}} : vector<3xf32>
  // CHECK: enigma.normalize %{{.*}} : vector<4xf16>
  // CHECK: enigma.reflect %{{.*}}, %{{.*}} : vector<3xf32>
  // CHECK: enigma.refract %{{.*}}, %{{.*}}, %{{.*}} : vector<3xf32>
  // CHECK: enigma.faceforward %{{.*}}, %{{.*}}, %{{.*}} : vector<3xf32>
  %0 = enigma.dot %x, %y : vector<3xf32>
  %1 = enigma.length %h : vector<4xf16>
  %2 = enigma.distance %x, %y : vector<3xf32>
  %3 = enigma.cross %x, %y : vector<3xf32>
  %4 = enigma.normalize %h : vector<4xf16>
  %5 = enigma.reflect %x, %y : vector<3xf32>
  %6 = enigma.refract %x, %y, %eta : vector<3xf32>
  %7 = enigma.faceforward %x, %y, %x : vector<3xf32>
  enigma.return
}

// CHECK-LABEL: enigma.kernel @pack
enigma.kernel @pack(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"},
                    %w: vector<2xf32> {enigma.name = "w", enigma.dtype = "float2"},
                    %u: i32 {enigma.name = "u", enigma.dtype = "uint"}) {
  // CHECK: enigma.pack_float_to_snorm4x8 %{{.*}} : vector<4xf32>
  // CHECK: enigma.pack_float_to_unorm2x16 %{{.*}} : vector<2xf32>
  // CHECK: enigma.pack_float_to_srgb_unorm4x8 %{{.*}} : vector<4xf32>
  // CHECK: enigma.unpack_unorm10a2_to_float %{{.*}} : vector<4xf32>
  // CHECK: enigma.unpack_snorm2x16_to_float %{{.*}} : vector<2xf32>
  // CHECK: enigma.unpack_unorm4x8_srgb_to_float %{{.*}} : vector<4xf32>
  %0 = enigma.pack_float_to_snorm4x8 %v : vector<4xf32>
  %1 = enigma.pack_float_to_unorm2x16 %w : vector<2xf32>
  %2 = enigma.pack_float_to_srgb_unorm4x8 %v : vector<4xf32>
  %3 = enigma.unpack_unorm10a2_to_float %u : vector<4xf32>
  %4 = enigma.unpack_snorm2x16_to_float %u : vector<2xf32>
  %5 = enigma.unpack_unorm4x8_srgb_to_float %u : vector<4xf32>
  enigma.return
}
