import HearthBinary
import HearthRuntime
import Testing

/// `Instance.disassemble`: the translated code, instruction by instruction, with the operand
/// forms the translator chose.
@Suite struct DisassemblyTests {
    static let sum = """
        (module
          (import "env" "log" (func $log (param i32)))
          (memory 1)
          (func $sum (export "sum") (param $p i32) (param $n i32) (result i32)
            (local $s i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $s))
          (func $count (export "count") (param $n i32) (result i32)
            (local $i i32)
            (loop $again
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $again (i32.lt_s (local.get $i) (local.get $n))))
            (local.get $i)))
        """

    static func harness() throws -> Harness {
        try Harness(sum) { linker, _ in
            linker.defineFunction(module: "env", name: "log", type: FunctionType(parameters: [.i32], results: [])) { _, _ in [] }
        }
    }

    @Test func aLoadFeedingAnAddHandsItsValueOverInTheAccumulator() throws {
        let text = try Self.harness().instance.disassemble(export: "sum")
        #expect(text == """
            function 1 "sum": 9 instructions, 31 words, frame 6 slots
                 0  enterZeroingFew       6, 2, 1, 0
                 5  poll
                 6  brUnless              s1, -> 28
                 9  i32Load_r             s4, s0, +0, memory 0
                14  i32Add_a3             s2, s2, s4
                18  i32AddImm             s0, s0, #4
                22  i32SubImm             s1, s1, #1
                26  back                  -20
                28  return                2, 1

            """)
    }

    @Test func aLoopSteppingItsCounterAndClosingOnACompareIsOneSteppedBackwardBranchPastTheHeadersPoll() throws {
        let harness = try Self.harness()
        let text = try harness.instance.disassemble(function: 2)
        // The add's words, the branch's unread handler word (not printed), the branch's words.
        #expect(text == """
            function 2 "count": 4 instructions, 17 words, frame 5 slots
                 0  enterZeroingFew       5, 1, 1, 0
                 5  poll
                 6  backStepI32LtS        s1, s1, #1, s1, s0, -> 6
                14  return                1, 1

            """)
        #expect(try harness.call("count", .i32(5)) == [.i32(5)])
        #expect(try harness.call("count", .i32(UInt32(bitPattern: -3))) == [.i32(1)])
    }

    static let countdowns = """
        (module
          (func $down (export "down") (param $n i32) (result i32)
            (local $steps i32)
            (loop $again
              (local.set $steps (i32.add (local.get $steps) (i32.const 3)))
              (br_if $again (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
            (local.get $steps))
          (func $joined (export "joined") (param $n i32) (result i32)
            (local $i i32)
            (loop $again
              (block $skip
                (br_if $skip (i32.eqz (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 1))))
              (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $i)))
        """

    @Test func aCounterSteppedInPlaceFusesWithTheBackwardBranchTestingItButNotAcrossALabel() throws {
        let harness = try Harness(Self.countdowns)
        #expect(Self.names(try harness.instance.disassemble(export: "down"))
                == ["enterZeroingFew", "poll", "i32AddImm", "backStepIf", "return"])
        #expect(try harness.call("down", .i32(4)) == [.i32(12)])
        // A block ends between the add and the branch, and a branch from before the add lands
        // there: the two stay apart.
        #expect(Self.names(try harness.instance.disassemble(export: "joined"))
                == ["enterZeroingFew", "poll", "brUnless", "i32AddImm", "backI32LtU", "return"])
        #expect(try harness.call("joined", .i32(6)) == [.i32(6)])
        #expect(try harness.call("joined", .i32(0)) == [.i32(0)])
    }

    static let pairs = """
        (module
          (func $mix (export "mix") (param $a i32) (param $b i32) (param $x f64) (param $y f64) (result i32)
            (i32.add (local.get $a) (i32.mul (local.get $b) (i32.const 31)))
            (i32.trunc_f64_s (f64.sub (local.get $x) (f64.mul (local.get $y) (local.get $y))))
            (i32.add)))
        """

    @Test func aProducerHandingItsResultToTheNextInstructionRunsWithItAsOneFusedPair() throws {
        let harness = try Harness(Self.pairs)
        let text = try harness.instance.disassemble(export: "mix")
        #expect(Self.names(text) == ["enter", "i32MulImmThenI32Add_a3", "f64MulThenF64Sub_a3r", "i32TruncF64S_a2r", "i32Add_a3", "return"],
                "\(text)")
        // 2 + 5 * 31 = 157; 10.5 - 3 * 3 = 1.5, truncated to 1.
        #expect(try harness.call("mix", .i32(2), .i32(5), .f64(10.5.bitPattern), .f64(3.0.bitPattern)) == [.i32(158)])
    }

    static let floats = """
        (module
          (memory 1)
          (func $shift (export "shift") (param $p i32) (param $k f64)
            (f64.store (local.get $p) (f64.add (f64.load offset=8 (local.get $p)) (local.get $k))))
          (func $bits (export "bits") (param $x f64) (result i64)
            (i64.add (i64.reinterpret_f64 (f64.mul (local.get $x) (local.get $x))) (i64.const 1)))
          (func $get (export "get") (param $p i32) (result f64) (f64.load (local.get $p))))
        """

    @Test func floatsTravelInTheFloatAccumulatorAndBitsOfEitherClassTakeTheFormOfTheirPartner() throws {
        let harness = try Harness(Self.floats)
        // The load shared by i64.load and f64.load leaves its value in the float accumulator
        // (fused with the add that reads it), and the store reads it from there (`_a2f`).
        let shift = try harness.instance.disassemble(export: "shift")
        #expect(Self.names(shift) == ["enter", "i64LoadThenF64Add_a2r", "i64Store_a2f", "return"], "\(shift)")
        // A float reinterpreted as an integer: the copy reads it from the float accumulator
        // (`_a2f`) and writes its slot, where the integer add reads it: the accumulators differ.
        let bits = try harness.instance.disassemble(export: "bits")
        #expect(Self.names(bits) == ["enter", "f64Mul_r", "copy_a2f", "i64AddImm", "return"], "\(bits)")
        // p[0] = p[1] + k, twice: 0 + 1.5 at 8, then 1.5 + 0.25 at 0.
        _ = try harness.call("shift", .i32(8), .f64(1.5.bitPattern))
        _ = try harness.call("shift", .i32(0), .f64(0.25.bitPattern))
        #expect(try harness.call("get", .i32(0)) == [.f64(1.75.bitPattern)])
        #expect(try harness.call("bits", .f64(3.0.bitPattern)) == [.i64(9.0.bitPattern + 1)])
    }

    static let scan = """
        (module
          (memory 1)
          (data (i32.const 16) "\\01\\00\\00\\00\\05\\00\\00\\00")
          (func $scan (export "scan") (param $p i32) (param $pivot i32) (result i32)
            (local $i i32) (local $v i32)
            (loop $next
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $v (i32.load (local.get $p)))
              (br_if $next (i32.lt_u (local.get $v) (local.get $pivot))))
            (local.get $i)))
        """

    @Test func instructionsThatFollowEachOtherInAListedPairRunAsOneAndTheSecondStaysWhole() throws {
        let harness = try Harness(Self.scan)
        let text = try harness.instance.disassemble(export: "scan")
        // The two steps are one instruction, the load and the loop's compare-and-branch another;
        // each second instruction's words follow its unread handler word (not printed).
        #expect(text == """
            function 0 "scan": 5 instructions, 26 words, frame 7 slots
                 0  enterZeroingFew       7, 2, 2, 0
                 5  poll
                 6  i32AddImmThenI32AddImm s2, s2, #1, s0, s0, #4
                14  i32LoadThenBackI32LtU s3, s0, +0, memory 0, s3, s1, -> 6
                23  return                2, 1

            """)
        // Loads at 4, 8, 12 (0), 16 (1), 20 (5): the fifth is not below 3.
        #expect(try harness.call("scan", .i32(0), .i32(3)) == [.i32(5)])
    }

    static let calls = """
        (module
          (func $mix (param i32 i32 i32) (result i32)
            (i32.sub (i32.mul (local.get 0) (i32.const 100)) (i32.add (local.get 1) (local.get 2))))
          (func $caller (export "caller") (param $a i32) (param $b i32) (result i32)
            (call $mix (local.get $b) (i32.const 7) (i32.add (local.get $a) (local.get $b)))))
        """

    /// The instructions' names, one per line, without words (a call's words are addresses).
    static func names(_ text: String) -> [String] {
        text.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[1]) }
    }

    @Test func callArgumentsStillInLocalsOrConstantsAreMovedByTheCallItself() throws {
        let harness = try Harness(Self.calls)
        let text = try harness.instance.disassemble(export: "caller")
        #expect(Self.names(text) == ["enter", "i32Add", "callMoving", "return"])
        // mix(b, 7, a + b) = b * 100 - (7 + a + b)
        #expect(try harness.call("caller", .i32(3), .i32(5)) == [.i32(485)])
        #expect(try harness.call("caller", .i32(10), .i32(1)) == [.i32(82)])
    }

    static let indirectCalls = """
        (module
          (type $t (func (param i32 i32 i32) (result i32)))
          (type $other (func (result i32)))
          (table 3 funcref)
          (elem (i32.const 1) $mix $constant)
          (func $mix (type $t)
            (i32.sub (i32.mul (local.get 0) (i32.const 100)) (i32.add (local.get 1) (local.get 2))))
          (func $constant (type $other) (i32.const 1))
          (func $caller (export "caller") (param $a i32) (param $b i32) (param $entry i32) (result i32)
            (call_indirect (type $t) (local.get $b) (i32.const 7) (i32.add (local.get $a) (local.get $b))
                                     (local.get $entry))))
        """

    @Test func indirectCallArgumentsStillInLocalsOrConstantsAreMovedByTheCallItself() throws {
        let harness = try Harness(Self.indirectCalls)
        #expect(Self.names(try harness.instance.disassemble(export: "caller")) == ["enter", "i32Add", "callIndirectMoving", "return"])
        #expect(try harness.call("caller", .i32(3), .i32(5), .i32(1)) == [.i32(485)])
        #expect(try harness.call("caller", .i32(10), .i32(1), .i32(1)) == [.i32(82)])
        // The moves happen first; the table checks still trap as `call_indirect`'s do.
        #expect(harness.trapMessage("caller", .i32(1), .i32(2), .i32(0)) == "uninitialized element")
        #expect(harness.trapMessage("caller", .i32(1), .i32(2), .i32(2)) == "indirect call type mismatch")
        #expect(harness.trapMessage("caller", .i32(1), .i32(2), .i32(3)) == "undefined element")
    }

    static let statics = """
        (module
          (memory 1)
          (func $bump (export "bump") (param $by i32) (result i32)
            (i32.store offset=16 (i32.const 0) (i32.add (i32.load offset=16 (i32.const 0)) (local.get $by)))
            (i32.store16 (i32.const 20) (local.get $by))
            (i64.store (i32.const 24) (i64.const -1))
            (i32.add (i32.load offset=16 (i32.const 0)) (i32.load16_u (i32.const 20))))
          (func $far (export "far") (result i32)
            (i32.load offset=65533 (i32.const 0))))
        """

    @Test func accessesToConstantAddressesNameTheAddressInTheInstruction() throws {
        let harness = try Harness(Self.statics)
        #expect(Self.names(try harness.instance.disassemble(export: "bump")) == [
            "enter", "i32LoadAbsolute_r", "i32Add_a2r", "i32StoreAbsolute_a2", "i32Store16Absolute",
            "i64StoreAbsoluteConstant", "i32LoadAbsolute", "i32Load16UAbsolute_r", "i32Add_a3", "return",
        ])
        // 16: 0 + 5, then 5 + 7; 20: the last argument as 16 bits.
        #expect(try harness.call("bump", .i32(5)) == [.i32(5 + 5)])
        #expect(try harness.call("bump", .i32(0x1_0007)) == [.i32(5 + 0x1_0007 + 7)])
        #expect(harness.trapMessage("far") == "out of bounds memory access")
    }

    @Test func anImportedFunctionHasNoCodeToDisassemble() throws {
        let instance = try Self.harness().instance
        #expect(performing: { try instance.disassemble(function: 0) },
                throws: refusal(.link, "unsupported: function 0 is imported; it has no code here to disassemble"))
        #expect(performing: { try instance.disassemble(function: 3) },
                throws: refusal(.link, "no function 3: the module has 3"))
        #expect(performing: { try instance.disassemble(export: "missing") },
                throws: refusal(.link, "no exported function \"missing\""))
    }

    static let zeroedLocals = """
        (module
          (func (export "top") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i64)
            (local.set $a (i32.const 0))
            (local.set $b (local.get $n))
            (local.set $b (i32.const 0))
            (drop (local.tee $c (i64.const 0)))
            (block $out
              (loop $again
                (br_if $out (i32.eqz (local.get $n)))
                (local.set $a (i32.add (local.get $a) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $again)))
            (local.set $c (i64.const 0))
            (i32.add (i32.add (local.get $a) (local.get $b)) (i32.wrap_i64 (local.get $c))))
          (func (export "inLoop") (param $n i32) (result i32) (local $a i32) (local $sum i32)
            (loop $again
              (local.set $a (i32.const 0))
              (local.set $sum (i32.add (local.get $sum) (local.get $a)))
              (local.set $a (i32.const 5))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $again (local.get $n)))
            (local.get $sum))
        )
        """

    @Test func settingALocalToZeroBeforeAnyLabelEmitsNothingUnlessTheLocalWasWrittenSince() throws {
        let harness = try Harness(Self.zeroedLocals)
        // `top`: $a and $c still hold the entry's zero (nothing), $b was written (a `const`),
        // and $c after the loop's labels is set again (a `const`).
        let top = try harness.instance.disassemble(export: "top")
        #expect(Self.names(top).filter { $0 == "const" }.count == 2, "\(top)")
        #expect(try harness.call("top", .i32(4)) == [.i32(10)])
        // A loop's head is a label: the zero set there is stored on every iteration.
        let inLoop = try harness.instance.disassemble(export: "inLoop")
        #expect(Self.names(inLoop).filter { $0 == "const" }.count == 2, "\(inLoop)")
        #expect(try harness.call("inLoop", .i32(3)) == [.i32(0)])
    }
}
