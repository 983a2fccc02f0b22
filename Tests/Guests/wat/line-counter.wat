;; A program that loops on stdin, for the streaming command-function tests: every read (up to
;; 64 bytes) is answered `<count><data>`, the count kept in memory across requests; a read of
;; nothing (end of input) exits 0, a read starting with `q` exits 7.
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $n i32)
    (loop $serve
      (i32.store (i32.const 0) (i32.const 101))
      (i32.store (i32.const 4) (i32.const 64))
      (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $n (i32.load (i32.const 8)))
      (if (i32.eqz (local.get $n)) (then (call $exit (i32.const 0))))
      (if (i32.eq (i32.load8_u (i32.const 101)) (i32.const 113)) (then (call $exit (i32.const 7))))
      (i32.store (i32.const 300) (i32.add (i32.load (i32.const 300)) (i32.const 1)))
      (i32.store8 (i32.const 100) (i32.add (i32.load (i32.const 300)) (i32.const 48)))
      (i32.store (i32.const 16) (i32.const 100))
      (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 1)))
      (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
      (br $serve))))
