import HearthRuntime
import HearthText
import Testing

@Suite struct MemoryTests {
    static let wat = """
    (module
      (memory (export "mem") 1 3)
      (data (i32.const 8) "\\01\\02\\03\\04")
      (data $p "hello")
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
      (func (export "load8s") (param i32) (result i32) (i32.load8_s offset=1 (local.get 0)))
      (func (export "load64") (param i32) (result i64) (i64.load offset=4294967295 (local.get 0)))
      (func (export "store16") (param i32 i32) (i64.store16 (local.get 0) (i64.extend_i32_u (local.get 1))))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
      (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
      (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
      (func (export "drop") (data.drop $p)))
    """

    @Test func loadsSeeActiveDataLittleEndian() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("load", i32(8)) == [.i32(0x0403_0201)])
        #expect(try h.call("load8s", i32(65534)) == [i32(0)])
        #expect(h.trapMessage("load", i32(65533)) == "out of bounds memory access")
        #expect(h.trapMessage("load8s", i32(65535)) == "out of bounds memory access")
        // 33-bit effective address: must trap, not wrap around.
        #expect(h.trapMessage("load64", i32(1)) == "out of bounds memory access")
    }

    @Test func growKeepsBytesAndRespectsMaximum() throws {
        let h = try Harness(Self.wat)
        _ = try h.call("store16", i32(100), i32(0xBEEF))
        #expect(try h.call("grow", i32(1)) == [i32(1)])
        #expect(try h.call("size") == [i32(2)])
        #expect(try h.call("load", i32(100)) == [.i32(0xBEEF)])
        #expect(try h.call("load", i32(131068)) == [i32(0)])
        #expect(try h.call("grow", i32(2)) == [i32(-1)])
        #expect(try h.call("grow", i32(1)) == [i32(2)])
        #expect(try h.instance.memory("mem")!.pageCount == 3)
    }

    @Test func bulkMemoryOperationsHandleOverlapAndBounds() throws {
        let h = try Harness(Self.wat)
        _ = try h.call("fill", i32(0), i32(0x1AB), i32(4))
        #expect(try h.call("load", i32(0)) == [.i32(0xABAB_ABAB)])
        _ = try h.call("copy", i32(9), i32(8), i32(4)) // overlapping, forwards
        #expect(try h.call("load", i32(8)) == [.i32(0x0302_0101)])
        _ = try h.call("init", i32(200), i32(1), i32(4))
        let mem = h.instance.memory("mem")!
        #expect(try mem.read(200, count: 4) == Array("ello".utf8))
        #expect(h.trapMessage("init", i32(0), i32(2), i32(4)) == "out of bounds memory access")
        #expect(h.trapMessage("fill", i32(65536), i32(0), i32(1)) == "out of bounds memory access")
        #expect(try h.call("fill", i32(65536), i32(0), i32(0)) == [])
        _ = try h.call("drop")
        #expect(h.trapMessage("init", i32(0), i32(0), i32(1)) == "out of bounds memory access")
        #expect(try h.call("init", i32(0), i32(0), i32(0)) == [])
    }

    @Test func hostSeesAndWritesGuestMemory() throws {
        let h = try Harness(Self.wat)
        let mem = h.instance.memory("mem")!
        try mem.write([0x78, 0x56, 0x34, 0x12], at: 40)
        #expect(try h.call("load", i32(40)) == [.i32(0x1234_5678)])
        #expect(try mem.load(8, as: UInt16.self) == 0x0201)
        #expect { try mem.read(65535, count: 2) } throws: { ($0 as? HearthError)?.kind == .trap }
    }

    @Test func anEngineMemoryCapBoundsGrowthAndInstantiation() throws {
        var configuration = EngineConfiguration()
        configuration.maxMemoryPages = 4
        let engine = Engine(configuration: configuration)
        let grower = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
            (module (memory (export "memory") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """))
        let instance = try Linker(engine: engine).instantiate(grower, in: Store(engine: engine))
        let grow = instance.function("grow")!
        #expect(try grow.invoke([.i32(3)]) == [.i32(1)])            // 1 -> 4 pages: at the cap
        #expect(try grow.invoke([.i32(1)]) == [.i32(UInt32.max)])   // past it: -1, memory unchanged
        #expect(instance.memory("memory")!.pageCount == 4)
        let big = try CompiledModule(engine: engine, bytes: WAT.parseModule("(module (memory 5))"))
        do {
            _ = try Linker(engine: engine).instantiate(big, in: Store(engine: engine))
            Issue.record("a memory of 5 pages was created under a 4-page cap")
        } catch let trap as HearthError where trap.kind == .trap {
            #expect(trap.message.contains("exceeds the engine's cap of 4 pages"), "\(trap.message)")
        }
    }
}
