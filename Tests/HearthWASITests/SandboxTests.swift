import Foundation
@testable import HearthWASI
import Testing

/// Escape attempts from a preopened directory, driven by the `sandbox.c` probe guest. Each one
/// must be refused with the exact errno, and the folder next to the sandbox must be untouched.
///
/// Layout: `sandbox/` (preopened as `/sb`) holds `inner/file.txt` and host-made symlinks
/// `etc -> /etc`, `up -> ../outside`, `chain1 -> chain2 -> inner/../../outside/secret.txt`,
/// `loop -> loop`, `good -> inner/file.txt`, `dangle -> ../outside/created.txt`;
/// `outside/secret.txt` sits beside it.
@Suite(.serialized) struct SandboxTests {
    static let notcapable = "errno 76\n"

    /// The fixture: a sandbox folder to preopen and a folder beside it that must stay untouched.
    final class Sandbox {
        let folder: TemporaryFolder
        let preopen: WASIPreopen
        let outsideBefore: [String: String]

        init(readOnly: Bool = false) throws {
            folder = try TemporaryFolder()
            try folder.makeDirectory("sandbox/inner")
            try folder.makeDirectory("outside")
            try folder.write("secret", to: "outside/secret.txt")
            try folder.write("hello", to: "sandbox/inner/file.txt")
            try folder.symlink("sandbox/etc", to: "/etc")
            try folder.symlink("sandbox/up", to: "../outside")
            try folder.symlink("sandbox/chain1", to: "chain2")
            try folder.symlink("sandbox/chain2", to: "inner/../../outside/secret.txt")
            try folder.symlink("sandbox/loop", to: "loop")
            try folder.symlink("sandbox/good", to: "inner/file.txt")
            try folder.symlink("sandbox/dangle", to: "../outside/created.txt")
            outsideBefore = try folder.snapshot("outside")
            preopen = WASIPreopen(hostPath: folder.path + "/sandbox", guestPath: "/sb", readOnly: readOnly)
        }

        deinit { folder.remove() }

        /// Runs the probe guest; returns its output ("errno N" ...).
        func probe(_ arguments: String...) throws -> String {
            let (stdout, code) = try Guests.run("sandbox.wasm", arguments: arguments, preopens: [preopen])
            return code == 0 ? stdout : "exit \(code)"
        }

        var outsideUntouched: Bool { (try? folder.snapshot("outside")) == outsideBefore }

        func exists(_ relative: String) -> Bool {
            var info = stat()
            return lstat(folder.path + "/" + relative, &info) == 0
        }
    }

    @Test func dotDotPastThePreopenIsNotCapable() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("open", "../outside/secret.txt") == Self.notcapable)
            #expect(try sandbox.probe("open", "inner/../../outside/secret.txt") == Self.notcapable)
            #expect(try sandbox.probe("open", "..") == Self.notcapable)
            #expect(try sandbox.probe("mkdir", "../outside/new") == Self.notcapable)
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func dotDotInsideThePreopenWorks() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("open", "inner/../inner/file.txt") == "errno 0\nread hello\n")
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func absolutePathsAreNotCapable() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("open", "/etc/passwd") == Self.notcapable)
            #expect(try sandbox.probe("create", "/tmp/hearth-escape") == Self.notcapable)
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/hearth-escape"))
    }

    @Test func absoluteSymlinkToEtcIsNotFollowed() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("open", "etc/passwd") == Self.notcapable)
            #expect(try sandbox.probe("openf", "etc/passwd") == Self.notcapable)
            #expect(try sandbox.probe("statf", "etc") == Self.notcapable)
            // Looking at the link itself is allowed: it is an entry of the sandbox.
            #expect(try sandbox.probe("stat", "etc") == "errno 0\n")
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func relativeSymlinksEscapingThePreopenAreNotCapable() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("open", "up/secret.txt") == Self.notcapable)
            #expect(try sandbox.probe("openf", "chain1") == Self.notcapable)
            #expect(try sandbox.probe("createf", "dangle") == Self.notcapable)
            #expect(try sandbox.probe("unlink", "up/secret.txt") == Self.notcapable)
            #expect(try sandbox.probe("touch", "up/secret.txt") == Self.notcapable)
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func symlinksInsideThePreopenAreFollowed() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("openf", "good") == "errno 0\nread hello\n")
            // Without symlink_follow the last component is not followed: O_NOFOLLOW gives ELOOP.
            #expect(try sandbox.probe("open", "good") == "errno 32\n")
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func symlinkLoopsEndInELOOP() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("openf", "loop") == "errno 32\n")
            #expect(try sandbox.probe("open", "loop/x") == "errno 32\n")
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func renameAndLinkAcrossTheBoundaryAreNotCapable() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("rename", "inner/file.txt", "../outside/stolen") == Self.notcapable)
            #expect(try sandbox.probe("rename", "up/secret.txt", "taken") == Self.notcapable)
            #expect(try sandbox.probe("link", "up/secret.txt", "hard") == Self.notcapable)
            #expect(try sandbox.probe("link", "inner/file.txt", "up/planted") == Self.notcapable)
            #expect(sandbox.exists("sandbox/inner/file.txt"))
            #expect(!sandbox.exists("sandbox/taken"))
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func creatingAbsoluteSymlinksIsRefusedAndEscapingOnesCannotBeFollowed() throws {
        let sandbox = try Sandbox()
        do {
            #expect(try sandbox.probe("symlink", "/etc/passwd", "abs") == Self.notcapable)
            #expect(!sandbox.exists("sandbox/abs"))
            #expect(try sandbox.probe("symlink", "../outside/secret.txt", "rel") == "errno 0\n")
            #expect(try sandbox.probe("openf", "rel") == Self.notcapable)
        }
        #expect(sandbox.outsideUntouched)
    }

    @Test func aPreopenInsideAWritablePreopenIsOpenedThroughItSoAGuestsSymlinkCannotMoveItOutside() throws {
        let sandbox = try Sandbox()
        try sandbox.folder.makeDirectory("sandbox/cache")
        // What a guest with only the outer preopen can do: put an escaping link where the
        // nested preopen's directory was.
        #expect(try sandbox.probe("rmdir", "cache") == "errno 0\n")
        #expect(try sandbox.probe("symlink", "../outside", "cache") == "errno 0\n")
        let nested = [sandbox.preopen, WASIPreopen(hostPath: sandbox.folder.path + "/sandbox/cache", guestPath: "/cache")]
        #expect {
            _ = try Guests.run("sandbox.wasm", arguments: ["open", "inner/file.txt"], preopens: nested)
        } throws: { ($0 as? HearthError)?.kind == .io }
        #expect(sandbox.outsideUntouched)
    }

    @Test func resetReopensThePreopensItOpenedFirstNotTheirPathsAgain() throws {
        let sandbox = try Sandbox()
        try sandbox.folder.makeDirectory("sandbox/cache")
        let cache = WASIPreopen(hostPath: sandbox.folder.path + "/sandbox/cache", guestPath: "/cache")
        let host = try WASIHost(configuration: WASIConfiguration(preopens: [cache]))
        // The directory is swapped for an escaping link, as a guest holding its parent could.
        #expect(rmdir(cache.hostPath) == 0)
        #expect(symlink("../outside", cache.hostPath) == 0)
        try host.reset(stdin: .bytes([]))
        let reopened = try #require(host.descriptors[3]?.hostFD)
        #expect(WASIHost.hostPath(of: reopened) == cache.hostPath + " (deleted)")
    }

    @Test func readOnlyPreopenRefusesEveryChange() throws {
        let sandbox = try Sandbox(readOnly: true)
        do {
            let inside = try sandbox.folder.snapshot("sandbox")
            #expect(try sandbox.probe("create", "new.txt") == Self.notcapable)
            #expect(try sandbox.probe("unlink", "inner/file.txt") == Self.notcapable)
            #expect(try sandbox.probe("mkdir", "d") == Self.notcapable)
            #expect(try sandbox.probe("rename", "inner/file.txt", "moved") == Self.notcapable)
            #expect(try sandbox.probe("symlink", "inner", "s") == Self.notcapable)
            #expect(try sandbox.probe("touch", "inner/file.txt") == Self.notcapable)
            #expect(try sandbox.probe("open", "inner/file.txt") == "errno 0\nread hello\n")
            #expect(try sandbox.folder.snapshot("sandbox") == inside)
        }
        #expect(sandbox.outsideUntouched)
    }
}
