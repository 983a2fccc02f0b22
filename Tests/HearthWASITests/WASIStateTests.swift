import Foundation
import HearthWASI
import Testing

/// What a warm snapshot carries of WASI: the files a guest opened (reopened under the same
/// numbers, at the same position) and its progress through an in-memory stdin.
@Suite struct WASIStateTests {
    let wrappers = HostFunctionTests()

    func configuration(_ folder: TemporaryFolder) -> WASIConfiguration {
        var configuration = WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: "d")])
        configuration.stdin = .bytes(Array("xyz".utf8))
        return configuration
    }

    /// Opens `name` under preopen 3 for reading; returns the guest fd.
    func open(_ guest: WATGuest, _ name: String) throws -> UInt32 {
        try guest.write(Array(name.utf8), at: 100)
        let rights = WASIRights.fdRead.rawValue | WASIRights.fdSeek.rawValue
        #expect(try wrappers.call(guest, "path_open", [.i32(3), .i32(0), .i32(100), .i32(UInt32(name.utf8.count)),
                                                       .i32(0), .i64(rights), .i64(0), .i32(0), .i32(200)]) == 0)
        return try guest.load32(200)
    }

    /// Reads one byte from `fd` through `fd_read`.
    func readByte(_ guest: WATGuest, _ fd: UInt32) throws -> String {
        try guest.write([0x90, 0x01, 0, 0, 1, 0, 0, 0], at: 300)  // iovec: 1 byte at 400
        #expect(try wrappers.call(guest, "fd_read", [.i32(fd), .i32(300), .i32(1), .i32(320)]) == 0)
        #expect(try guest.load32(320) == 1)
        return String(decoding: try guest.bytes(at: 400, count: 1), as: UTF8.self)
    }

    @Test func openedFilesAndTheStdinPositionSurviveCaptureAndRestore() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("abcdef", to: "data.txt")
        let before = try wrappers.guest(configuration(folder))
        let fd = try open(before, "data.txt")
        #expect(try readByte(before, fd) + readByte(before, fd) == "ab")
        #expect(try readByte(before, 0) == "x")

        let state = try before.wasi.captureState()
        #expect(state.descriptors.map(\.fd) == [fd])
        #expect(state.descriptors.first?.preopen == "d")
        #expect(state.descriptors.first?.path == "data.txt")
        #expect(state.descriptors.first?.offset == 2)
        #expect(state.stdinPosition == 1)
        let decoded = try WASIState(encoded: state.encoded)
        #expect(decoded == state)

        let after = try wrappers.guest(configuration(folder))
        try after.wasi.restoreState(decoded)
        #expect(try readByte(after, fd) == "c")
        #expect(try readByte(after, 0) == "y")
    }

    @Test func aFileSwappedForASymlinkLeadingOutsideIsNotReopened() throws {
        let folder = try TemporaryFolder()
        let outside = try TemporaryFolder()
        defer { folder.remove(); outside.remove() }
        try folder.write("abcdef", to: "data.txt")
        try outside.write("secret", to: "secret.txt")
        let before = try wrappers.guest(configuration(folder))
        _ = try open(before, "data.txt")
        let state = try before.wasi.captureState()

        try FileManager.default.removeItem(atPath: folder.path + "/data.txt")
        try folder.symlink("data.txt", to: outside.path + "/secret.txt")
        let after = try wrappers.guest(configuration(folder))
        #expect { try after.wasi.restoreState(state) } throws: { ($0 as? HearthError)?.kind == .snapshot }
    }
}
