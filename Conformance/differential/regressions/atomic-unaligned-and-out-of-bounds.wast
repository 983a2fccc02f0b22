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

;; The same on memory 1 of two, and on a 64-bit memory (whose address used to be checked for
;; bounds first, before the atomic handler saw it).
(module
  (memory $a 1 1)
  (memory $b 1 1 shared)
  (memory $c i64 1 1)
  (func (export "load-b") (param i32) (result i32) (i32.atomic.load $b (local.get 0)))
  (func (export "load-c") (param i64) (result i32) (i32.atomic.load $c (local.get 0)))
  (func (export "store-c") (param i64) (i64.atomic.store $c (local.get 0) (i64.const 0)))
  (func (export "rmw-c") (param i64) (result i64) (i64.atomic.rmw.add $c offset=8 (local.get 0) (i64.const 1))))
(assert_trap (invoke "load-b" (i32.const 65537)) "unaligned atomic")
(assert_trap (invoke "load-b" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load-c" (i64.const 65537)) "unaligned atomic")
(assert_trap (invoke "load-c" (i64.const -1)) "unaligned atomic")
(assert_trap (invoke "store-c" (i64.const 65540)) "unaligned atomic")
(assert_trap (invoke "rmw-c" (i64.const 65540)) "unaligned atomic")
(assert_trap (invoke "load-c" (i64.const 65536)) "out of bounds memory access")
(assert_return (invoke "rmw-c" (i64.const 0)) (i64.const 0))
(assert_return (invoke "rmw-c" (i64.const 0)) (i64.const 1))

;; F2: on a 64-bit memory, address + offset past 2^64 is still checked for alignment first
;; (the effective address is the true sum; its low bits are the wrapped sum's).
(module
  (memory i64 1 1 shared)
  (func (export "load16") (param i64) (result i32) (i32.atomic.load16_u offset=2 (local.get 0))))
(assert_trap (invoke "load16" (i64.const -1)) "unaligned atomic")
(assert_trap (invoke "load16" (i64.const -2)) "out of bounds memory access")
