import Foundation
import HearthWASI
import Testing

/// Preview1 functions called through a tiny WAT guest that re-exports them as wasm functions
/// (a host function called straight from the host would have no caller memory).
@Suite struct HostFunctionTests {
    /// (name, parameter types) of the functions the guest wraps as `w_<name>`.
    static let wrapped: [(String, String)] = [
        ("fd_write", "i32 i32 i32 i32"), ("fd_read", "i32 i32 i32 i32"), ("fd_close", "i32"),
        ("args_sizes_get", "i32 i32"), ("args_get", "i32 i32"), ("clock_time_get", "i32 i64 i32"),
        ("fd_prestat_get", "i32 i32"), ("fd_prestat_dir_name", "i32 i32 i32"),
        ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"), ("fd_readdir", "i32 i32 i32 i64 i32"),
        ("poll_oneoff", "i32 i32 i32 i32"), ("sock_shutdown", "i32 i32"), ("random_get", "i32 i32"),
        ("sock_send", "i32 i32 i32 i32 i32"), ("sock_recv", "i32 i32 i32 i32 i32 i32"),
        ("fd_renumber", "i32 i32"), ("fd_fdstat_get", "i32 i32"),
        ("fd_fdstat_set_flags", "i32 i32"), ("sock_accept", "i32 i32 i32"),
    ]

    @Test func allFortySixPreview1FunctionsAreDefinedWithTheirTypes() throws {
        let functions = WASIHost.preview1Functions
        #expect(functions.count == 46)
        #expect(Set(functions.map(\.name)).count == 46)
        // Spot checks against the witx: the widest signature, one without parameters, the one
        // that returns nothing.
        #expect(functions.first { $0.name == "path_open" }?.type
            == FunctionType(parameters: [.i32, .i32, .i32, .i32, .i32, .i64, .i64, .i32, .i32], results: [.i32]))
        #expect(functions.first { $0.name == "sched_yield" }?.type == FunctionType(parameters: [], results: [.i32]))
        #expect(functions.first { $0.name == "proc_exit" }?.type == FunctionType(parameters: [.i32], results: []))
        var text = "(module\n"
        for (name, type) in functions {
            let parameters = type.parameters.map { $0 == .i64 ? "i64" : "i32" }.joined(separator: " ")
            text += "  (import \"wasi_snapshot_preview1\" \"\(name)\" (func (param \(parameters))\(type.results.isEmpty ? "" : " (result i32)")))\n"
        }
        _ = try WATGuest(text + "  (memory (export \"memory\") 1))")
        // A name preview1 does not have is not defined.
        #expect(throws: HearthError.self) {
            try WATGuest("(module (import \"wasi_snapshot_preview1\" \"fd_nothing\" (func (param i32) (result i32))))")
        }
    }

    static var moduleText: String {
        var text = "(module\n"
        for (name, parameters) in wrapped {
            text += "  (import \"wasi_snapshot_preview1\" \"\(name)\" (func $\(name) (param \(parameters)) (result i32)))\n"
        }
        text += "  (memory (export \"memory\") 1)\n"
        for (name, parameters) in wrapped {
            let count = parameters.split(separator: " ").count
            let gets = (0..<count).map { "local.get \($0)" }.joined(separator: " ")
            text += "  (func (export \"w_\(name)\") (param \(parameters)) (result i32) \(gets) call $\(name))\n"
        }
        return text + ")"
    }

    func guest(_ configuration: WASIConfiguration = WASIConfiguration()) throws -> WATGuest {
        try WATGuest(Self.moduleText, configuration: configuration)
    }

    func call(_ guest: WATGuest, _ name: String, _ arguments: [Value64]) throws -> UInt32 {
        let results = try guest.instance.function("w_" + name)!.invoke(arguments.map(\.value))
        guard case .i32(let errno)? = results.first else { return UInt32.max }
        return errno
    }

    @Test func badIovecPointerIsEFAULTAndWritesNothing() throws {
        let out = WASIOutputBuffer()
        var configuration = WASIConfiguration()
        configuration.stdout = .capture(out)
        let g = try guest(configuration)
        try g.write([0, 0xFF, 0, 0, 16, 0, 0, 0], at: 0) // iovec at 0: base 0xFF00 (past 64 KiB), length 16
        #expect(try call(g, "fd_write", [.i32(1), .i32(0), .i32(1), .i32(64)]) == 0)
        try g.write([0xF8, 0xFF, 0, 0, 16, 0, 0, 0], at: 0) // base 65528 + 16 bytes crosses the end
        #expect(try call(g, "fd_write", [.i32(1), .i32(0), .i32(1), .i32(64)]) == 21)
        #expect(try call(g, "fd_write", [.i32(1), .i32(70_000), .i32(1), .i32(64)]) == 21)
        try g.write([100, 0, 0, 0, 2, 0, 0, 0], at: 0)
        #expect(try call(g, "fd_write", [.i32(1), .i32(0), .i32(1), .i32(65_535)]) == 21) // result pointer
        #expect(out.bytes.count == 16) // only the first, valid call wrote
    }

    @Test func stdinBytesAreReadThenEndOfFile() throws {
        var configuration = WASIConfiguration()
        configuration.stdin = .bytes(Array("abc".utf8))
        let g = try guest(configuration)
        try g.write([0, 1, 0, 0, 2, 0, 0, 0, 8, 1, 0, 0, 8, 0, 0, 0], at: 0) // two iovecs: 2 bytes at 256, 8 at 264
        #expect(try call(g, "fd_read", [.i32(0), .i32(0), .i32(2), .i32(32)]) == 0)
        #expect(try g.load32(32) == 3)
        #expect(try g.bytes(at: 256, count: 2) == Array("ab".utf8))
        #expect(try g.bytes(at: 264, count: 1) == Array("c".utf8))
        #expect(try call(g, "fd_read", [.i32(0), .i32(0), .i32(2), .i32(32)]) == 0)
        #expect(try g.load32(32) == 0)
    }

    @Test func argumentsAreLaidOutAsPointersAndNulTerminatedStrings() throws {
        let g = try guest(WASIConfiguration(arguments: ["prog", "é"]))
        #expect(try call(g, "args_sizes_get", [.i32(0), .i32(4)]) == 0)
        #expect(try g.load32(0) == 2)
        #expect(try g.load32(4) == 8) // "prog\0" + "é\0" (2 UTF-8 bytes)
        #expect(try call(g, "args_get", [.i32(16), .i32(100)]) == 0)
        #expect(try g.load32(16) == 100)
        #expect(try g.load32(20) == 105)
        #expect(try g.bytes(at: 100, count: 8) == [0x70, 0x72, 0x6F, 0x67, 0, 0xC3, 0xA9, 0])
    }

    @Test func unknownClockAndDescriptorGiveExactErrnos() throws {
        let g = try guest()
        #expect(try call(g, "clock_time_get", [.i32(9), .i64(0), .i32(0)]) == 28) // EINVAL
        #expect(try call(g, "clock_time_get", [.i32(1), .i64(0), .i32(65_530)]) == 21) // EFAULT
        #expect(try call(g, "fd_close", [.i32(99)]) == 8) // EBADF
        #expect(try call(g, "sock_shutdown", [.i32(1), .i32(3)]) == 57) // ENOTSOCK
        #expect(try call(g, "random_get", [.i32(65_000), .i32(1_000)]) == 21)
    }

    @Test func preopensAreNumberedFromThreeWithTheirGuestNames() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let g = try guest(WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: "/data")]))
        #expect(try call(g, "fd_prestat_get", [.i32(3), .i32(0)]) == 0)
        #expect(try g.bytes(at: 0, count: 1) == [0])
        #expect(try g.load32(4) == 5)
        #expect(try call(g, "fd_prestat_dir_name", [.i32(3), .i32(16), .i32(4)]) == 37) // ENAMETOOLONG
        #expect(try call(g, "fd_prestat_dir_name", [.i32(3), .i32(16), .i32(5)]) == 0)
        #expect(try g.bytes(at: 16, count: 5) == Array("/data".utf8))
        #expect(try call(g, "fd_prestat_get", [.i32(4), .i32(0)]) == 8)
        #expect(try call(g, "fd_prestat_get", [.i32(1), .i32(0)]) == 8)
    }

    @Test func readdirResumesFromACookieWithoutRepeatingEntries() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for name in ["alpha", "beta", "gamma"] { try folder.write(name, to: name) }
        let g = try guest(WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: "d")]))
        var names: [String] = []
        var cookie: UInt64 = 0
        // A 40-byte buffer holds one 24-byte header and a short name: one entry per call.
        while names.count < 10 {
            #expect(try call(g, "fd_readdir", [.i32(3), .i32(1000), .i32(40), .i64(cookie), .i32(0)]) == 0)
            let used = Int(try g.load32(0))
            if used == 0 { break }
            let length = Int(try g.load32(1016))
            names.append(String(decoding: try g.bytes(at: 1024, count: min(length, used - 24)), as: UTF8.self))
            cookie = try g.load64(1000)
        }
        #expect(names.sorted() == [".", "..", "alpha", "beta", "gamma"])
    }

    @Test func pollOneoffReportsARelativeClockAfterItsTimeout() throws {
        let g = try guest()
        // subscription at 0: userdata 77, tag 0 (clock), clock id 1 (monotonic), timeout 2 ms
        try g.write([77, 0, 0, 0, 0, 0, 0, 0, 0], at: 0)
        try g.write([1, 0, 0, 0], at: 16)
        try g.write(withUnsafeBytes(of: UInt64(2_000_000).littleEndian, Array.init), at: 24)
        let started = DispatchTime.now().uptimeNanoseconds
        #expect(try call(g, "poll_oneoff", [.i32(0), .i32(100), .i32(1), .i32(200)]) == 0)
        #expect(DispatchTime.now().uptimeNanoseconds - started >= 2_000_000)
        #expect(try g.load32(200) == 1)
        #expect(try g.load64(100) == 77)
        #expect(try g.bytes(at: 108, count: 3) == [0, 0, 0]) // errno success, type clock
        #expect(try call(g, "poll_oneoff", [.i32(0), .i32(100), .i32(0), .i32(200)]) == 28)
    }

    @Test func aSocketHandedInCarriesDataBothWays() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        let g = try guest(WASIConfiguration(sockets: [pair[0]]))
        #expect(try call(g, "fd_fdstat_get", [.i32(3), .i32(300)]) == 0)
        #expect(try g.bytes(at: 300, count: 1) == [6]) // socket_stream
        try g.write(Array("ping".utf8), at: 100)
        try g.write([100, 0, 0, 0, 4, 0, 0, 0], at: 0)
        #expect(try call(g, "sock_send", [.i32(3), .i32(0), .i32(1), .i32(0), .i32(8)]) == 0)
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(read(pair[1], &buffer, 8) == 4)
        #expect(Array(buffer[0..<4]) == Array("ping".utf8))
        #expect(write(pair[1], "pong!", 5) == 5)
        try g.write([200, 0, 0, 0, 16, 0, 0, 0], at: 0)
        #expect(try call(g, "sock_recv", [.i32(3), .i32(0), .i32(1), .i32(0), .i32(8), .i32(12)]) == 0)
        #expect(try g.load32(8) == 5)
        #expect(try g.bytes(at: 200, count: 5) == Array("pong!".utf8))
        // The host keeps a socket it handed in: the guest may not shut it down (ENOTSUP).
        #expect(try call(g, "sock_shutdown", [.i32(3), .i32(2)]) == 58)
    }

    @Test func aGuestPastItsOpenDescriptorCapGetsEMFILEAndClosingOneMakesRoom() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("x", to: "f")
        var configuration = WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: ".")])
        configuration.maxOpenDescriptors = 6  // stdin, stdout, stderr, the preopen: two more
        let g = try guest(configuration)
        try g.write(Array("f".utf8), at: 100)
        func openF() throws -> UInt32 {
            try call(g, "path_open", [.i32(3), .i32(0), .i32(100), .i32(1), .i32(0),
                                      .i64(WASIRights.fdRead.rawValue), .i64(0), .i32(0), .i32(200)])
        }
        #expect(try openF() == 0)
        #expect(try openF() == 0)
        #expect(try openF() == 33)  // EMFILE: the host's descriptors are not the guest's to use up
        #expect(try call(g, "fd_close", [.i32(4)]) == 0)
        #expect(try openF() == 0)
        #expect(try g.load32(200) == 4)
    }

    @Test func renumberMovesADescriptorAndClosesTheTarget() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let g = try guest(WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: ".")]))
        #expect(try call(g, "fd_renumber", [.i32(3), .i32(1)]) == 0)
        #expect(try call(g, "fd_prestat_get", [.i32(1), .i32(0)]) == 0)
        #expect(try call(g, "fd_prestat_get", [.i32(3), .i32(0)]) == 8)
        #expect(try call(g, "fd_renumber", [.i32(1), .i32(7)]) == 8)
    }
}

/// An i32 or i64 argument for the wrapped functions.
enum Value64 {
    case i32(UInt32)
    case i64(UInt64)
}

import HearthRuntime

extension Value64 {
    var value: Value {
        switch self {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        }
    }
}
