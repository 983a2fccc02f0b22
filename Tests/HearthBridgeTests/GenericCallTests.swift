import HearthBridge
import HearthRuntime
import HearthText
import Testing

/// The generic guest-call path: any export, byte buffers in and out.
@Suite struct GenericCallTests {
    /// A guest with a bump allocator and exports using three buffer conventions.
    static let wat = """
    (module
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 1024))
      (global $freed (export "freed") (mut i32) (i32.const 0))
      (func $malloc (export "malloc") (param $n i32) (result i32) (local $p i32)
        (local.set $p (global.get $next))
        (global.set $next (i32.add (global.get $next) (local.get $n)))
        (local.get $p))
      (func (export "free") (param i32)
        (global.set $freed (i32.add (global.get $freed) (i32.const 1))))
      ;; ASCII upper-casing into a new buffer, answered as (pointer << 32 | length).
      (func (export "upper") (param $p i32) (param $n i32) (result i64) (local $out i32) (local $i i32) (local $c i32)
        (local.set $out (call $malloc (local.get $n)))
        (block $done (loop $step
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
          (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
            (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
          (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $c))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $step)))
        (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32)) (i64.extend_i32_u (local.get $n))))
      ;; Two buffers joined, answered as a pointer to a u32 length and the bytes.
      (func (export "join") (param $a i32) (param $al i32) (param $b i32) (param $bl i32) (result i32) (local $out i32)
        (local.set $out (call $malloc (i32.add (i32.const 4) (i32.add (local.get $al) (local.get $bl)))))
        (i32.store (local.get $out) (i32.add (local.get $al) (local.get $bl)))
        (memory.copy (i32.add (local.get $out) (i32.const 4)) (local.get $a) (local.get $al))
        (memory.copy (i32.add (i32.add (local.get $out) (i32.const 4)) (local.get $al)) (local.get $b) (local.get $bl))
        (local.get $out))
      ;; A length prefix claiming far more bytes than memory has.
      (func (export "wild") (param i32 i32) (result i32)
        (i32.store (i32.const 65532) (i32.const 1000))
        (i32.const 65532)))
    """

    func guest() throws -> GuestInstance {
        try GuestInstance(bytes: try WAT.parseModule(Self.wat))
    }

    @Test func packedPointerAndLengthResults() throws {
        let g = try guest()
        let out = try g.call("upper", buffers: [Array("hello, wasm".utf8)], output: .packedPointerLength(freeExport: nil))
        #expect(String(decoding: out, as: UTF8.self) == "HELLO, WASM")
        // The input buffer was returned to the guest's free.
        #expect(g.instance.global("freed")?.value == .i32(1))
    }

    @Test func lengthPrefixedResultsWithTwoInputs() throws {
        let g = try guest()
        let out = try g.call("join", buffers: [Array("ab".utf8), Array("cde".utf8)], output: .lengthPrefixed(freeExport: "free"))
        #expect(String(decoding: out, as: UTF8.self) == "abcde")
        #expect(g.instance.global("freed")?.value == .i32(3))
    }

    @Test func anOutOfRangeLengthPrefixIsAnError() throws {
        let g = try guest()
        do {
            _ = try g.call("wild", buffers: [[1, 2, 3]], output: .lengthPrefixed(freeExport: nil))
            Issue.record("read past the end of guest memory")
        } catch let BridgeError.badGuestBuffer(export, pointer, length, size) {
            #expect(export == "wild")
            #expect(pointer == 65536)
            #expect(length == 1000)
            #expect(size == 65536)
        }
    }

    @Test func callingAMissingExportIsAnError() throws {
        let g = try guest()
        do {
            _ = try g.call("nothing", buffers: [], output: .none)
            Issue.record("called an export that does not exist")
        } catch let BridgeError.missingExport(name, _) {
            #expect(name == "nothing")
        }
    }

    @Test func theBridgeABIThroughTheGenericPath() throws {
        let t = try TestBridge()
        let delegate = try t.delegate("greet")
        let out = try t.bridge.guest.call("execute_delegate", buffers: [Array("[\"generic\"]".utf8)],
                                          leading: [.i32(UInt32(delegate.id))],
                                          output: .pointerWithLengthExport(lengthExport: "get_result_length", freeExport: "free_result"))
        #expect(String(decoding: out, as: UTF8.self) == #"{"ok":"Hello, generic!"}"#)
    }
}
