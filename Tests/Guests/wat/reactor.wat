;; A WASI reactor: no _start; `_initialize` must run before its exports (as Go's and Rust's
;; reactors require). `hearth run --invoke ready` prints 1 only if it did.
(module
  (memory (export "memory") 1)
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 1)))
  (func (export "ready") (result i32) (global.get $ready)))
