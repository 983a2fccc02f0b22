import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost
import HearthSQLite
import Testing

/// kill -9 in the middle of snapshot saves: the object wakes from the last snapshot that
/// committed (or cold), never from a torn one, and nothing acknowledged is lost.
///
/// The child is this test binary re-executed with `HEARTH_KILL_SNAPSHOT_DIR` set (as in
/// `CrashDurabilityTests`). It rewrites 200 of the heap runtime's 64 KiB spans, then deploys a
/// new function, which saves a snapshot of ~13 MB (written, synced, renamed, then the manifest
/// committed), and prints `ACKED n` once the deploy answered. The parent kills it at varying
/// points, then checks that the heap it wakes with is whole (its sum matches the sum the same
/// memory records), that every acknowledged function answers, and that the database is sound.
@Suite(.serialized) struct SnapshotCrashTests {
    static let directoryVariable = "HEARTH_KILL_SNAPSHOT_DIR"
    static let firstVariable = "HEARTH_KILL_SNAPSHOT_FIRST"

    @Test func snapshotWriterChild() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[Self.directoryVariable], let first = Int(environment[Self.firstVariable] ?? "") else { return }
        let host = HearthHost(directory: URL(fileURLWithPath: path), configuration: .init(idleTimeout: 3600))
        if try await host.runtimes().isEmpty { try await host.deployRuntime(name: "default", bytes: heapRuntime) }
        var n = first
        while true {
            let scribbled = await host.invoke(object: "crash", InvokeRequest(functionId: "heap", entryPoint: "scribble",
                                                                             args: .array([.number(200), .number(Double(n))]),
                                                                             assembly: n == 1 ? heapAssembly : nil))
            guard scribbled.success else { fatalError("scribble failed: \(scribbled)") }
            let deployed = await host.invoke(object: "crash", InvokeRequest(functionId: "f\(n)", entryPoint: "v",
                                                                            assembly: Array("(fn v () \(n))".utf8)))
            guard deployed.result == .number(Double(n)) else { fatalError("deploy failed: \(deployed)") }
            FileHandle.standardOutput.write(Data("ACKED \(n)\n".utf8))
            n += 1
        }
    }

    @Test func killDashNineDuringSnapshotSavesNeverWakesFromATornSnapshot() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment[Self.directoryVariable] == nil else { return }
        let folder = try makeTemporaryDirectory()
        var acknowledged = 0
        // Kills after 1-3 acknowledgements, then 0-250 ms later: before, during and after saves.
        for (cycle, delay) in [(1, 0), (2, 120), (1, 40), (3, 250), (1, 180)] {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            child.arguments = ["--testing-library", "swift-testing", "--filter", "snapshotWriterChild"]
            child.environment = environment.merging([Self.directoryVariable: folder.path,
                                                     Self.firstVariable: String(acknowledged + 1)]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            child.standardError = FileHandle.nullDevice
            try child.run()
            let highest = try await killChild(child, afterAcknowledgements: acknowledged + cycle, delayMilliseconds: delay,
                                              reading: output.fileHandleForReading)
            #expect(child.terminationStatus == SIGKILL)
            #expect(highest >= acknowledged + cycle)
            acknowledged = highest

            let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
            let check = await host.invoke(object: "crash", InvokeRequest(functionId: "heap", entryPoint: "check"))
            #expect(check == InvokeResponse(success: true, result: .bool(true)), "cycle with \(acknowledged) acknowledged")
            // Woken from the last committed snapshot, not cold.
            #expect(host.statistics.coldStarts == 0)
            for n in [1, acknowledged / 2, acknowledged] where n >= 1 {
                let answer = await host.invoke(object: "crash", InvokeRequest(functionId: "f\(n)", entryPoint: "v"))
                #expect(answer.result == .number(Double(n)))
            }
            let id = try await host.objectNamed("crash").id
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("default/\(id.hex).images").path)
            #expect(leftovers.allSatisfy { $0.hasSuffix(".img") })
            await host.close()
            let database = try Database(path: folder.appendingPathComponent("default/\(id.hex).sqlite").path)
            #expect(try database.scalar("PRAGMA integrity_check")?.stringValue == "ok")
            database.close()
        }
    }
}
