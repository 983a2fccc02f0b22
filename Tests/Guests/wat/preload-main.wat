;; Imports `lib.double` (see preload-lib.wat): `hearth run --preload lib=... --invoke run` prints 42.
(module
  (import "lib" "double" (func $double (param i32) (result i32)))
  (func (export "run") (result i32) (call $double (i32.const 21))))
