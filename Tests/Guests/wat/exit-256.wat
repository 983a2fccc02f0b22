;; Exits with status 256: a process status holds 8 bits, and this must not read as success.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "_start") (call $exit (i32.const 256))))
