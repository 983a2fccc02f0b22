import Foundation
@testable import HearthObjects
import HearthSQLite
import Testing

/// kill -9 at the commit points of deploys and deletes (issue #17): nothing acknowledged is
/// lost, nothing deleted comes back, no database is corrupt. As in `CrashDurabilityTests`, the
/// child is this test binary re-executed with an environment variable naming its folder; it
/// prints `ACKED n` only after the host answered.
@Suite struct ObjectCrashTests {
    static let deployVariable = "HEARTH_KILL_DEPLOYER_DIR"
    static let deleteVariable = "HEARTH_KILL_DELETER_DIR"

    private static let testRuntime: [UInt8] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Guests/test-runtime.wasm")
        return (try? [UInt8](Data(contentsOf: url))) ?? []
    }()

    /// Deploys version after version of function `v` (which answers its version number).
    @Test func deployerChild() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.deployVariable] else { return }
        let host = HearthHost(directory: URL(fileURLWithPath: path))
        try await host.deployRuntime(name: "default", bytes: Self.testRuntime)
        for version in 1... {
            let response = await host.deployFunction(object: "o", functionId: "v", entryPoint: "v",
                                                     assembly: Array("(fn v () \(version))".utf8))
            guard response.success else { fatalError("deploy failed: \(response)") }
            FileHandle.standardOutput.write(Data("ACKED \(version)\n".utf8))
        }
    }

    /// Creates object `d<n>` (a write and, with the runtime object, its maintenance alarm), then
    /// deletes it, for ever; `ACKED n` once the delete returned.
    @Test func deleterChild() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.deleteVariable] else { return }
        let host = HearthHost(directory: URL(fileURLWithPath: path))
        try await host.deployRuntime(name: "default", bytes: Self.testRuntime)
        for n in 1... {
            let written = await host.invoke(object: "d\(n)", InvokeRequest(functionId: "w", entryPoint: "w",
                                                                         assembly: Array("(fn w () (kv-put \"k\" 1))".utf8)))
            guard written.success else { fatalError("write failed: \(written)") }
            guard try await host.deleteObject(object: "d\(n)") else { fatalError("d\(n) had no storage") }
            FileHandle.standardOutput.write(Data("ACKED \(n)\n".utf8))
        }
    }

    private func runChild(_ filter: String, variable: String, acknowledgements: Int) async throws -> (URL, Int) {
        let dir = try makeTemporaryDirectory()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        child.environment = ProcessInfo.processInfo.environment.merging([variable: dir.path]) { $1 }
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let acked = try await killChild(child, afterAcknowledgements: acknowledgements, delayMilliseconds: Int.random(in: 0...20),
                                        reading: output.fileHandleForReading)
        #expect(child.terminationStatus == SIGKILL)
        return (dir, acked)
    }

    private static var isChild: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment[deployVariable] != nil || environment[deleteVariable] != nil
            || environment[CrashDurabilityTests.directoryVariable] != nil || environment[CrashDurabilityTests.alarmVariable] != nil
    }

    @Test func aDeployAcknowledgedBeforeKillDashNineIsTheVersionServedAfterIt() async throws {
        guard !Self.isChild else { return }
        let (dir, acked) = try await runChild("deployerChild", variable: Self.deployVariable, acknowledgements: 8)
        #expect(acked >= 8)
        let host = HearthHost(directory: dir)
        let served = await host.invoke(object: "o", InvokeRequest(functionId: "v", entryPoint: "v"))
        guard case .number(let version)? = served.result else {
            Issue.record("no version served: \(served)")
            return
        }
        // The acknowledged version, or the one in flight at the kill: never an older one.
        #expect(Int(version) == acked || Int(version) == acked + 1)
        let object = try await host.objectNamed("o")
        let check = try await object.blockConcurrencyWhile { @Sendable object in
            try object.storage.internalQuery("PRAGMA integrity_check").first?.first
        }
        #expect(check == .text("ok"))
        await host.close()
    }

    @Test func anObjectDeletedBeforeKillDashNineNeverComesBack() async throws {
        guard !Self.isChild else { return }
        let (dir, acked) = try await runChild("deleterChild", variable: Self.deleteVariable, acknowledgements: 6)
        #expect(acked >= 6)
        let host = HearthHost(directory: dir)
        try await host.start()  // alarms of every namespace load: none may revive a deleted object
        try await Task.sleep(for: .milliseconds(200))
        let names = Set(try await host.objects().map(\.name))
        let folder = dir.appendingPathComponent("default")
        for n in 1...acked {
            #expect(!names.contains("d\(n)"), "d\(n) is listed again")
            let id = ObjectID.derived(namespace: "default", name: "d\(n)")
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(id.fileName).path), "d\(n) has a database again")
        }
        // Whatever the kill left (the object in flight) is whole.
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".sqlite") {
            let database = try Database(path: folder.appendingPathComponent(file).path)
            #expect(try database.scalar("PRAGMA integrity_check") == .text("ok"), "\(file)")
            database.close()
        }
        await host.close()
    }
}
