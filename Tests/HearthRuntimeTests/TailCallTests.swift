import HearthBinary
import HearthRuntime
import Testing

/// `return_call` / `return_call_indirect` (Wasm 3.0): the callee takes over the caller's frame
/// and control entry, so tail recursion far deeper than the call-depth limit runs.
@Suite struct TailCallTests {
    @Test func mutualTailRecursionRunsInConstantStack() throws {
        let h = try Harness("""
        (module
          (func $even (export "even") (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1))
              (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
          (func $odd (param i64) (result i32)
            (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 0))
              (else (return_call $even (i64.sub (local.get 0) (i64.const 1)))))))
        """, configuration: .wasm3)
        // Far past the default call depth: plain calls would trap "call stack exhausted".
        #expect(try h.call("even", i64(3_000_000)) == [i32(1)])
        #expect(try h.call("even", i64(3_000_001)) == [i32(0)])
    }

    @Test func indirectTailCallsCheckTheirTypeAndKeepVectorArguments() throws {
        let h = try Harness("""
        (module
          (type $acc (func (param i32 v128) (result v128)))
          (type $other (func (param i32) (result i32)))
          (table funcref (elem $sum $wrong))
          (func $sum (type $acc)
            (if (result v128) (i32.eqz (local.get 0)) (then (local.get 1))
              (else (return_call_indirect (type $acc) (i32.sub (local.get 0) (i32.const 1))
                       (i32x4.add (local.get 1) (i32x4.splat (local.get 0))) (i32.const 0)))))
          (func $wrong (type $other) (local.get 0))
          (func (export "sum") (param i32) (result v128) (call $sum (local.get 0) (v128.const i64x2 0 0)))
          (func (export "mismatch") (result v128)
            (return_call_indirect (type $acc) (i32.const 1) (v128.const i64x2 0 0) (i32.const 1))))
        """, configuration: .wasm3)
        // 1 + 2 + ... + 100 in every lane.
        #expect(try h.call("sum", i32(100)) == [.v128(V128(low: 0x0000_13BA_0000_13BA, high: 0x0000_13BA_0000_13BA))])
        #expect(h.trapMessage("mismatch") == "indirect call type mismatch")
    }

    @Test func aHostCalleeIsCalledAndItsResultsReturned() throws {
        let h = try Harness("""
        (module
          (import "env" "twice" (func $twice (param i32) (result i32)))
          (func (export "f") (param i32) (result i32) (return_call $twice (i32.add (local.get 0) (i32.const 1)))))
        """, configuration: .wasm3, define: { linker, _ in
            linker.defineFunction(module: "env", name: "twice", type: FunctionType(parameters: [.i32], results: [.i32])) { _, args in
                guard case .i32(let n) = args[0] else { return [] }
                return [.i32(n * 2)]
            }
        })
        #expect(try h.call("f", i32(20)) == [i32(42)])
    }

    @Test func wasm2RulesRejectTheOpcodes() throws {
        var reader = CodeReader(bytes: [0x12, 0x00], range: 0..<2, features: .wasm2)
        #expect { _ = try reader.read() } throws: { ($0 as? HearthError)?.kind == .decode }
        var reader3 = CodeReader(bytes: [0x12, 0x00], range: 0..<2, features: .wasm3)
        #expect(try reader3.read() == .returnCall(0))
    }
}
