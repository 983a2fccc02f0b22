import Foundation
import HearthRuntime
import Synchronization
import Testing

@Suite struct InterruptAndFuelTests {
    static let wat = """
    (module
      (func (export "spin") (loop $l (br $l)))
      (func (export "count") (param $n i32) (result i32) (local $i i32)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $i))
      ;; Binary recursion without any loop: 2^(n+1) - 1 calls.
      (func $tree (export "tree") (param $n i32)
        (if (local.get $n)
          (then (call $tree (i32.sub (local.get $n) (i32.const 1)))
                (call $tree (i32.sub (local.get $n) (i32.const 1))))))
    )
    """

    /// Calls `interrupt()` on the store's `InterruptHandle` (the part of a store another thread
    /// may hold) from another thread after `delay`; returns when it was called.
    private func interrupt(_ store: Store, after delay: TimeInterval) -> () -> Date {
        let handle = store.interruptHandle
        let sentAt = Mutex(Date.distantFuture)
        let thread = Thread {
            Thread.sleep(forTimeInterval: delay)
            handle.interrupt()
            sentAt.withLock { $0 = Date() }
        }
        thread.start()
        return { sentAt.withLock { $0 } }
    }

    private func trapKind(_ body: () throws -> Void) -> TrapKind? {
        do { try body(); return nil } catch let trap as HearthError where trap.kind == .trap { return trap.trap } catch { return nil }
    }

    @Test func anInfiniteLoopIsStoppedByAnInterruptFromAnotherThread() throws {
        let h = try Harness(Self.wat)
        let sentAt = interrupt(h.store, after: 0.05)
        let kind = trapKind { _ = try h.call("spin") }
        let latency = Date().timeIntervalSince(sentAt())
        #expect(kind == .interrupted)
        #expect(latency < 2)  // the loop stops at its next poll; the bound only absorbs a loaded machine
    }

    @Test func recursionWithoutLoopsIsStoppedAtAFunctionEntry() throws {
        let h = try Harness(Self.wat)
        _ = interrupt(h.store, after: 0.05)
        #expect(trapKind { _ = try h.call("tree", i32(60)) } == .interrupted)
    }

    @Test func anInterruptedStoreRunsTheNextCallNormally() throws {
        let h = try Harness(Self.wat)
        h.store.interrupt()  // pending before the call: the first poll takes it
        #expect(h.trapMessage("count", i32(5)) == "interrupted")
        #expect(try h.call("count", i32(5)) == [i32(5)])
    }

    @Test func withLimitsStopsALoopAtItsDeadlineAndTheNextCallRunsUnbounded() throws {
        let h = try Harness(Self.wat)
        var stopped: HearthError?
        do {
            try h.store.withLimits(ExecutionLimits(deadline: .milliseconds(50))) { _ = try h.call("spin") }
        } catch let trap as HearthError where trap.kind == .trap {
            stopped = trap
        }
        #expect(stopped?.trap == .interrupted && stopped?.exceededLimit == .deadline)
        // The timer is gone with the call: a later call outside any limits is not interrupted.
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try h.call("count", i32(1_000_000)) == [i32(1_000_000)])
    }

    @Test func withLimitsGivesEveryCallInsideOneFuelBudgetAndRestoresTheStoresOwn() throws {
        let h = try Harness(Self.wat)
        // count(10) takes 11 units: two such calls fit in 25, three do not.
        try h.store.withLimits(ExecutionLimits(fuel: 25)) { () throws in
            #expect(try h.call("count", i32(10)) == [i32(10)])
            #expect(try h.call("count", i32(10)) == [i32(10)])
            #expect(h.store.fuel == 3)
        }
        #expect(h.store.fuel == nil)
        var stopped: HearthError?
        do {
            try h.store.withLimits(ExecutionLimits(fuel: 25)) {
                for _ in 0..<3 { _ = try h.call("count", i32(10)) }
            }
        } catch let trap as HearthError where trap.kind == .trap {
            stopped = trap
        }
        #expect(stopped?.exceededLimit == .fuel)
        // A nested scope runs under the outer budget instead of starting its own.
        h.store.fuel = 7
        try h.store.withLimits(ExecutionLimits(fuel: 100)) { () throws in
            try h.store.withLimits(ExecutionLimits(fuel: 5)) { _ = try h.call("count", i32(10)) }
            #expect(h.store.fuel == 89)
        }
        #expect(h.store.fuel == 7)
    }

    @Test func fuelCountsLoopIterationsAndCallsAndReportsTheRemainder() throws {
        let h = try Harness(Self.wat)
        #expect(h.store.fuel == nil)
        h.store.fuel = 100
        // One unit for the function entry, one per iteration.
        #expect(try h.call("count", i32(10)) == [i32(10)])
        #expect(h.store.fuel == 89)
        h.store.fuel = 15  // tree(3) makes 15 calls
        _ = try h.call("tree", i32(3))
        #expect(h.store.fuel == 0)
    }

    @Test func runningOutOfFuelTrapsWithTheExactMessage() throws {
        let h = try Harness(Self.wat)
        h.store.fuel = 10
        #expect(h.trapMessage("count", i32(10)) == "all fuel consumed")
        #expect(h.store.fuel == 0)
        h.store.fuel = 14
        #expect(h.trapMessage("tree", i32(3)) == "all fuel consumed")
        h.store.fuel = 1000
        #expect(h.trapMessage("spin") == "all fuel consumed")
        h.store.fuel = nil
        #expect(try h.call("count", i32(3)) == [i32(3)])
        #expect(h.store.fuel == nil)
    }

    /// The polls count down a share of the fuel at a time (4,096 polls); fuel larger than a
    /// share is still counted to the unit across the shares it is handed out in, and runs out
    /// at the same poll.
    @Test func fuelOfManySharesIsCountedToTheUnit() throws {
        let h = try Harness(Self.wat)
        h.store.fuel = 10_000
        #expect(try h.call("count", i32(5_000)) == [i32(5_000)])  // 5,001 units
        #expect(h.store.fuel == 4_999)
        #expect(try h.call("count", i32(4_998)) == [i32(4_998)])
        #expect(h.store.fuel == 0)
        h.store.fuel = 9_000
        #expect(h.trapMessage("count", i32(9_000)) == "all fuel consumed")
        #expect(h.store.fuel == 0)
    }

    /// The polls read the interrupt flag once per share of fuel: an interrupt sent while the
    /// code runs (here by a host function the loop calls once) stops it within one share of
    /// polls, 4,096 iterations, and not at once.
    @Test func anInterruptDuringACallStopsItWithinOneShareOfPolls() throws {
        let h = try Harness("""
        (module
          (import "host" "interrupt" (func $interrupt))
          (global $after (export "after") (mut i32) (i32.const 0))
          (func (export "run")
            (call $interrupt)
            (loop $l
              (global.set $after (i32.add (global.get $after) (i32.const 1)))
              (br $l))))
        """) { linker, store in
            let handle = store.interruptHandle
            linker.defineFunction(module: "host", name: "interrupt", type: FunctionType(parameters: [], results: [])) { _, _ in
                handle.interrupt()
                return []
            }
        }
        #expect(h.trapMessage("run") == "interrupted")
        guard case .i32(let after)? = h.instance.global("after")?.value else { Issue.record("no global"); return }
        #expect(after >= 1 && after <= 4_096, "iterations after the interrupt: \(after)")
    }

    /// A branch back to a loop skips the header's poll and polls itself: every form (plain
    /// `br_if`, fused with a compare of two slots or with a constant, `eqz`, i64) still takes
    /// exactly one unit per iteration and computes the same result.
    @Test func everyBackwardBranchFormTakesOneUnitPerIteration() throws {
        let h = try Harness("""
        (module
          (func (export "slot") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (local.get $n)))
            (local.get $i))
          (func (export "constant") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.ne (local.get $i) (i32.const 10))))
            (local.get $i))
          (func (export "eqz") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l (i32.eqz (i32.eqz (local.get $n)))))
            (local.get $i))
          (func (export "wide") (param $n i32) (result i32) (local $i i64)
            (loop $l
              (local.set $i (i64.add (local.get $i) (i64.const 1)))
              (br_if $l (i64.lt_s (local.get $i) (i64.extend_i32_u (local.get $n)))))
            (i32.wrap_i64 (local.get $i)))
        )
        """)
        for name in ["slot", "constant", "eqz", "wide"] {
            h.store.fuel = 100
            #expect(try h.call(name, i32(10)) == [i32(10)], "\(name)")
            #expect(h.store.fuel == 89, "\(name)")
        }
    }
}
