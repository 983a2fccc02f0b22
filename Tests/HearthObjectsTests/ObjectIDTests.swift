import Foundation
@testable import HearthObjects
@testable import HearthRuntimeHost
import Testing

@Suite struct ObjectIDTests {
    @Test func sha256MatchesTheStandardTestVectors() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(hex(SHA256.digest(twoBlocks)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func idsFromNamesAreDeterministicAndNamespaced() async throws {
        let dir = try makeTemporaryDirectory()
        let a = try await openNamespace(dir.appendingPathComponent("a"), onFetch: { _, _, _ in ObjectResponse() })
        let b = try await ObjectNamespace(name: "other", directory: dir.appendingPathComponent("b")) { _ in
            ClosureHandler(onFetch: { _, _, _ in ObjectResponse() })
        }
        #expect(a.idFromName("room-1") == a.idFromName("room-1"))
        #expect(a.idFromName("room-1") != a.idFromName("room-2"))
        #expect(a.idFromName("room-1") != b.idFromName("room-1"))
        #expect(a.idFromName("room-1").hex.count == 64)
        #expect(try a.idFromString(a.idFromName("x").hex) == a.idFromName("x"))
        #expect(a.newUniqueId() != a.newUniqueId())
        await a.close()
        await b.close()
    }

    @Test func namesCannotReachOutsideTheDataFolder() async throws {
        let dir = try makeTemporaryDirectory()
        let namespace = try await openNamespace(dir.appendingPathComponent("ns"), onFetch: { _, _, object in
            try object.storage.put("k", [1])
            return ObjectResponse()
        })
        for text in ["../../etc/passwd", "/tmp/x", "..", "a/b", String(repeating: "g", count: 64), ""] {
            #expect(throws: ObjectError.invalidObjectID(text)) { try namespace.idFromString(text) }
        }
        let id = namespace.idFromName("../../escape")
        _ = try await namespace.get(id).fetch(ObjectRequest(url: "/"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("ns").path)
        #expect(files.contains("\(id.hex).sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["ns"])
        await namespace.close()
    }

    @Test func oneLiveObjectPerIdAndOneNamespacePerFolder() async throws {
        let dir = try makeTemporaryDirectory()
        let namespace = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() })
        let id = namespace.idFromName("same")
        #expect(try namespace.get(id) === namespace.get(id))
        await #expect(throws: ObjectError.self) {
            _ = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() })
        }
        await namespace.close()
        await #expect(throws: ObjectError.namespaceClosed) { try namespace.get(id) }
        let reopened = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() })
        await reopened.close()
    }

    /// Another process holding the folder's lock (here: a second open file description with
    /// the same exclusive `flock`, which is what another process would hold) keeps it closed.
    @Test func aDataFolderLockedByAnotherProcessIsRefused() async throws {
        let dir = try makeTemporaryDirectory()
        let lock = open(dir.appendingPathComponent("_hearth.lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(lock >= 0)
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        await #expect(throws: ObjectError.directoryInUse(dir.standardizedFileURL.resolvingSymlinksInPath().path)) {
            _ = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() })
        }
        close(lock)
        let namespace = try await openNamespace(dir, onFetch: { _, _, _ in ObjectResponse() })
        // While it is open, the lock is taken: what the other process would now be refused.
        let probe = open(dir.appendingPathComponent("_hearth.lock").path, O_RDWR)
        #expect(flock(probe, LOCK_EX | LOCK_NB) != 0)
        close(probe)
        await namespace.close()
    }
}
