//===- enigma_host/loop_keywords.h - Counting a kernel's loops -*- C++ -*-===//
//
// Included by the launcher of a fiber-path kernel right before the kernel's
// MSL (after <metal_stdlib>, whose own loops stay untouched), and undone with
// `#undef for` / `#undef while` right after it. Every `for (...)` and
// `while (...)` of the kernel becomes
//
//   if (LoopScope s(site); true)             // the loop's frame, while in it
//     for (...)                               // the loop as written
//       if (s.begin_iteration(), false) {} else
//         { body }
//
// so the kernel's loops run unchanged (`break` leaves the loop, which ends
// the `if` and pops the frame) while the thread's loop frames say which
// iteration it is in (enigma_host/loop_frames.h). Each macro names its own
// keyword only, which the preprocessor does not expand again. The site
// is the loop's line in the .metal file, scaled like a call site's
// (line * 1024 + column), so it orders before every call inside the loop.
// The MSL itself is the one Metal compiles: these macros exist only here.
//
// No include guard: the launcher includes it once per kernel.
//
//===----------------------------------------------------------------------===//

#include "enigma_host/loop_frames.h"

#define for(...)                                                               \
  if (::enigma_host::LoopScope enigma_loop_scope(__LINE__ * 1024u); true)      \
    for (__VA_ARGS__)                                                          \
      if (enigma_loop_scope.begin_iteration(), false) {                        \
      } else

#define while(...)                                                             \
  if (::enigma_host::LoopScope enigma_loop_scope(__LINE__ * 1024u); true)      \
    while (__VA_ARGS__)                                                        \
      if (enigma_loop_scope.begin_iteration(), false) {                        \
      } else
