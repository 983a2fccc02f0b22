import HearthBridge
import Testing

/// The bridge ABI end to end on the real test runtime: load, compile, execute.
@Suite struct BridgeABITests {
    @Test func executeReturnsExactJSONForArithmeticAndStrings() throws {
        let t = try TestBridge()
        #expect(try t.run("add", "[2, 3.5]") == "5.5")
        #expect(try t.run("add", "{\"a\": 40, \"b\": 2}") == "42")
        #expect(try t.run("greet", "[\"World\"]") == "\"Hello, World!\"")
        #expect(try t.run("shapes", "[]") == #"{"list":[1,"two",true,null],"nested":{"q":"a\"b"}}"#)
    }

    @Test func loopsAndRecursionRun() throws {
        let t = try TestBridge()
        #expect(try t.run("sum_to", "[1000]") == "500500")
        #expect(try t.run("fact", "[10]") == "3628800")
    }

    @Test func delegatesStayUsableAcrossCalls() throws {
        let t = try TestBridge()
        let add = try t.delegate("add")
        for i in 0..<50 {
            #expect(try t.bridge.execute(add, args: .array([.number(Double(i)), .number(1)])) == .number(Double(i + 1)))
        }
    }

    @Test func guestReportedErrorsAreThrownWithTheirMessage() throws {
        let t = try TestBridge()
        #expect(throws: BridgeError.self) { try t.run("divide", "[1, 0]") }
        do {
            _ = try t.run("divide", "[1, 0]")
        } catch let BridgeError.guestError(message) {
            #expect(message == "line 15: division by zero")
        }
        do {
            _ = try t.run("add", "[1]")
        } catch let BridgeError.guestError(message) {
            #expect(message == "wrong number of arguments")
        }
    }

    @Test func runawayRecursionIsAGuestErrorNotACrash() throws {
        let t = try TestBridge()
        do {
            _ = try t.run("deep", "[1]")
            Issue.record("unbounded recursion returned")
        } catch let BridgeError.guestError(message) {
            #expect(message == "line 22: recursion too deep")
        }
        #expect(try t.run("add", "[1, 2]") == "3")
    }

    @Test func syntaxErrorsAreRefusedWithTheGuestsReason() throws {
        let t = try TestBridge()
        do {
            _ = try t.bridge.loadAssembly(Array("(fn broken (x)\n  (+ x 1)".utf8))
            Issue.record("load_assembly accepted a truncated assembly")
        } catch let BridgeError.guestRefused(export, status, reason) {
            #expect(export == "load_assembly")
            #expect(status == -1)
            #expect(reason == "line 2: missing ')'")
        }
    }

    @Test func unknownEntryPointsAndCompileErrorsAreRefused() throws {
        let t = try TestBridge()
        let assembly = try t.bridge.loadAssembly(Array("(fn f (x) (g x))".utf8))
        do {
            _ = try t.bridge.compileDelegate(assembly, entryPoint: "nope")
            Issue.record("compiled a missing entry point")
        } catch let BridgeError.guestRefused(_, status, reason) {
            #expect(status == -2)
            #expect(reason == "unknown entry point")
        }
        do {
            _ = try t.bridge.compileDelegate(assembly, entryPoint: "f")
            Issue.record("compiled a call to an undefined function")
        } catch let BridgeError.guestRefused(_, status, reason) {
            #expect(status == -3)
            #expect(reason == "f, line 1: unknown function or operator g")
        }
    }
}
