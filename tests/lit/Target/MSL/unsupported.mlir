// RUN: enigma-translate --emit-msl --split-input-file --verify-diagnostics %s

// What the emitter has no rule for fails with a diagnostic naming the op and
// its types, and prints nothing.

enigma.kernel @erf(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{cannot print 'math.erf' on (f32) -> (f32) in MSL}}
  %0 = math.erf %f : f32
  enigma.return
}

// -----

enigma.kernel @widen_to_double(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  // expected-error @+1 {{cannot print 'arith.extf' on (f32) -> (f64) in MSL}}
  %0 = arith.extf %f : f32 to f64
  enigma.return
}

// -----

enigma.kernel @ceil_div(%a: i32 {enigma.name = "a", enigma.dtype = "int"}) {
  // expected-error @+1 {{cannot print 'arith.ceildivsi' on (i32, i32) -> (i32) in MSL}}
  %0 = arith.ceildivsi %a, %a : i32
  enigma.return
}

// -----

// Lane-wise `!`/`||` forms of unordered predicates are not defined on bool
// vectors.
enigma.kernel @vector_ult(%v: vector<4xf32> {enigma.name = "v", enigma.dtype = "float4"}) {
  // expected-error @+1 {{cannot print 'arith.cmpf' on (vector<4xf32>, vector<4xf32>) -> (vector<4xi1>) in MSL}}
  %0 = arith.cmpf ult, %v, %v : vector<4xf32>
  enigma.return
}

// -----

enigma.kernel @nested(%f: f32 {enigma.name = "f", enigma.dtype = "float"}) {
  %c = arith.constant true
  scf.if %c {
    // expected-error @+1 {{cannot print 'math.erf' on (f32) -> (f32) in MSL}}
    %0 = math.erf %f : f32
  }
  enigma.return
}

// -----

// expected-error @+1 {{cannot print 'memref.global' in MSL: a module holds only enigma.kernel ops}}
memref.global "private" @table : memref<4xf32>

// -----

// The kernel keeps its name in MSL, so a reserved one is the user's to change.
// expected-error @+1 {{a kernel cannot be named 'float': MSL reserves that name; rename the Python function}}
enigma.kernel @float() {
  enigma.return
}
