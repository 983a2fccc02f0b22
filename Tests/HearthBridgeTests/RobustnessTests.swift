import HearthBridge
import HearthText
import Testing

/// Misbehaving guests: each failure is a clear error and the bridge stays usable.
@Suite struct RobustnessTests {
    /// A runtime whose start function never ends: its start is guest code, stopped by the
    /// deadline (and by fuel) like any call, instead of holding the deploy for ever (#19).
    @Test func aRuntimeWhoseStartFunctionLoopsIsStoppedByItsDeadlineAndByItsFuel() throws {
        let looping = try WAT.parseModule("""
        (module
          (memory (export "memory") 1)
          (func $spin (loop $again (br $again)))
          (start $spin))
        """)
        let started = ContinuousClock.now
        var options = GuestOptions()
        options.limits = ExecutionLimits(deadline: .milliseconds(200))
        #expect {
            _ = try RuntimeBridge(runtime: looping, options: options)
        } throws: { error in
            guard case .limitExceeded(let export, _)? = error as? BridgeError else { return false }
            return export == "start function"
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        options.limits = ExecutionLimits(fuel: 100_000)
        #expect {
            _ = try RuntimeBridge(runtime: looping, options: options)
        } throws: { error in
            if case .limitExceeded? = error as? BridgeError { return true }
            return false
        }
    }

    @Test func aTrapIsReportedAndTheNextCallRunsOnAFreshInstance() throws {
        let t = try TestBridge()
        let boom = try t.delegate("boom")
        do {
            _ = try t.bridge.execute(boom, argsJSON: [])
            Issue.record("the trap was not reported")
        } catch let BridgeError.guestTrapped(export, message) {
            #expect(export == "execute_delegate")
            #expect(message == "unreachable")
        }
        #expect(t.bridge.instanceIsPoisoned)
        // Handles from the discarded instance are refused rather than reused.
        #expect(throws: BridgeError.self) { try t.bridge.execute(boom, argsJSON: []) }
        #expect(try t.run("add", "[1, 2]") == "3")
        #expect(t.bridge.generation == 1)
        #expect(!t.bridge.instanceIsPoisoned)
    }

    @Test func anOutOfRangeResultPointerIsAnErrorAndTheInstanceStays() throws {
        let t = try TestBridge()
        do {
            _ = try t.run("bad_pointer", "[]")
            Issue.record("accepted a result pointer past the end of memory")
        } catch let BridgeError.badGuestBuffer(export, pointer, _, memorySize) {
            #expect(export == "execute_delegate")
            #expect(pointer == 0xffff_fff0)
            #expect(memorySize == t.bridge.guest.memory.byteCount)
        }
        #expect(!t.bridge.instanceIsPoisoned)
        #expect(try t.run("greet", "[\"again\"]") == "\"Hello, again!\"")
        #expect(t.bridge.generation == 0)
    }

    @Test func anOutOfRangeResultLengthIsAnError() throws {
        let t = try TestBridge()
        do {
            _ = try t.run("bad_length", "[]")
            Issue.record("accepted a result length past the end of memory")
        } catch let BridgeError.badGuestBuffer(_, _, length, _) {
            #expect(length == 0x7fff_fff0)
        }
        #expect(try t.run("add", "[2, 2]") == "4")
    }

    @Test func invalidJSONFromTheGuestIsAnError() throws {
        let t = try TestBridge()
        do {
            _ = try t.run("bad_json", "[]")
            Issue.record("accepted invalid JSON")
        } catch let BridgeError.invalidJSON(export, detail) {
            #expect(export == "execute_delegate")
            #expect(detail == "expected a key at byte 1")
        }
        #expect(try t.run("add", "[2, 3]") == "5")
    }

    @Test func aRuntimeMissingAnABIExportIsRejected() throws {
        // A reactor with memory and an allocator but no execute_delegate & co.
        let wasm = try WAT.parseModule("""
        (module
          (memory (export "memory") 1)
          (func (export "malloc") (param i32) (result i32) (i32.const 16))
          (func (export "free") (param i32))
          (func (export "load_assembly") (param i32 i32) (result i32) (i32.const 1)))
        """)
        do {
            _ = try RuntimeBridge(runtime: wasm)
            Issue.record("accepted a runtime without compile_delegate")
        } catch let BridgeError.missingExport(name, expected) {
            #expect(name == "compile_delegate")
            #expect(expected == "a function (i32, i32, i32) -> (i32)")
        }
    }

    @Test func aGuestThatCallsTheHostIsStoppedAtItsDeadline() throws {
        let t = try TestBridge { options in
            options.limits = ExecutionLimits(deadline: .milliseconds(100))
        }
        let started = ContinuousClock.now
        do {
            _ = try t.run("chatty_spin", "[]")
            Issue.record("the loop was not stopped")
        } catch let BridgeError.limitExceeded(export, limit) {
            #expect(export == "execute_delegate")
            #expect(limit == "deadline")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(t.bridge.instanceIsPoisoned)
        #expect(try t.run("add", "[1, 1]") == "2")
    }

    @Test func aGuestLoopingWithoutHostCallsIsStoppedAtItsDeadline() throws {
        let t = try TestBridge { options in
            options.limits = ExecutionLimits(deadline: .milliseconds(100))
        }
        #expect(throws: BridgeError.self) { try t.run("spin", "[]") }
        #expect(try t.run("add", "[1, 1]") == "2")
    }

    @Test func aGuestRunningOutOfFuelIsStoppedAndTheNextCallGetsAFullBudget() throws {
        let t = try TestBridge { options in
            options.limits = ExecutionLimits(fuel: 10_000)
        }
        do {
            _ = try t.run("spin", "[]")
            Issue.record("an endless loop finished within 10,000 units of fuel")
        } catch let error as BridgeError {
            #expect("\(error)".contains("fuel"), "\(error)")
        }
        // Each call is metered on its own: a short one fits in the next budget.
        #expect(try t.run("add", "[1, 1]") == "2")
        #expect(try t.run("sum_to", "[100]") == "5050")
    }

    @Test func callsInsideOneLimitScopeShareOneFuelBudget() throws {
        let t = try TestBridge { options in
            options.limits = ExecutionLimits(fuel: 10_000)
        }
        let sum = try t.delegate("sum_to")
        // The largest doubling of n whose run still fits in one budget uses more than half of it.
        var n = 50
        while (try? t.bridge.execute(sum, argsJSON: Array("[\(n * 2)]".utf8))) != nil {
            n *= 2
            #expect(n < 1_000_000, "sum_to never ran out of 10,000 units of fuel")
            if n >= 1_000_000 { return }
        }
        // Running out of fuel replaced the instance: compile again.
        let fresh = try t.delegate("sum_to")
        let args = Array("[\(n)]".utf8)
        #expect(try t.bridge.execute(fresh, argsJSON: args).text == "\(n * (n + 1) / 2)")
        // Three such runs as one invocation exceed the budget they share.
        do {
            try t.bridge.guest.withLimits {
                for _ in 0..<3 { _ = try t.bridge.execute(fresh, argsJSON: args) }
            }
            Issue.record("three runs of sum_to [\(n)] fitted in one budget of 10,000")
        } catch let error as BridgeError {
            #expect("\(error)".contains("fuel"), "\(error)")
        }
    }
}
