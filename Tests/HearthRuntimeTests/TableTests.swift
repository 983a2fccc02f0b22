import HearthRuntime
import Testing

@Suite struct TableTests {
    static let wat = """
    (module
      (type $ii (func (param i32) (result i32)))
      (table $t (export "tab") 4 10 funcref)
      (elem (table $t) (i32.const 0) func $double $inc)
      (elem $e func $inc $double)
      (elem declare func $noarg)
      (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $noarg (result i32) (i32.const 0))
      (func (export "call") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0)))
      (func (export "set_noarg") (param i32) (table.set $t (local.get 0) (ref.func $noarg)))
      (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
      (func (export "size") (result i32) (table.size $t))
      (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
      (func (export "init") (param i32 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
      (func (export "copy") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
      (func (export "fill") (param i32 i32) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
      (func (export "get") (param i32) (result funcref) (table.get $t (local.get 0))))
    """

    @Test func callIndirectDispatchesAndChecksTypes() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("call", i32(0), i32(21)) == [i32(42)])
        #expect(try h.call("call", i32(1), i32(21)) == [i32(22)])
        #expect(h.trapMessage("call", i32(2), i32(0)) == "uninitialized element")
        #expect(h.trapMessage("call", i32(4), i32(0)) == "undefined element")
        _ = try h.call("set_noarg", i32(3))
        #expect(h.trapMessage("call", i32(3), i32(0)) == "indirect call type mismatch")
    }

    @Test func tableGrowSizeFillCopyInit() throws {
        let h = try Harness(Self.wat)
        #expect(try h.call("grow", i32(2)) == [i32(4)])
        #expect(try h.call("size") == [i32(6)])
        #expect(try h.call("grow", i32(5)) == [i32(-1)])
        _ = try h.call("init", i32(4), i32(0), i32(2))
        #expect(try h.call("call", i32(4), i32(1)) == [i32(2)])
        #expect(try h.call("call", i32(5), i32(1)) == [i32(2)])
        _ = try h.call("copy", i32(1), i32(0), i32(3)) // overlapping
        #expect(try h.call("call", i32(1), i32(5)) == [i32(10)])
        #expect(try h.call("call", i32(2), i32(5)) == [i32(6)])
        _ = try h.call("fill", i32(0), i32(2))
        #expect(try h.call("is_null", i32(1)) == [i32(1)])
        #expect(h.trapMessage("fill", i32(5), i32(2)) == "out of bounds table access")
        #expect(h.trapMessage("is_null", i32(6)) == "out of bounds table access")
        #expect(h.trapMessage("init", i32(0), i32(1), i32(2)) == "out of bounds table access")
    }

    @Test func funcrefsCrossTheAPIAsTheSameFunction() throws {
        let h = try Harness(Self.wat)
        guard case .ref(.function(let f)) = try h.call("get", i32(0))[0] else { Issue.record(); return }
        #expect(try f.invoke([i32(4)]) == [i32(8)])
        guard case .ref(.function(let g)) = try h.call("get", i32(0))[0] else { Issue.record(); return }
        #expect(f === g)
        #expect(try h.instance.table("tab")!.get(2) == .null(.function))
    }
}
