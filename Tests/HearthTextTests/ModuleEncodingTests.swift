import Testing
@testable import HearthText

/// Whole modules encoded to exact bytes (checked against an independent assembler).
struct ModuleEncodingTests {
    @Test func typeUsesNamedLocalsLabelsAndMultiValueResultsEncodeExactly() throws {
        let text = """
        (module
          (type $t (func (param i32) (result i32)))
          (func $f (export "f") (type $t) (local.get 0))
          (func $g (param $x i32) (result i32 i32) (local $y i64)
            (block $outer (result i32) (br $outer (local.get $x)))
            (local.get $x)))
        """
        #expect(try encodeWithoutNames(text) ==
            "0061736d01000000010c0260017f017f60017f027f7f0303020001070501016600000a1402040020000b0d01017e027f20000c000b20000b")
    }

    @Test func elementAndDataSegmentsUseTheirCompactEncodings() throws {
        let text = """
        (module
          (table $t 2 funcref)
          (func $a)
          (elem (i32.const 0) $a $a)
          (elem func $a)
          (elem declare func $a)
          (elem (table $t) (offset (i32.const 1)) funcref (ref.func $a) (ref.null func))
          (memory 1)
          (data (i32.const 8) "hi\\n")
          (data "\\00\\ff"))
        """
        #expect(try encodeWithoutNames(text) ==
            "0061736d01000000010401600000030201000404017000020503010001091b040041000b02000001000100030001000441010b02d2000bd0700b0a040102000b0b0d020041080b0368690a010200ff")
    }

    @Test func theBareSegmentIndexOfWasm1IsTheTableOrMemory() throws {
        // `(elem 0 ...)` / `(data 0 ...)`, as proposal suites written against 1.0 still say.
        let bare = "(module (table 1 funcref) (memory 1) (func $f) (elem 0 (i32.const 0) $f) (data 0 (i32.const 8) \"x\"))"
        let explicit = "(module (table 1 funcref) (memory 1) (func $f) (elem (table 0) (i32.const 0) func $f) (data (memory 0) (i32.const 8) \"x\"))"
        #expect(try encodeWithoutNames(bare) == encodeWithoutNames(explicit))
        // A name there is the segment's own id, not an index.
        #expect(try encodeWithoutNames("(module (memory 1) (data $d (i32.const 8) \"x\"))") ==
            encodeWithoutNames("(module (memory 1) (data (i32.const 8) \"x\"))"))
    }

    @Test func foldedAndPlainInstructionsEncodeIdentically() throws {
        let folded = "(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) (else (i32.const 3)))))"
        let plain = "(module (func (result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end))"
        #expect(try WAT.parseModule(folded) == WAT.parseModule(plain))
    }

    @Test func bareFieldsAreAModule() throws {
        #expect(try WAT.parseModule("(func) (memory 1)") == WAT.parseModule("(module (func) (memory 1))"))
    }

    @Test func implicitTypesAreAppendedAfterAllExplicitTypes() throws {
        // $f's ()->f64 comes after the later explicit (param i32) type, and $g reuses the explicit one.
        let text = """
        (module
          (func $f (result f64) (f64.const 0))
          (func $g (param i32))
          (type $t (func (param i32))))
        """
        let bytes = try encodeWithoutNames(text)
        let expected = "0061736d01000000" + "01090260017f006000017c" + "0303020100"
        #expect(bytes.hasPrefix(expected))
    }

    @Test func inlineMemoryDataSizesTheMemoryAndAddsAnActiveSegment() throws {
        let bytes = try encodeWithoutNames("(module (memory (data \"ab\")))")
        let expected = "0061736d01000000" + "050401010101" + "0b08010041000b026162"
        #expect(bytes == expected)
    }

    @Test func inlineImportsAndExportsExpand() throws {
        let inline = "(module (func $i (export \"e\") (import \"m\" \"n\") (param i32)))"
        let explicit = "(module (import \"m\" \"n\" (func $i (param i32))) (export \"e\" (func $i)))"
        #expect(try WAT.parseModule(inline) == WAT.parseModule(explicit))
    }

    @Test func memoryInstructionsCarryOffsetAndAlignment() throws {
        let bytes = try encodeWithoutNames("(module (memory 1) (func (drop (i64.load32_u offset=0x10 align=2 (i32.const 0)))))")
        // i64.load32_u = 0x35, align 2 bytes = 2^1, offset 16.
        let expected = "4100" + "350110" + "1a0b"
        #expect(bytes.contains(expected))
    }

    @Test func bulkMemoryUseEmitsTheDataCountSection() throws {
        let bytes = try encodeWithoutNames("(module (memory 1) (data $d \"x\") (func (data.drop $d)))")
        // Section 12 (data count, 1 segment) sits between the function and code sections.
        let expected = "0c0101" + "0a070105" + "00fc09000b0b"
        #expect(bytes.contains(expected))
    }

    @Test func functionNamesAreEmittedInTheNameSection() throws {
        let bytes = hex(try WAT.parseModule("(module (func $main))"))
        let expected = "046e616d65" + "010701" + "00046d61696e"
        #expect(bytes.hasSuffix(expected))
    }

    @Test func moduleBinaryAndQuoteFormsAreAccepted() throws {
        #expect(try WAT.parseModule("(module binary \"\\00asm\" \"\\01\\00\\00\\00\")") == [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
        #expect(try WAT.parseModule("(module quote \"(func)\")") == WAT.parseModule("(module (func))"))
    }

    @Test func tableInitializerExpressionsUseTheWasm3Encoding() throws {
        let bytes = try encodeWithoutNames("(module (table 2 funcref (ref.null func)))")
        #expect(bytes == "0061736d01000000" + "0409014000700002d0700b")
    }

    @Test func vectorConstantsEncodeTheirLanesLittleEndian() throws {
        let i16 = try encodeWithoutNames("(module (func (drop (v128.const i16x8 1 -1 0x7fff 0 0 0 0 0x8000))))")
        #expect(i16.contains("fd0c0100ffffff7f00000000000000000080" + "1a0b"))
        let f32 = try encodeWithoutNames("(module (func (drop (v128.const f32x4 1.0 -0x1p-1 inf nan:0x1))))")
        #expect(f32.contains("fd0c0000803f000000bf0000807f0100807f"))
    }

    @Test func shuffleLaneAndMemoryLaneFormsEncodeTheirImmediates() throws {
        let shuffle = try encodeWithoutNames("""
            (module (func (param v128) (result v128)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))))
            """)
        #expect(shuffle.contains("fd0d000102030405060708090a0b0c0d0e1f"))
        let lanes = try encodeWithoutNames("""
            (module (memory 1) (func (param v128) (result v128)
              (i32x4.replace_lane 3 (v128.load64_lane offset=8 align=4 1 (i32.const 0) (local.get 0)) (i32.const 7))))
            """)
        // v128.load64_lane: sub-opcode 0x57, align 2^2, offset 8, lane 1; then replace_lane 3.
        #expect(lanes.contains("fd57020801410" + "7fd1c03"))
        let plain = try encodeWithoutNames("(module (func (param v128) (result i32) (i32x4.all_true (i32x4.add (local.get 0) (local.get 0)))))")
        #expect(plain.contains("fdae01fda301"))
    }

    @Test func badLaneLiteralsAreMalformed() {
        #expect(textErrorMessage { try WAT.parseModule("(func (result i32) (i32x4.extract_lane 256 (v128.const i32x4 0 0 0 0)))", features: .wasm2) }
                == "malformed lane index")
        #expect(textErrorMessage { try WAT.parseModule("(func (result i32) (i32x4.extract_lane +1 (v128.const i32x4 0 0 0 0)))") }
                == "unexpected token")
        #expect(textErrorMessage { try WAT.parseModule("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 (local.get 0) (local.get 0)))") }
                == "invalid lane length")
        #expect(textErrorMessage { try WAT.parseModule("(func (drop (v128.const i32x4 0 0 0)))") }
                == "wrong number of lane literals")
    }
}
