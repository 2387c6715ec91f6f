// RUN: enigma-translate --emit-cuda --split-input-file --verify-diagnostics %s

// An op without a CUDA lowering fails by name, never with MSL's spelling, and
// nothing is printed: an async copy whose event a loop carries (the CUDA
// legalization rewrites only copies whose events go straight to waits).

!devf = memref<?xf32, #enigma.address_space<device>>
!tgf = memref<64xf32, #enigma.address_space<threadgroup>>

enigma.kernel @carried_event(%a: !devf {enigma.name = "a", enigma.dtype = "float"}) {
  %tg = enigma.threadgroup_alloc "float" : !tgf
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  // expected-error @+1 {{`enigma.async_copy` has no CUDA lowering yet}}
  %e = enigma.async_copy %tg[%c0] stride %c8, %a[%c0] stride %c8 tile(%c8, %c1) : !tgf, !devf
  %last = scf.for %i = %c0 to %c8 step %c1 iter_args(%event = %e) -> (!enigma.simdgroup_event) {
    scf.yield %event : !enigma.simdgroup_event
  }
  enigma.async_copy_wait %last
  enigma.return
}
