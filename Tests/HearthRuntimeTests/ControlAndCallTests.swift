import HearthText
import HearthRuntime
import Testing

@Suite struct ControlAndCallTests {
    @Test func recursiveCallsComputeFactorial() throws {
        let h = try Harness("""
        (module
          (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
        """)
        #expect(try h.call("fac", .i64(20)) == [.i64(2432902008176640000)])
    }

    @Test func multiValueBlocksCallsAndBranches() throws {
        let h = try Harness("""
        (module
          (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
          (func (export "swap") (param i32 i32) (result i32 i32) (call $swap (local.get 0) (local.get 1)))
          (func (export "block") (result i32 i32)
            (block (result i32 i32) (i32.const 1) (i32.const 2) (br 0) (i32.const 3) (i32.const 4)))
          (func (export "brif") (param i32) (result i32)
            (i32.const 100)
            (block (param i32) (result i32) (i32.const 5) (local.get 0) (br_if 0) (drop) (i32.const 1) (i32.add)))
          (func (export "loop") (param i32) (result i32) (local i32)
            (loop $l (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (local.get 0)))
            (local.get 1))
          (func (export "early") (param i32) (result i32)
            (block (drop (br_if 1 (i32.const 42) (local.get 0)))) (i32.const 7)))
        """)
        #expect(try h.call("swap", i32(1), i32(2)) == [i32(2), i32(1)])
        #expect(try h.call("block") == [i32(1), i32(2)])
        #expect(try h.call("brif", i32(1)) == [i32(5)])
        #expect(try h.call("brif", i32(0)) == [i32(101)])
        #expect(try h.call("loop", i32(10)) == [i32(55)])
        #expect(try h.call("early", i32(1)) == [i32(42)])
        #expect(try h.call("early", i32(0)) == [i32(7)])
    }

    @Test func brTableSelectsTargetsAndDefault() throws {
        let h = try Harness("""
        (module
          (func (export "table") (param i32) (result i32)
            (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10)))
              (return (i32.const 11)))
            (i32.const 12))
          (func (export "ret") (param i32) (result i32)
            (block (result i32) (i32.const 3) (local.get 0) (br_table 0 1 1))))
        """)
        #expect(try h.call("table", i32(0)) == [i32(10)])
        #expect(try h.call("table", i32(1)) == [i32(11)])
        #expect(try h.call("table", i32(2)) == [i32(12)])
        #expect(try h.call("table", i32(99)) == [i32(12)])
        #expect(try h.call("ret", i32(0)) == [i32(3)])
        #expect(try h.call("ret", i32(5)) == [i32(3)])
        // Targets without values take the handler that moves nothing.
        #expect(try h.instance.disassemble(export: "table").contains(" brTable "))
        #expect(try h.instance.disassemble(export: "ret").contains(" brTableCopy "))
    }

    @Test func unreachableAndStackExhaustionTrapWithSpecMessages() throws {
        var config = EngineConfiguration()
        config.maxCallDepth = 500
        let h = try Harness("""
        (module
          (func (export "boom") unreachable)
          (func $f (export "forever") (call $f))
          (func $g (export "deep") (param i32) (result i32)
            (if (result i32) (local.get 0) (then (i32.add (i32.const 1) (call $g (i32.sub (local.get 0) (i32.const 1)))))
              (else (i32.const 0)))))
        """, configuration: config)
        #expect(h.trapMessage("boom") == "unreachable")
        #expect(h.trapMessage("forever") == "call stack exhausted")
        #expect(try h.call("deep", i32(400)) == [i32(400)])
        #expect(h.trapMessage("deep", i32(600)) == "call stack exhausted")
        // The store is usable after a trap.
        #expect(try h.call("deep", i32(3)) == [i32(3)])
    }

    @Test func trapBacktraceNamesFunctions() throws {
        let h = try Harness("""
        (module (func $inner unreachable) (func $outer (export "outer") (call $inner)))
        """)
        do {
            _ = try h.call("outer")
            Issue.record("expected a trap")
        } catch let trap as HearthError where trap.kind == .trap {
            #expect(trap.trap == .unreachable)
            #expect(trap.backtrace.map(\.functionIndex) == [0, 1])
        }
    }

    @Test func guestLoopOfHundredMillionInstructionsDoesNotGrowTheNativeStack() throws {
        // 50M iterations x 8 Wasm instructions = 400M Wasm instructions; the translator makes
        // each iteration 2 internal ones (`i32.add` by a constant into local 1, a fused
        // `i32.ne` + `br_if`), so the handler chain still makes 100M tail calls.
        let h = try Harness("""
        (module (func (export "count") (param i32) (result i32) (local i32)
          (loop $l
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (br_if $l (i32.ne (local.get 1) (local.get 0))))
          (local.get 1)))
        """)
        #expect(try h.call("count", i32(50_000_000)) == [i32(50_000_000)])
    }
}

/// A frame begins where the previous call's frame was, so its locals start at zero only if
/// the function's entry zeroes them: `dirty` leaves all-ones in every slot first, and each
/// `fresh` (0 to 9 locals of mixed types, the entry forms for none, few and many) returns its
/// parameter plus the bits of its locals.
@Test func everyLocalStartsAtZeroWhateverTheCountAndTheParameterSurvives() throws {
    func fresh(_ count: Int) -> String {
        let types = ["i64", "f64", "i32", "f32", "v128"]
        let locals = (0..<count).map { "(local $l\($0) \(types[$0 % types.count]))" }.joined(separator: " ")
        let bits = (0..<count).map { k -> String in
            switch types[k % types.count] {
            case "i64": "(local.get $l\(k))"
            case "f64": "(i64.reinterpret_f64 (local.get $l\(k)))"
            case "i32": "(i64.extend_i32_u (local.get $l\(k)))"
            case "f32": "(i64.extend_i32_u (i32.reinterpret_f32 (local.get $l\(k))))"
            default: "(i64.or (i64x2.extract_lane 0 (local.get $l\(k))) (i64x2.extract_lane 1 (local.get $l\(k))))"
            }
        }
        let or = bits.reduce("(i64.const 0)") { "(i64.or \($0) \($1))" }
        return """
            (func $fresh\(count) (param $p i64) (result i64) \(locals)
              (i64.add (local.get $p) \(or)))
            (func (export "fresh\(count)") (param $p i64) (result i64)
              (drop (call $dirty (i64.const -1)))
              (call $fresh\(count) (local.get $p)))
            """
    }
    let dirtyLocals = (0..<16).map { "(local $d\($0) i64)" }.joined(separator: " ")
    let dirtySets = (0..<16).map { "(local.set $d\($0) (local.get $v))" }.joined(separator: " ")
    let harness = try Harness("""
        (module
          (func $dirty (param $v i64) (result i64) \(dirtyLocals)
            \(dirtySets)
            (local.get $d15))
          \((0...9).map(fresh).joined(separator: "\n"))
        )
        """)
    for count in 0...9 {
        #expect(try harness.call("fresh\(count)", .i64(41)) == [.i64(41)], "\(count) locals")
    }
}

@Test func aCallDepthOrStackSizeNearIntMaxIsClampedNotACrash() throws {
    // Sizes near Int.max used to overflow the store's allocations and abort the process.
    var configuration = EngineConfiguration()
    configuration.maxCallDepth = Int.max
    configuration.valueStackSlots = Int.max
    let engine = Engine(configuration: configuration)
    let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule(
        "(module (func (export \"f\") (result i32) (i32.const 7)))"))
    let instance = try Linker(engine: engine).instantiate(module, in: Store(engine: engine))
    #expect(try instance.function("f")!.invoke([]) == [.i32(7)])
}
