;; FINDINGS.md F1: an atomic access whose effective address is both misaligned and out of
;; bounds. The threads proposal's reference interpreter checks alignment first ("unaligned
;; atomic"), and so does wasmtime; Hearth checked bounds first until this was found.
;; Run: hearth wast --features 3.0 atomic-unaligned-and-out-of-bounds.wast
;; Fixed: Hearth checks alignment first too; the script runs in CI with the spec scripts.
(module
  (memory 1 1 shared)
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "store") (param i32) (i64.atomic.store (local.get 0) (i64.const 0)))
  (func (export "rmw") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
  (func (export "notify") (param i32) (result i32) (memory.atomic.notify (local.get 0) (i32.const 1))))
(assert_trap (invoke "load" (i32.const 65537)) "unaligned atomic")
(assert_trap (invoke "load" (i32.const -1)) "unaligned atomic")
(assert_trap (invoke "store" (i32.const 65537)) "unaligned atomic")
(assert_trap (invoke "rmw" (i32.const 65537)) "unaligned atomic")
(assert_trap (invoke "notify" (i32.const 65537)) "unaligned atomic")
(assert_trap (invoke "load" (i32.const 1)) "unaligned atomic")
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
