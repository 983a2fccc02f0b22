import WAT

/// The guest side of the call and loop microbenchmarks, as one WAT module assembled by WasmKit's
/// mature `wat2wasm` so both engines run byte-identical code. Each looping export takes an
/// iteration count and returns a value that depends on every iteration (so nothing is skipped).
enum Kernels {
    /// Guest loop iterations per benchmark iteration for the looping kernels.
    static let loopCount: UInt32 = 100_000
    /// Host-to-guest calls per benchmark iteration.
    static let hostCalls = 1_000

    static let wat = """
    (module
      (type $unary (func (param i32) (result i32)))
      (import "env" "host" (func $host (type $unary)))
      (memory (export "memory") 1)
      (table 4 funcref)
      (elem (i32.const 0) $add1 $add2 $xor3 $sub1)
      (func $add1 (type $unary) (i32.add (local.get 0) (i32.const 1)))
      (func $add2 (type $unary) (i32.add (local.get 0) (i32.const 2)))
      (func $xor3 (type $unary) (i32.xor (local.get 0) (i32.const 3)))
      (func $sub1 (type $unary) (i32.sub (local.get 0) (i32.const 1)))

      (func (export "identity") (param i32) (result i32) (local.get 0))

      (func (export "call_host") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $host (local.get $acc)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))

      (func (export "call_guest") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $add1 (local.get $acc)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))

      (func (export "call_indirect") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call_indirect (type $unary)
            (local.get $acc) (i32.and (local.get $n) (i32.const 3))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))

      ;; Read-modify-write over a 64 KiB window, plus an accumulated load.
      (func (export "memory_loop") (param $n i32) (result i32) (local $acc i32) (local $addr i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $addr (i32.shl (i32.and (local.get $n) (i32.const 0x3ffe)) (i32.const 2)))
          (i32.store (local.get $addr)
            (i32.add (i32.load (local.get $addr)) (local.get $n)))
          (local.set $acc (i32.add (local.get $acc) (i32.load offset=4 (local.get $addr))))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
        (local.get $acc))

      ;; An 8-way br_table per iteration, each arm changing the accumulator differently.
      (func (export "br_table") (param $n i32) (result i32) (local $acc i32)
        (block $done (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          block $b7 block $b6 block $b5 block $b4 block $b3 block $b2 block $b1 block $b0
            (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 (i32.and (local.get $n) (i32.const 7)))
          end
          (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $next)
          end
          (local.set $acc (i32.xor (local.get $acc) (i32.const 2))) (br $next)
          end
          (local.set $acc (i32.add (local.get $acc) (i32.const 3))) (br $next)
          end
          (local.set $acc (i32.mul (local.get $acc) (i32.const 5))) (br $next)
          end
          (local.set $acc (i32.sub (local.get $acc) (i32.const 7))) (br $next)
          end
          (local.set $acc (i32.rotl (local.get $acc) (i32.const 1))) (br $next)
          end
          (local.set $acc (i32.or (local.get $acc) (i32.const 16))) (br $next)
          end
          (local.set $acc (i32.shr_u (local.get $acc) (i32.const 1)))
          (br $next)))
        (local.get $acc))
    )
    """

    /// The looping exports measured by the call/loop benchmarks, with what one iteration does.
    static let loops: [(export: String, label: String)] = [
        ("call_host", "guest->host call"),
        ("call_guest", "guest->guest call"),
        ("call_indirect", "call_indirect"),
        ("memory_loop", "memory load/store loop"),
        ("br_table", "br_table"),
    ]

    /// The module's binary, assembled once.
    static let binary: [UInt8] = {
        do { return try wat2wasm(wat) } catch { fatalError("kernel WAT does not assemble: \(error)") }
    }()
}
