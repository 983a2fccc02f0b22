;; A library module for `hearth run --preload lib=preload-lib.wat`: a reactor whose exports
;; another module imports as `lib`. `double` only answers right after `_initialize` ran.
(module
  (global $factor (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $factor (i32.const 2)))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (global.get $factor))))
