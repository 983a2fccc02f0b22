import HearthBinary
import HearthRuntime
import HearthText
import Testing

/// Wasm GC: struct and array objects, `i31`, casts, and the collector (objects nothing reaches
/// are freed; everything reachable survives collections).
@Suite struct GCTests {
    @Test func structFieldsKeepTheirStorageTypes() throws {
        let h = try Harness("""
        (module
          (type $s (struct (field $b (mut i8)) (field $h (mut i16)) (field $l (mut i64))
                           (field $d f64) (field $v (mut v128)) (field $r (mut (ref null $s)))))
          (func $make (result (ref $s))
            (struct.new $s (i32.const 0x1FF) (i32.const -2) (i64.const -3) (f64.const 2.5)
              (v128.const i64x2 7 8) (ref.null $s)))
          (func (export "bytes") (result i32 i32 i32 i32)
            (local $x (ref $s))
            (local.set $x (call $make))
            (struct.get_s $s $b (local.get $x)) (struct.get_u $s $b (local.get $x))
            (struct.get_s $s $h (local.get $x)) (struct.get_u $s $h (local.get $x)))
          (func (export "wide") (result i64 f64 v128)
            (local $x (ref $s))
            (local.set $x (call $make))
            (struct.set $s $l (local.get $x) (i64.add (struct.get $s $l (local.get $x)) (i64.const 10)))
            (struct.get $s $l (local.get $x)) (struct.get $s $d (local.get $x)) (struct.get $s $v (local.get $x)))
          (func (export "linked") (result i32)
            (local $x (ref $s))
            (local.set $x (call $make))
            (struct.set $s $r (local.get $x) (struct.new_default $s))
            (struct.get_u $s $b (ref.as_non_null (struct.get $s $r (local.get $x)))))
          (func (export "null") (result i32) (struct.get_u $s $b (ref.null $s))))
        """, configuration: .wasm3)
        #expect(try h.call("bytes") == [i32(-1), i32(255), i32(-2), i32(65534)])
        #expect(try h.call("wide") == [i64(7), f64(2.5), .v128(V128(low: 7, high: 8))])
        #expect(try h.call("linked") == [i32(0)])
        #expect(h.trapMessage("null") == "null structure reference")
    }

    @Test func aGuestKeepingEveryObjectReachableTrapsAtTheHeapCapAndTheStoreStaysUsable() throws {
        var configuration = EngineConfiguration.wasm3
        configuration.maxMemoryPages = 16   // 1 MiB: the cap of each linear memory and of the GC heap
        let h = try Harness("""
        (module
          (type $bytes (array (mut i8)))
          (type $node (struct (field (ref null $node)) (field (ref $bytes))))
          (global $head (mut (ref null $node)) (ref.null $node))
          (global $count (mut i32) (i32.const 0))
          (func (export "grow")
            (loop $more
              (global.set $head (struct.new $node (global.get $head)
                                  (array.new_default $bytes (i32.const 1024))))
              (global.set $count (i32.add (global.get $count) (i32.const 1)))
              (br $more)))
          (func (export "count") (result i32) (global.get $count))
          (func (export "drop") (global.set $head (ref.null $node)))
          (func (export "one") (result i32) (array.len (array.new_default $bytes (i32.const 4096)))))
        """, configuration: configuration)
        #expect(h.trapMessage("grow") == "GC heap out of memory")
        // Each node holds about 1 KiB, so about a thousand fit under 1 MiB, not many more.
        guard case .i32(let count) = try h.call("count")[0] else { Issue.record("count is not an i32"); return }
        #expect(count > 500 && count < 1100)
        // Full, it refuses a 4 KiB object; once the guest lets go of its list, it allocates again.
        #expect(h.trapMessage("one") == "GC heap out of memory")
        _ = try h.call("drop")
        #expect(try h.call("one") == [i32(4096)])
    }

    @Test func aHugeArrayInAGlobalInitializerIsRefusedAtTheHeapCap() throws {
        var configuration = EngineConfiguration.wasm3
        configuration.maxMemoryPages = 16
        do {
            _ = try Harness("""
            (module
              (type $bytes (array (mut i8)))
              (global (ref $bytes) (array.new $bytes (i32.const 7) (i32.const 0x3FFFFFFF))))
            """, configuration: configuration)
            Issue.record("a 1 GiB array instantiated under a 1 MiB cap")
        } catch let trap as HearthError where trap.kind == .trap {
            #expect(trap.message == "GC heap out of memory")
        }
        // Under the cap, array.new in a constant expression fills every element.
        let h = try Harness("""
        (module
          (type $bytes (array (mut i8)))
          (global $g (ref $bytes) (array.new $bytes (i32.const 7) (i32.const 5000)))
          (func (export "at") (param i32) (result i32) (array.get_u $bytes (global.get $g) (local.get 0))))
        """, configuration: configuration)
        #expect(try h.call("at", i32(0)) == [i32(7)])
        #expect(try h.call("at", i32(4999)) == [i32(7)])
    }

    @Test func arraysFillCopyAndCheckBounds() throws {
        let h = try Harness("""
        (module
          (type $a (array (mut i16)))
          (data $d "\\01\\00\\02\\00\\03\\00")
          (func $iota (param i32) (result (ref $a))
            (local $x (ref $a)) (local $i i32)
            (local.set $x (array.new_default $a (local.get 0)))
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
              (array.set $a (local.get $x) (local.get $i) (local.get $i))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $x))
          (func (export "copy") (result i32 i32 i32 i32)
            (local $x (ref $a))
            (local.set $x (call $iota (i32.const 6)))
            ;; Overlapping: [0 1 2 3 4 5] -> [0 0 1 2 3 5]
            (array.copy $a $a (local.get $x) (i32.const 1) (local.get $x) (i32.const 0) (i32.const 4))
            (array.get_u $a (local.get $x) (i32.const 1)) (array.get_u $a (local.get $x) (i32.const 4))
            (array.get_u $a (local.get $x) (i32.const 5)) (array.len (local.get $x)))
          (func (export "fill") (result i32 i32)
            (local $x (ref $a))
            (local.set $x (call $iota (i32.const 4)))
            (array.fill $a (local.get $x) (i32.const 1) (i32.const -1) (i32.const 2))
            (array.get_s $a (local.get $x) (i32.const 2)) (array.get_u $a (local.get $x) (i32.const 3)))
          (func (export "data") (result i32)
            (array.get_u $a (array.new_data $a $d (i32.const 2) (i32.const 2)) (i32.const 1)))
          (func (export "past_end") (result i32) (array.get_u $a (call $iota (i32.const 3)) (i32.const 3)))
          (func (export "fill_past_end") (array.fill $a (call $iota (i32.const 3)) (i32.const 2) (i32.const 0) (i32.const 2))))
        """, configuration: .wasm3)
        #expect(try h.call("copy") == [i32(0), i32(3), i32(5), i32(6)])
        #expect(try h.call("fill") == [i32(-1), i32(3)])
        #expect(try h.call("data") == [i32(3)])
        #expect(h.trapMessage("past_end") == "out of bounds array access")
        #expect(h.trapMessage("fill_past_end") == "out of bounds array access")
    }

    @Test func castsFollowDeclaredSubtypesAndI31() throws {
        let h = try Harness("""
        (module
          (type $point (sub (struct (field i32))))
          (type $point3 (sub $point (struct (field i32) (field i32))))
          (type $other (struct (field i32)))
          (func $pick (param i32) (result anyref)
            (if (result anyref) (i32.eq (local.get 0) (i32.const 1)) (then (struct.new $point (i32.const 1)))
              (else (if (result anyref) (i32.eq (local.get 0) (i32.const 2)) (then (struct.new $point3 (i32.const 2) (i32.const 3)))
                (else (if (result anyref) (i32.eq (local.get 0) (i32.const 3)) (then (struct.new $other (i32.const 4)))
                  (else (ref.i31 (i32.const -5)))))))))
          (func (export "is_point") (param i32) (result i32) (ref.test (ref $point) (call $pick (local.get 0))))
          (func (export "i31") (param i32) (result i32)
            (block $no (result anyref)
              (return (i31.get_s (br_on_cast_fail $no anyref (ref i31) (call $pick (local.get 0))))))
            (drop) (i32.const 99))
          (func (export "x") (param i32) (result i32) (struct.get $point 0 (ref.cast (ref $point) (call $pick (local.get 0))))))
        """, configuration: .wasm3)
        #expect(try [1, 2, 3, 4].map { try h.call("is_point", i32($0)) } == [[i32(1)], [i32(1)], [i32(0)], [i32(0)]])
        #expect(try h.call("i31", i32(4)) == [i32(-5)])
        #expect(try h.call("i31", i32(1)) == [i32(99)])
        #expect(try h.call("x", i32(2)) == [i32(2)])
        #expect(h.trapMessage("x", i32(3)) == "cast failure")
    }

    /// 2,000,000 allocations of 40-byte structs (80 MB in all) of which only the last is kept:
    /// the heap must stay near its collection threshold.
    @Test func aGuestAllocatingInALoopStaysBounded() throws {
        let h = try Harness("""
        (module
          (type $cell (struct (field i64) (field i64) (field i64)))
          (func (export "churn") (param i32) (result i64)
            (local $keep (ref null $cell))
            (loop $next
              (local.set $keep (struct.new $cell (i64.extend_i32_u (local.get 0)) (i64.const 0) (i64.const 0)))
              (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (struct.get $cell 0 (ref.as_non_null (local.get $keep)))))
        """, configuration: .wasm3)
        #expect(try h.call("churn", i32(2_000_000)) == [i64(1)])
        let stats = h.store.heapStatistics
        #expect(stats.collections >= 10)
        #expect(stats.bytes < 4 << 20)
        h.store.collectGarbage()
        #expect(h.store.heapStatistics.objects == 0)
    }

    /// A linked list reachable from a global, built while garbage forces collections, is
    /// intact afterwards (fields are traced; nothing reachable is freed).
    @Test func reachableObjectsSurviveCollections() throws {
        let h = try Harness("""
        (module
          (type $node (struct (field i32) (field (ref null $node))))
          (type $junk (array i64))
          (global $list (mut (ref null $node)) (ref.null $node))
          (func (export "build") (param i32)
            (loop $next
              (global.set $list (struct.new $node (local.get 0) (global.get $list)))
              (drop (array.new_default $junk (i32.const 64)))
              (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
          (func (export "sum") (result i64)
            (local $n (ref null $node)) (local $s i64)
            (local.set $n (global.get $list))
            (block $end (loop $next
              (local.set $n (br_on_null $end (local.get $n)))
              (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (struct.get $node 0 (local.get $n)))))
              (local.set $n (struct.get $node 1 (local.get $n)))
              (br $next)))
            (local.get $s)))
        """, configuration: .wasm3)
        try h.call("build", i32(20_000))
        #expect(h.store.heapStatistics.collections > 0)
        #expect(try h.call("sum") == [i64(200_010_000)])
        // The list stays; the garbage arrays go.
        #expect(h.store.collectGarbage() == 20_000)
    }

    @Test func objectsHeldOnlyByTheHostOrTheStackSurvive() throws {
        let h = try Harness("""
        (module
          (type $box (struct (field i32)))
          (type $junk (array i64))
          (func $garbage (param i32)
            (loop $next
              (drop (array.new_default $junk (i32.const 128)))
              (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
          (func (export "make") (param i32) (result (ref $box)) (struct.new $box (local.get 0)))
          (func (export "garbage") (param i32) (call $garbage (local.get 0)))
          (func (export "read") (param (ref $box)) (result i32) (struct.get $box 0 (local.get 0)))
          (func (export "on_stack") (result i32)
            (local $b (ref $box))
            (local.set $b (struct.new $box (i32.const 77)))
            (call $garbage (i32.const 10000))
            (struct.get $box 0 (local.get $b))))
        """, configuration: .wasm3)
        let held = try h.call("make", i32(41))
        try h.call("garbage", i32(10_000))
        #expect(h.store.heapStatistics.collections > 0)
        #expect(try h.instance.function("read")!.invoke(held) == [i32(41)])
        #expect(try h.call("on_stack") == [i32(77)])
    }

    @Test func hostReferencesOfTheWrongKindOrStoreAreRefused() throws {
        let wat = """
        (module
          (type $box (struct (field i32)))
          (table (export "t") 1 funcref)
          (global (export "g") (mut anyref) (ref.null any))
          (func (export "make") (result (ref $box)) (struct.new $box (i32.const 1)))
          (func (export "read") (param (ref $box)) (result i32) (struct.get $box 0 (local.get 0))))
        """
        let h = try Harness(wat, configuration: .wasm3)
        let other = try Harness(wat, configuration: .wasm3)
        let table = h.instance.table("t")!
        // An extern handle in a function table would be called as a function record later.
        #expect { try table.set(0, .extern(5)) } throws: { ($0 as? HearthError)?.kind == .trap }
        guard case .ref(let foreign) = try other.call("make")[0], case .ref(let own) = try h.call("make")[0] else {
            Issue.record("make returned no reference"); return
        }
        #expect(h.trapMessage("read", .ref(foreign)) != nil)
        #expect { try h.instance.global("g")!.set(.ref(foreign)) } throws: { ($0 as? HearthError)?.kind == .trap }
        try h.instance.global("g")!.set(.ref(own))
        #expect(try h.instance.function("read")!.invoke([.ref(own)]) == [i32(1)])
    }

    /// Exceptions are heap objects too: a million caught throws leave the heap small, and an
    /// `exnref` kept in a global keeps its payload through the collections.
    @Test func caughtExceptionsAreCollectedAndKeptOnesSurvive() throws {
        let h = try Harness("""
        (module
          (tag $e (param i64 i64))
          (global $kept (mut exnref) (ref.null exn))
          (func $throwing (param i64) (throw $e (local.get 0) (i64.const 7)))
          (func (export "churn") (param i32) (result i64)
            (local $sum i64)
            (loop $next
              (block $caught (result i64 i64)
                (try_table (catch $e $caught) (call $throwing (i64.extend_i32_u (local.get 0))))
                (unreachable))
              (drop)
              (local.set $sum (i64.add (local.get $sum)))
              (br_if $next (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (local.get $sum))
          (func (export "keep")
            (global.set $kept (block $caught (result exnref)
              (try_table (catch_all_ref $caught) (call $throwing (i64.const 42)))
              (unreachable))))
          (func (export "rethrow_kept") (result i64)
            (block $caught (result i64 i64)
              (try_table (catch $e $caught) (throw_ref (global.get $kept)))
              (unreachable))
            (drop)))
        """, configuration: .wasm3)
        try h.call("keep")
        #expect(try h.call("churn", i32(1_000_000)) == [i64(500_000_500_000)])
        let stats = h.store.heapStatistics
        #expect(stats.collections >= 5)
        #expect(stats.bytes < 4 << 20)
        #expect(try h.call("rethrow_kept") == [i64(42)])
    }
}
