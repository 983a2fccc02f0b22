import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// Exception handling (Wasm 3.0 `try_table`/`throw`/`throw_ref`, and the legacy
/// `try`/`catch`/`delegate`/`rethrow`): what is caught where, with which values, and what the
/// host sees of an exception nothing caught.
@Suite struct ExceptionTests {
    private func harness(_ wat: String, define: (Linker, Store) throws -> Void = { _, _ in }) throws -> Harness {
        try Harness(wat, configuration: .wasm3, define: define)
    }

    private func trap(_ body: () throws -> Void) -> HearthError? {
        do { try body(); return nil } catch let trap as HearthError where trap.kind == .trap { return trap } catch { return nil }
    }

    @Test func aPayloadThrownThreeFramesDownReachesTheCatchingLabel() throws {
        let h = try harness("""
        (module
          (tag $e (param i32 i64))
          (func $thrower (param i32) (throw $e (local.get 0) (i64.const -7)))
          (func $middle (param i32) (result i32) (call $thrower (local.get 0)) (i32.const 0))
          (func $top (param i32) (result i32) (i32.add (call $middle (local.get 0)) (i32.const 100)))
          (func (export "run") (param i32) (result i32 i64)
            (block $h (result i32 i64)
              (try_table (catch $e $h)
                (drop (call $top (local.get 0))))
              (i32.const -1) (i64.const -1))))
        """)
        #expect(try h.call("run", i32(41)) == [i32(41), i64(-7)])
    }

    @Test func catchRefThenThrowRefRethrowsTheSameException() throws {
        let h = try harness("""
        (module
          (tag $e (param i32))
          (global $seen (mut i32) (i32.const 0))
          (func $rethrowing (param i32) (local $x exnref)
            (block $h (result i32 exnref)
              (try_table (catch_ref $e $h) (throw $e (local.get 0)))
              (unreachable))
            (local.set $x)
            (drop)
            (global.set $seen (i32.add (global.get $seen) (i32.const 1)))
            (throw_ref (local.get $x)))
          (func (export "run") (param i32) (result i32 i32)
            (block $outer (result i32)
              (try_table (catch $e $outer) (call $rethrowing (local.get 0)))
              (i32.const -1))
            (global.get $seen)))
        """)
        #expect(try h.call("run", i32(9)) == [i32(9), i32(1)])
    }

    @Test func aRethrownExceptionReachingTheHostKeepsItsTagAndPayload() throws {
        let h = try harness("""
        (module
          (tag $e (export "e") (param i32 f64))
          (func (export "run")
            (block $h (result i32 f64 exnref)
              (try_table (catch_ref $e $h) (throw $e (i32.const 3) (f64.const 2.5)))
              (unreachable))
            (throw_ref)
            (drop) (drop)))
        """)
        let t = trap { _ = try h.call("run") }
        #expect(t?.trap == .uncaughtException)
        #expect(t?.message == "uncaught exception")
        #expect(t?.exception?.tag.isSame(as: h.instance.tag("e")!) == true)
        #expect(t?.exception?.payload == [i32(3), f64(2.5)])
    }

    @Test func catchAllCatchesAnyTagAndCatchClausesAreTriedInOrder() throws {
        let h = try harness("""
        (module
          (tag $a (param i32))
          (tag $b)
          (func $throw (param i32)
            (if (local.get 0) (then (throw $a (i32.const 5))) (else (throw $b))))
          (func (export "run") (param i32) (result i32)
            (block $all
              (block $ha (result i32)
                (try_table (catch $a $ha) (catch_all $all) (call $throw (local.get 0)))
                (return (i32.const -1)))
              (return))
            (i32.const 77)))
        """)
        #expect(try h.call("run", i32(1)) == [i32(5)])
        #expect(try h.call("run", i32(0)) == [i32(77)])
    }

    @Test func aVectorPayloadTakesTwoSlotsAndArrivesWhole() throws {
        let h = try harness("""
        (module
          (tag $v (param i32 v128 i64))
          (func $thrower (throw $v (i32.const 1) (v128.const i64x2 0x1122334455667788 -2) (i64.const 3)))
          (func (export "run") (result i32 i64 i64 i64)
            (local $x v128) (local $tail i64)
            (block $h (result i32 v128 i64)
              (try_table (catch $v $h) (call $thrower))
              (unreachable))
            (local.set $tail)
            (local.set $x)
            (i64x2.extract_lane 0 (local.get $x))
            (i64x2.extract_lane 1 (local.get $x))
            (local.get $tail))
          (func (export "lanes") (result i32)
            (block $h (result i32 v128 i64)
              (try_table (catch $v $h) (call $thrower))
              (unreachable))
            (drop) (drop)))
        """)
        let r = try h.call("run")
        #expect(r == [i32(1), i64(0x1122334455667788), i64(-2), i64(3)])
        #expect(try h.call("lanes") == [i32(1)])
    }

    @Test func anUncaughtExceptionTrapsAndTheStoreStaysUsable() throws {
        let h = try harness("""
        (module
          (tag $e (export "e") (param i64))
          (func $deep (param i32)
            (if (local.get 0)
              (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
              (else (throw $e (i64.const 12)))))
          (func (export "throw") (param i32) (call $deep (local.get 0)))
          (func (export "ok") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
        """)
        for _ in 0..<3 {
            let t = trap { _ = try h.call("throw", i32(50)) }
            #expect(t?.trap == .uncaughtException)
            #expect(t?.exception?.payload == [i64(12)])
            #expect(t?.backtrace.isEmpty == false)
        }
        #expect(try h.call("ok", i32(21)) == [i32(42)])
        // The control stack was reset: a recursion close to the limit still fits.
        _ = try? h.call("throw", i32(9_000))
        #expect(try h.call("ok", i32(1)) == [i32(2)])
    }

    @Test func anExceptionThrownInsideALoopStillConsumesFuel() throws {
        let h = try harness("""
        (module
          (tag $e)
          (func (export "spin") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.lt_u (local.get $i) (local.get $n))
                (then (try_table (catch $e $l) (throw $e)))))
            (local.get $i))
          (func (export "forever")
            (loop $l (try_table (catch_all $l) (throw $e)))))
        """)
        h.store.fuel = 1_000
        #expect(try h.call("spin", i32(100)) == [i32(100)])
        h.store.fuel = 10_000
        #expect(trap { _ = try h.call("forever") }?.trap == .outOfFuel)
        h.store.fuel = nil
        #expect(try h.call("spin", i32(10_000)) == [i32(10_000)])
    }

    @Test func caughtThrowsFromDeepCallsReleaseTheirControlEntries() throws {
        var configuration = EngineConfiguration.wasm3
        configuration.maxCallDepth = 200
        let h = try Harness("""
        (module
          (tag $e (param i32))
          (func $down (param i32)
            (if (local.get 0)
              (then (call $down (i32.sub (local.get 0) (i32.const 1))))
              (else (throw $e (i32.const 1)))))
          ;; Each iteration throws from 150 calls down and catches at the loop: 1,000 iterations
          ;; would need 150,000 entries if the throws leaked any.
          (func (export "loop") (result i32) (local $i i32) (local $sum i32)
            (loop $l
              (block $h (result i32)
                (try_table (catch $e $h) (call $down (i32.const 150)))
                (i32.const 0))
              (local.set $sum (i32.add (local.get $sum)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
            (local.get $sum))
          (func (export "tooDeep") (call $down (i32.const 500))))
        """, configuration: configuration)
        #expect(try h.call("loop") == [i32(1000)])
        #expect(trap { _ = try h.call("tooDeep") }?.trap == .callStackExhausted)
        #expect(try h.call("loop") == [i32(1000)])
    }

    @Test func anExceptionCrossesAHostFunctionToAnOuterWasmHandler() throws {
        let calls = Counter()
        let h = try harness("""
        (module
          (import "host" "reenter" (func $reenter (param i32)))
          (tag $e (param i32))
          (func (export "inner") (param i32) (throw $e (i32.add (local.get 0) (i32.const 1))))
          (func (export "outer") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (call $reenter (local.get 0)))
              (i32.const -1)))
          (func (export "ok") (result i32) (i32.const 5)))
        """) { linker, _ in
            linker.defineFunction(module: "host", name: "reenter", type: FunctionType(parameters: [.i32])) { caller, args in
                calls.value += 1
                guard let inner = caller.instance?.function("inner") else { return [] }
                _ = try inner.invoke(args)
                return []
            }
        }
        #expect(try h.call("outer", i32(10)) == [i32(11)])
        #expect(calls.value == 1)
        #expect(try h.call("ok") == [i32(5)])
    }

    @Test func legacyTryCatchDelegateAndRethrow() throws {
        let h = try harness("""
        (module
          (tag $e (param i32))
          (tag $f)
          (func $throw (param i32) (throw $e (local.get 0)))
          (func (export "catch") (param i32) (result i32)
            (try (result i32)
              (do (call $throw (local.get 0)) (i32.const 0))
              (catch $f (i32.const -1))
              (catch $e (i32.add (i32.const 1000)))))
          (func (export "catchAll") (result i32)
            (try (result i32) (do (throw $f)) (catch $e) (catch_all (i32.const 9))))
          ;; delegate skips the middle try's handler and goes to $outer's.
          (func (export "delegate") (result i32)
            (try $outer (result i32)
              (do
                (try (result i32)
                  (do (try (result i32) (do (call $throw (i32.const 4)) (i32.const 0)) (delegate $outer)))
                  (catch $e (drop) (i32.const -2))))
              (catch $e (i32.add (i32.const 100)))))
          ;; rethrow 1 from a nested try rethrows the exception of the enclosing catch.
          (func (export "rethrow") (result i32)
            (try (result i32)
              (do
                (try (result i32)
                  (do (call $throw (i32.const 6)) (i32.const 0))
                  (catch $e (drop) (try (result i32) (do (rethrow 1)) (catch_all (i32.const -3))))))
              (catch $e (i32.mul (i32.const 10)))))
          (func (export "delegateOut")
            (try (do (call $throw (i32.const 8))) (delegate 0))))
        """)
        #expect(try h.call("catch", i32(5)) == [i32(1005)])
        #expect(try h.call("catchAll") == [i32(9)])
        #expect(try h.call("delegate") == [i32(104)])
        #expect(try h.call("rethrow") == [i32(-3)])
        let t = trap { _ = try h.call("delegateOut") }
        #expect(t?.trap == .uncaughtException)
        #expect(t?.exception?.payload == [i32(8)])
    }

    @Test func legacyRethrowOutOfTheCatchReachesTheOuterHandler() throws {
        let h = try harness("""
        (module
          (tag $e (param i32))
          (func (export "run") (result i32)
            (try (result i32)
              (do (try (do (throw $e (i32.const 6))) (catch $e (drop) (rethrow 0))) (i32.const 0))
              (catch $e (i32.mul (i32.const 10))))))
        """)
        #expect(try h.call("run") == [i32(60)])
    }

    @Test func tagsAreTheSameThroughImportsAndDistinctAcrossDefinitions() throws {
        let engine = Engine(configuration: .wasm3)
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let exporter = try linker.instantiate(CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module (tag $e (export "e") (param i32)) (tag (export "other") (param i32))
          (func (export "throw") (param i32) (throw $e (local.get 0))))
        """)), in: store)
        linker.define(instance: exporter, as: "m")
        let importer = try linker.instantiate(CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module
          (import "m" "e" (tag $e (param i32)))
          (import "m" "other" (tag $other (param i32)))
          (import "m" "throw" (func $throw (param i32)))
          (func (export "run") (param i32) (result i32)
            (block $a (result i32)
              (block $b (result i32)
                (try_table (catch $other $b) (catch $e $a) (call $throw (local.get 0)))
                (i32.const -1))
              (i32.const 1000) (i32.add))))
        """)), in: store)
        #expect(try importer.function("run")!.invoke([i32(3)]) == [i32(3)])
    }

    @Test func exceptionInstructionsAreRejectedUnder20() throws {
        var bytes: [UInt8] = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
        // type: () -> (); tag section (13) with one tag of type 0.
        bytes += [1, 4, 1, 0x60, 0, 0, 13, 3, 1, 0, 0]
        #expect(throws: (any Error).self) { _ = try CompiledModule(engine: Engine(configuration: .wasm2), bytes: bytes) }
        #expect(throws: Never.self) { _ = try CompiledModule(engine: Engine(configuration: .wasm3), bytes: bytes) }
    }
}

/// A mutable count shared with a host function.
private final class Counter: @unchecked Sendable {
    var value = 0
}
