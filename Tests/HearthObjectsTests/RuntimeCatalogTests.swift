import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost
import HearthRuntime
import HearthSQLite
import Testing


@Test func aRuntimeValidatedAtDeployIsOnlyDecodedByALaterProcess() throws {
    let path = try makeTemporaryDirectory().appendingPathComponent("runtimes.sqlite").path
    let deploying = try RuntimeCatalog(path: path)
    try deploying.deploy(name: "ember", bytes: testRuntime)
    #expect(deploying.validations == 1)

    // Another process (a new catalog over the same file): the binary is decoded, not validated.
    let waking = try RuntimeCatalog(path: path)
    let (_, module) = try #require(try waking.module(named: "ember"))
    #expect(waking.validations == 0)
    let bridge = try RuntimeBridge(module: module)
    let answer = bridge.invoke(functionId: "f", entryPoint: "add", args: .array([.number(2), .number(3)]),
                               assemblyData: Array("(fn add (a b) (+ a b))".utf8))
    guard case .success(let value) = answer.outcome else { Issue.record("invoke failed: \(answer.outcome)"); return }
    #expect(value == .number(5))

    // An engine with other rules validates again.
    var configuration = EngineConfiguration()
    configuration.features = .wasm2
    let other = try RuntimeCatalog(path: path, engine: Engine(configuration: configuration))
    _ = try other.module(named: "ember")
    #expect(other.validations == 1)
}

@Test func bytesChangedAfterValidationAreValidatedAgainAndAnInvalidModuleRefused() throws {
    let path = try makeTemporaryDirectory().appendingPathComponent("runtimes.sqlite").path
    try RuntimeCatalog(path: path).deploy(name: "ember", bytes: testRuntime)
    // A module that decodes but does not validate (i32.add on an empty stack), in place of the
    // validated bytes, under the old mark.
    let invalid: [UInt8] = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x6a, 0x1a, 0x0b]
    let database = try Database(path: path)
    try database.query("UPDATE runtimes SET bytes = ?", [.blob(invalid)])
    database.close()
    let catalog = try RuntimeCatalog(path: path)
    let error = #expect(throws: BridgeError.self) { try catalog.module(named: "ember") }
    #expect("\(error!)".contains("type mismatch"))
}
