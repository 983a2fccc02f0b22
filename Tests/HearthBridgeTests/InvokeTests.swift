import Foundation
import HearthBridge
import Testing

/// `invoke`: deploy, cache, redeploy, and the {success, result} / {success, error} shape.
@Suite struct InvokeTests {
    @Test func invokeDeploysCompilesAndShapesTheResult() throws {
        let t = try TestBridge()
        let first = t.bridge.invoke(functionId: "math", entryPoint: "add", args: .array([.number(2), .number(3)]),
                                    assemblyData: Array(Fixtures.assembly.utf8))
        #expect(first.response.text == #"{"success":true,"result":5}"#)
        #expect(first.loadedAssembly)
        #expect(first.compiledDelegate?.entryPoint == "add")
        let second = t.bridge.invoke(functionId: "math", entryPoint: "add", args: .array([.number(4), .number(5)]))
        #expect(second.response.text == #"{"success":true,"result":9}"#)
        #expect(!second.loadedAssembly)
        #expect(second.compiledDelegate == nil)
        #expect(t.bridge.statistics(of: "math")?.invocations == 2)
    }

    @Test func failuresAreShapedAsErrors() throws {
        let t = try TestBridge()
        let unknown = t.bridge.invoke(functionId: "ghost", entryPoint: "main", args: .array([]))
        #expect(unknown.response.text == #"{"success":false,"error":"unknown function ghost: no assembly was deployed for it"}"#)
        let failing = t.bridge.invoke(functionId: "math", entryPoint: "divide", args: .array([.number(1), .number(0)]),
                                      assemblyData: Array(Fixtures.assembly.utf8))
        #expect(failing.response.text == #"{"success":false,"error":"line 15: division by zero"}"#)
        let trapping = t.bridge.invoke(functionId: "math", entryPoint: "boom", args: .array([]))
        #expect(trapping.response.text == #"{"success":false,"error":"guest trapped in execute_delegate: unreachable"}"#)
        #expect(trapping.poisonedInstance)
        // The replaced instance reloads the function's assembly from the bridge's copy.
        let after = t.bridge.invoke(functionId: "math", entryPoint: "greet", args: .array([.string("you")]))
        #expect(after.response.text == #"{"success":true,"result":"Hello, you!"}"#)
    }

    @Test func redeployingReplacesTheCachedDelegate() throws {
        let t = try TestBridge()
        _ = t.bridge.invoke(functionId: "f", entryPoint: "main", args: .array([]), assemblyData: Array("(fn main () 1)".utf8))
        let redeployed = t.bridge.invoke(functionId: "f", entryPoint: "main", args: .array([]),
                                         assemblyData: Array("(fn main () \"two\")".utf8))
        #expect(redeployed.response.text == #"{"success":true,"result":"two"}"#)
        #expect(redeployed.compiledDelegate != nil)
    }

    @Test func assembliesComeFromTheProviderWhenNotDeployedHere() throws {
        let t = try TestBridge()
        var asked: [String] = []
        t.bridge.assemblyProvider = { id in
            asked.append(id)
            return id == "stored" ? Array("(fn main (x) (* x 2))".utf8) : nil
        }
        #expect(t.bridge.invoke(functionId: "stored", entryPoint: "main", args: .array([.number(21)])).response.text
            == #"{"success":true,"result":42}"#)
        #expect(t.bridge.invoke(functionId: "stored", entryPoint: "main", args: .array([.number(1)])).response.text
            == #"{"success":true,"result":2}"#)
        #expect(asked == ["stored"])
    }

    @Test func idleDelegatesAreDroppedByTheMaintenanceSweep() throws {
        let t = try TestBridge()
        let day = Date(timeIntervalSince1970: 86_400)
        _ = t.bridge.invoke(functionId: "old", entryPoint: "main", args: .array([]),
                            assemblyData: Array("(fn main () 1)".utf8), now: day)
        _ = t.bridge.invoke(functionId: "new", entryPoint: "main", args: .array([]),
                            assemblyData: Array("(fn main () 2)".utf8), now: day.addingTimeInterval(86_400))
        #expect(t.bridge.dropDelegates(notInvokedSince: day.addingTimeInterval(3_600)) == ["old"])
        let again = t.bridge.invoke(functionId: "old", entryPoint: "main", args: .array([]))
        #expect(again.compiledDelegate != nil)
        #expect(again.response.text == #"{"success":true,"result":1}"#)
    }
}

/// Unloading (issue #17, item 13): a redeployed or deleted function's old assembly leaves the
/// guest, as with .NET's collectible load contexts, so redeploys do not grow guest memory.
@Suite struct AssemblyUnloadingTests {
    /// An assembly of `count` functions, each answering `version`.
    private func assembly(version: Int, count: Int = 400) -> [UInt8] {
        Array((0..<count).map { "(fn f\($0) (x) (+ x \(version)))" }.joined(separator: "\n").utf8)
    }

    @Test func redeployingAFunctionManyTimesKeepsGuestMemoryFlatAndTheNewVersionServes() throws {
        let t = try TestBridge()
        #expect(t.bridge.canUnloadAssemblies)
        var pagesAfterWarmup = 0
        for version in 1...60 {
            let invocation = t.bridge.invoke(functionId: "f", entryPoint: "f0", args: .array([.number(1)]),
                                             assemblyData: assembly(version: version))
            #expect(try invocation.outcome.get() == .number(Double(1 + version)))
            if version == 5 { pagesAfterWarmup = t.bridge.guest.instance.memory("memory")?.pageCount ?? 0 }
        }
        // 60 versions of ~12 KiB of source each, parsed and compiled: without unloading the
        // memory grows by megabytes; with it, at most a page or two of fragmentation.
        #expect((t.bridge.guest.instance.memory("memory")?.pageCount ?? 0) <= pagesAfterWarmup + 2)
    }

    @Test func aDelegateOfAnUnloadedAssemblyIsUnknownToTheGuest() throws {
        let t = try TestBridge()
        let old = try t.delegate("f0", source: String(decoding: assembly(version: 1, count: 1), as: UTF8.self))
        try t.bridge.unloadAssembly(old.assembly)
        #expect(throws: BridgeError.self) { try t.bridge.execute(old, argsJSON: Array("[1]".utf8)) }
        #expect(throws: BridgeError.self) { try t.bridge.compileDelegate(old.assembly, entryPoint: "f0") }
    }

    @Test func removingAFunctionUnloadsItsAssembly() throws {
        let t = try TestBridge()
        #expect(try t.bridge.invoke(functionId: "g", entryPoint: "f0", args: .array([.number(1)]),
                                    assemblyData: assembly(version: 1, count: 1)).outcome.get() == .number(2))
        try t.bridge.removeFunction("g")
        guard case .failure(.unknownFunction("g")) = t.bridge.invoke(functionId: "g", entryPoint: "f0", args: .array([.number(1)])).outcome else {
            Issue.record("a removed function still answered")
            return
        }
    }
}
