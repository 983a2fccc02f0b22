import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// A module with every kind of mutable state: memory that grows, a hidden mutable global, a
/// table whose slots `setup` fills, a passive data segment `setup` drops.
private let statefulModule = """
(module
  (memory (export "memory") 1 8)
  (global $counter (mut i32) (i32.const 0))
  (global $ref (mut funcref) (ref.null func))
  (table $t 4 funcref)
  (data $greeting "hello")
  (type $v2i (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  (func $nine (result i32) (i32.const 9))
  (elem declare func $seven $nine)
  (func (export "setup")
    (drop (memory.grow (i32.const 2)))
    (memory.init $greeting (i32.const 70000) (i32.const 0) (i32.const 5))
    (data.drop $greeting)
    (i32.store (i32.const 196000) (i32.const 0xabcdef))
    (global.set $counter (i32.const 41))
    (global.set $ref (ref.func $nine))
    (table.set $t (i32.const 2) (ref.func $seven)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "pages") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "slot") (param i32) (result i32) (call_indirect (type $v2i) (local.get 0)))
  (func (export "viaGlobal") (result i32)
    (table.set $t (i32.const 3) (global.get $ref))
    (call_indirect (type $v2i) (i32.const 3)))
  (func (export "reinit") (memory.init $greeting (i32.const 0) (i32.const 0) (i32.const 1))))
"""

@Test func restoringASnapshotIntoAFreshInstanceReproducesItsState() throws {
    let original = try Harness(statefulModule)
    _ = try original.call("setup")
    let bytes = try original.instance.snapshot().serialized()

    let copy = try Harness(statefulModule)
    try copy.instance.restore(try InstanceSnapshot(serialized: bytes))
    #expect(try copy.call("pages") == [.i32(3)])
    #expect(try copy.instance.memory("memory")!.read(70000, count: 5) == Array("hello".utf8))
    #expect(try copy.call("load", .i32(196000)) == [.i32(0xabcdef)])
    #expect(try copy.call("bump") == [.i32(42)])
    #expect(try copy.call("slot", .i32(2)) == [.i32(7)])
    #expect(copy.trapMessage("slot", .i32(1)) == "uninitialized element")
    #expect(try copy.call("viaGlobal") == [.i32(9)])
    // The passive segment was dropped before the snapshot: in the copy too.
    #expect(copy.trapMessage("reinit") == "out of bounds memory access")
}

@Test func zeroPagesAreStoredAsCountsOnly() throws {
    let original = try Harness(statefulModule)
    _ = try original.call("setup")
    let snapshot = try original.instance.snapshot()
    // Page 0 is empty, page 1 holds "hello", page 2 the stored word.
    #expect(snapshot.memories[0].pageCount == 3)
    #expect(snapshot.memories[0].runs.count == 2)
    #expect(snapshot.memories[0].runs[0] == .zero(pages: 1))
    #expect(snapshot.storedMemoryBytes == 2 * 65536)
}

@Test func restoreOverwritesStateWrittenAfterTheSnapshot() throws {
    let harness = try Harness(statefulModule)
    _ = try harness.call("setup")
    let snapshot = try harness.instance.snapshot()
    _ = try harness.call("bump")
    try harness.instance.memory("memory")!.write([1, 2, 3], at: 10)
    try harness.instance.restore(snapshot)
    #expect(try harness.instance.memory("memory")!.read(10, count: 3) == [0, 0, 0])
    #expect(try harness.call("bump") == [.i32(42)])
}

@Test func restoringIntoAnInstanceThatRanOnShrinksItAndUndoesItsDrops() throws {
    let harness = try Harness(statefulModule)
    let pristine = try harness.instance.snapshot()
    _ = try harness.call("setup")  // grows memory to 3 pages and drops the passive segment
    try harness.instance.restore(pristine)
    #expect(try harness.call("pages") == [.i32(1)])
    // The segment is back, and pages given up come back as zeros when memory grows again.
    _ = try harness.call("reinit")
    #expect(try harness.instance.memory("memory")!.read(0, count: 1) == Array("h".utf8))
    #expect(try harness.instance.memory("memory")!.grow(by: 2) == 1)
    #expect(try harness.call("load", .i32(196000)) == [.i32(0)])
    #expect(try harness.call("bump") == [.i32(1)])
    #expect(harness.trapMessage("slot", .i32(2)) == "uninitialized element")

    // Mapped restores too: the memory shrinks to the saved size before the image is mapped.
    try harness.instance.restore(pristine.withoutMemoryContents(), memoryContents: false)
    #expect(try harness.call("pages") == [.i32(1)])
}

@Test func aTableHoldingAnotherInstancesFunctionIsRefused() throws {
    let engine = Engine()
    let store = Store(engine: engine)
    let linker = Linker(engine: engine)
    let exporter = try linker.instantiate(CompiledModule(engine: engine, bytes: try WAT.parseModule(
        #"(module (func (export "f") (result i32) (i32.const 1)))"#)), in: store)
    linker.define(module: "m", name: "t", .table(try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 1, max: nil)),
                                                           initial: .function(exporter.function("f")!))))
    let importer = try linker.instantiate(CompiledModule(engine: engine, bytes: try WAT.parseModule(
        #"(module (import "m" "t" (table 1 funcref)))"#)), in: store)
    #expect(performing: {
        try importer.snapshot()
    }, throws: refusal(.snapshot, "unsupported: table 0 holds a reference to a function of another instance"))
}

@Test func aSnapshotOfAnotherModuleShapeIsRefused() throws {
    let other = try Harness("(module (memory 1))")
    let harness = try Harness(statefulModule)
    #expect { try harness.instance.restore(try other.instance.snapshot()) } throws: { ($0 as? HearthError)?.kind == .snapshot }
    #expect(performing: {
        try InstanceSnapshot(serialized: [1, 2, 3, 4, 5, 6, 7, 8])
    }, throws: refusal(.snapshot, "not a Hearth instance snapshot (or another format version)"))
}
