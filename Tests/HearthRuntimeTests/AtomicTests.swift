import Foundation
import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// The threads proposal's atomics (Wasm 3.0) under single-threaded semantics: exact results,
/// the traps that set them apart from plain accesses, and `wait` with nobody to notify it.
@Suite struct AtomicTests {
    /// Hands the store to the interrupting thread: `Store.interrupt()` is documented thread-safe.
    private final class StoreBox: @unchecked Sendable {
        let store: Store
        init(_ store: Store) { self.store = store }
    }

    /// A shared memory with one export per operation under test.
    static let module = """
    (module
      (memory 1 1 shared)
      (func (export "init") (param i64) (i64.store (i32.const 0) (local.get 0)))
      (func (export "peek") (result i64) (i64.load (i32.const 0)))
      (func (export "load16") (param i32) (result i64) (i64.atomic.load16_u (local.get 0)))
      (func (export "store8") (param i32 i32) (i32.atomic.store8 (local.get 0) (local.get 1)))
      (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
      (func (export "sub8") (param i32 i64) (result i64) (i64.atomic.rmw8.sub_u (local.get 0) (local.get 1)))
      (func (export "xchg64") (param i32 i64) (result i64) (i64.atomic.rmw.xchg (local.get 0) (local.get 1)))
      (func (export "cmpxchg16") (param i32 i32 i32) (result i32)
        (i32.atomic.rmw16.cmpxchg_u (local.get 0) (local.get 1) (local.get 2)))
      (func (export "fence") (atomic.fence))
      (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1)))
      (func (export "wait32") (param i32 i32 i64) (result i32)
        (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
      (func (export "wait64") (param i32 i64 i64) (result i32)
        (memory.atomic.wait64 (local.get 0) (local.get 1) (local.get 2))))
    """

    @Test func rmwReturnsTheOldValueAndStoresTheNewOne() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        try _ = h.call("init", i64(0x1111_1111_1111_1111))
        #expect(try h.call("add", i32(0), i32(0x1234_5678)) == [i32(0x1111_1111)])
        #expect(try h.call("peek") == [i64(0x1111_1111_2345_6789)])
        #expect(try h.call("xchg64", i32(0), i64(42)) == [i64(0x1111_1111_2345_6789)])
        #expect(try h.call("peek") == [i64(42)])
    }

    @Test func narrowRmwWrapsItsOperandAndZeroExtendsItsResult() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        try _ = h.call("init", i64(0x1111_1111_1111_1111))
        // 0x11 - 0x42 wraps to 0xcf in the low byte only; the other bytes are untouched.
        #expect(try h.call("sub8", i32(0), i64(0x4242_4242_4242_4242)) == [i64(0x11)])
        #expect(try h.call("peek") == [i64(0x1111_1111_1111_11cf)])
    }

    @Test func atomicLoadsAndStoresMoveExactlyTheirWidth() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        try _ = h.call("init", i64(0x0706_0504_0302_0100))
        #expect(try h.call("load16", i32(6)) == [i64(0x0706)])
        try _ = h.call("store8", i32(1), i32(0x1234_5699))
        #expect(try h.call("peek") == [i64(0x0706_0504_0302_9900)])
    }

    @Test func cmpxchgStoresOnlyWhenTheWrappedExpectedValueMatches() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        try _ = h.call("init", i64(0x1111_1111_1111_1111))
        // Mismatch: returns the loaded value, memory unchanged.
        #expect(try h.call("cmpxchg16", i32(0), i32(0), i32(0xcafe)) == [i32(0x1111)])
        #expect(try h.call("peek") == [i64(0x1111_1111_1111_1111)])
        // The expected value is compared after wrapping to 16 bits.
        #expect(try h.call("cmpxchg16", i32(0), i32(0x7777_1111), .i32(0xbeef_cafe)) == [i32(0x1111)])
        #expect(try h.call("peek") == [i64(0x1111_1111_1111_cafe)])
    }

    /// Alignment is checked before bounds, as the threads proposal's reference interpreter and
    /// wasmtime do (the differential run's finding F1): misaligned and out of bounds at once is
    /// "unaligned atomic".
    @Test func unalignedAtomicAccessTrapsAndAlignmentIsCheckedBeforeBounds() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(h.trapMessage("add", i32(2), i32(1)) == "unaligned atomic")
        #expect(h.trapMessage("load16", i32(1)) == "unaligned atomic")
        #expect(h.trapMessage("notify", i32(1), i32(1)) == "unaligned atomic")
        #expect(h.trapMessage("wait64", i32(4), i64(0), i64(0)) == "unaligned atomic")
        #expect(h.trapMessage("add", i32(65_536), i32(1)) == "out of bounds memory access")
        #expect(h.trapMessage("add", i32(65_535), i32(1)) == "unaligned atomic")
        #expect(h.trapMessage("add", i32(-1), i32(1)) == "unaligned atomic")
        #expect(h.trapMessage("notify", i32(65_536), i32(1)) == "out of bounds memory access")
        // A byte access is always aligned.
        try _ = h.call("store8", i32(65_535), i32(1))
    }

    /// On a 64-bit memory, address + offset can pass 2^64. The effective address is the true
    /// sum, so its alignment is still checked first: odd past 2^64 is "unaligned atomic", even
    /// is out of bounds (wasmtime agrees; the differential run's case `all-744` of seed `post-f1`).
    @Test func anAtomicAddressPast2To64IsStillCheckedForAlignmentFirst() throws {
        let h = try Harness("""
            (module (memory i64 1 1 shared)
              (func (export "load16") (param i64) (result i32) (i32.atomic.load16_u offset=2 (local.get 0))))
            """, configuration: .wasm3)
        #expect(h.trapMessage("load16", i64(-1)) == "unaligned atomic")
        #expect(h.trapMessage("load16", i64(-2)) == "out of bounds memory access")
        #expect(try h.call("load16", i64(0)) == [i32(0)])
    }

    @Test func fenceDoesNothingAndNotifyWakesNobody() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(try h.call("fence") == [])
        #expect(try h.call("notify", i32(8), i32(-1)) == [i32(0)])
    }

    @Test func waitOnAValueThatDiffersReturnsNotEqual() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        try _ = h.call("init", i64(0xffff_ffff_ffff))
        #expect(try h.call("wait32", i32(0), i32(0), i64(-1)) == [i32(1)])
        #expect(try h.call("wait64", i32(0), i64(0), i64(-1)) == [i32(1)])
    }

    @Test func waitOnAnEqualValueTimesOutAfterItsTimeout() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(try h.call("wait32", i32(0), i32(0), i64(0)) == [i32(2)])
        let start = Date()
        #expect(try h.call("wait64", i32(8), i64(0), i64(30_000_000)) == [i32(2)])
        #expect(Date().timeIntervalSince(start) >= 0.03)
    }

    @Test func waitWithoutTimeoutTrapsInsteadOfHangingForever() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        #expect(h.trapMessage("wait32", i32(0), i32(0), i64(-1))?.hasPrefix("atomic wait without timeout") == true)
    }

    @Test func interruptStopsALongWait() throws {
        let h = try Harness(Self.module, configuration: .wasm3)
        let box = StoreBox(h.store)
        Thread {
            Thread.sleep(forTimeInterval: 0.05)
            box.store.interrupt()
        }.start()
        let start = Date()
        var kind: TrapKind?
        do { _ = try h.call("wait32", i32(0), i32(0), i64(60_000_000_000)) } catch let trap as HearthError where trap.kind == .trap { kind = trap.trap }
        #expect(kind == .interrupted)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func waitOnAnUnsharedMemoryTraps() throws {
        let h = try Harness("""
        (module
          (memory 1 1)
          (func (export "wait32") (param i32 i32 i64) (result i32)
            (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1))))
        """, configuration: .wasm3)
        #expect(h.trapMessage("wait32", i32(0), i32(1), i64(0)) == "expected shared memory")
        // Every other atomic works on an unshared memory.
        #expect(try h.call("add", i32(0), i32(5)) == [i32(0)])
        #expect(try h.call("add", i32(0), i32(5)) == [i32(5)])
    }

    @Test func atomicsReachMemoryOneAndNotMemoryZero() throws {
        let h = try Harness("""
        (module
          (memory $a 1) (memory $b 1 1 shared)
          (func (export "addB") (param i32 i32) (result i32) (i32.atomic.rmw.add $b (local.get 0) (local.get 1)))
          (func (export "loadA") (param i32) (result i32) (i32.atomic.load $a (local.get 0)))
          (func (export "waitB") (param i32 i32) (result i32) (memory.atomic.wait32 $b (local.get 0) (local.get 1) (i64.const 0)))
          (func (export "waitA") (param i32) (result i32) (memory.atomic.wait32 $a (local.get 0) (i32.const 0) (i64.const 0))))
        """, configuration: .wasm3)
        #expect(try h.call("addB", i32(16), i32(7)) == [i32(0)])
        #expect(try h.call("addB", i32(16), i32(1)) == [i32(7)])
        #expect(try h.call("loadA", i32(16)) == [i32(0)])
        #expect(try h.call("waitB", i32(16), i32(8)) == [i32(2)])
        #expect(h.trapMessage("waitA", i32(16)) == "expected shared memory")
    }

    @Test func atomicsOnA64BitMemoryCheckTheWholeAddress() throws {
        let h = try Harness("""
        (module
          (memory i64 1 1 shared)
          (func (export "cmpxchg") (param i64 i64 i64) (result i64)
            (i64.atomic.rmw.cmpxchg offset=8 (local.get 0) (local.get 1) (local.get 2)))
          (func (export "load") (param i64) (result i64) (i64.atomic.load (local.get 0))))
        """, configuration: .wasm3)
        #expect(try h.call("cmpxchg", i64(0), i64(0), i64(99)) == [i64(0)])
        #expect(try h.call("load", i64(8)) == [i64(99)])
        #expect(h.trapMessage("cmpxchg", i64(4), i64(0), i64(0)) == "unaligned atomic")
        // The high half of the address counts: no wrap-around to address 8.
        #expect(h.trapMessage("load", i64(0x1_0000_0008)) == "out of bounds memory access")
        #expect(h.trapMessage("load", i64(65_536 - 8 + 8)) == "out of bounds memory access")
    }

    @Test func atomicAlignmentMustBeNatural() throws {
        let engine = Engine(configuration: .wasm3)
        let bytes = try WAT.parseModule("(module (memory 1 1 shared) (func (drop (i32.atomic.load align=2 (i32.const 0)))))")
        #expect(throws: (any Error).self) { try CompiledModule(engine: engine, bytes: bytes) }
        do {
            _ = try CompiledModule(engine: engine, bytes: bytes)
        } catch {
            #expect("\(error)".contains("atomic alignment must be natural"))
        }
    }

    @Test func sharedMemoryImportsMatchOnlySharedMemories() throws {
        let engine = Engine(configuration: .wasm3)
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let shared = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2, isShared: true)))
        let plain = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2)))
        linker.define(module: "env", name: "shared", .memory(shared))
        linker.define(module: "env", name: "plain", .memory(plain))
        func instantiate(_ name: String, _ type: String) throws {
            let bytes = try WAT.parseModule("(module (import \"env\" \"\(name)\" (memory \(type))))")
            _ = try linker.instantiate(try CompiledModule(engine: engine, bytes: bytes), in: store)
        }
        try instantiate("shared", "1 2 shared")
        try instantiate("plain", "1 2")
        #expect { try instantiate("shared", "1 2") } throws: { ($0 as? HearthError)?.kind == .link }
        #expect { try instantiate("plain", "1 2 shared") } throws: { ($0 as? HearthError)?.kind == .link }
    }
}
