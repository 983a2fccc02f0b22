import Foundation
@testable import HearthWASI
import Testing

/// A guest's blocking mode on a descriptor the host handed in (a socket, a stream) is the
/// guest's alone: asking for non-blocking never blocks the host thread, and a host descriptor
/// that the host itself left non-blocking never makes a blocking guest see `EAGAIN`
/// (WASI-AUDIT.md, F4, F7, F8).
@Suite(.serialized) struct BlockingModeTests {
    static let again: UInt32 = 6
    let calls = HostFunctionTests()

    /// A connected pair of Unix stream sockets, closed by `close()`.
    struct SocketPair {
        let guestEnd: Int32, peer: Int32
        init() {
            var pair: [Int32] = [0, 0]
            _ = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair)
            guestEnd = pair[0]
            peer = pair[1]
        }
        func close() { Glibc.close(guestEnd); Glibc.close(peer) }
    }

    static func statusFlags(_ fd: Int32) -> Int32 { fcntl(fd, F_GETFL) }

    /// Writes `bytes` to `fd` from another thread after `milliseconds`.
    static func writeLater(_ fd: Int32, _ bytes: [UInt8], after milliseconds: UInt32) -> Thread {
        let thread = Thread { usleep(milliseconds * 1000); _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        thread.start()
        return thread
    }

    @Test func aGuestAskingForNonBlockingOnAHandedInSocketGetsEAGAINAndTheHostsSocketStaysBlocking() throws {
        let sockets = SocketPair()
        defer { sockets.close() }
        let g = try calls.guest(WASIConfiguration(sockets: [sockets.guestEnd]))
        #expect(try calls.call(g, "fd_fdstat_set_flags", [.i32(3), .i32(4)]) == 0)
        try g.write([200, 0, 0, 0, 16, 0, 0, 0], at: 0)
        #expect(try calls.call(g, "sock_recv", [.i32(3), .i32(0), .i32(1), .i32(0), .i32(8), .i32(12)]) == Self.again)
        #expect(Self.statusFlags(sockets.guestEnd) & O_NONBLOCK == 0)
        #expect(write(sockets.peer, "late", 4) == 4)
        #expect(try calls.call(g, "sock_recv", [.i32(3), .i32(0), .i32(1), .i32(0), .i32(8), .i32(12)]) == 0)
        #expect(try g.load32(8) == 4)
        #expect(try g.bytes(at: 200, count: 4) == Array("late".utf8))
    }

    @Test func aBlockingGuestOnAHandedInSocketTheHostLeftNonBlockingWaitsForDataInsteadOfGettingEAGAIN() throws {
        let sockets = SocketPair()
        defer { sockets.close() }
        _ = fcntl(sockets.guestEnd, F_SETFL, Self.statusFlags(sockets.guestEnd) | O_NONBLOCK)
        let g = try calls.guest(WASIConfiguration(sockets: [sockets.guestEnd]))
        try g.write([200, 0, 0, 0, 16, 0, 0, 0], at: 0)
        let writer = Self.writeLater(sockets.peer, Array("late".utf8), after: 50)
        #expect(try calls.call(g, "sock_recv", [.i32(3), .i32(0), .i32(1), .i32(0), .i32(8), .i32(12)]) == 0)
        #expect(try g.load32(8) == 4)
        #expect(try g.bytes(at: 200, count: 4) == Array("late".utf8))
        _ = writer
    }

    @Test func aBlockingGuestReadingAHostStdinTheHostLeftNonBlockingWaitsForDataInsteadOfGettingEAGAIN() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        _ = fcntl(ends[0], F_SETFL, Self.statusFlags(ends[0]) | O_NONBLOCK)
        var configuration = WASIConfiguration()
        configuration.stdin = .host(ends[0])
        let g = try calls.guest(configuration)
        try g.write([200, 0, 0, 0, 16, 0, 0, 0], at: 0)
        let writer = Self.writeLater(ends[1], Array("late".utf8), after: 50)
        #expect(try calls.call(g, "fd_read", [.i32(0), .i32(0), .i32(1), .i32(8)]) == 0)
        #expect(try g.load32(8) == 4)
        #expect(Self.statusFlags(ends[0]) & O_NONBLOCK != 0)  // still the host's choice
        _ = writer
    }

    @Test func aNonBlockingAcceptWithNoPendingConnectionAnswersEAGAINAndAnAcceptedConnectionIsCloseOnExec() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        #expect(bound && listen(listener, 4) == 0)
        let g = try calls.guest(WASIConfiguration(sockets: [listener]))
        #expect(try calls.call(g, "fd_fdstat_set_flags", [.i32(3), .i32(4)]) == 0)
        #expect(try calls.call(g, "sock_accept", [.i32(3), .i32(0), .i32(100)]) == Self.again)
        #expect(Self.statusFlags(listener) & O_NONBLOCK == 0)

        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) == 0 }
        }
        #expect(connected)
        #expect(try calls.call(g, "sock_accept", [.i32(3), .i32(0), .i32(100)]) == 0)
        let accepted = try #require(g.wasi.descriptors[try g.load32(100)]?.hostFD)
        #expect(fcntl(accepted, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func openingAFIFOForWritingWithNoReaderAnswersENXIOInsteadOfBlockingTheHost() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(mkfifo(folder.path + "/fifo", 0o600) == 0)
        let g = try calls.guest(WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: ".")]))
        try g.write(Array("fifo".utf8), at: 100)
        let write = try calls.call(g, "path_open", [.i32(3), .i32(0), .i32(100), .i32(4), .i32(0),
                                                     .i64(WASIRights.fdWrite.rawValue), .i64(0), .i32(0), .i32(200)])
        #expect(write == 60)  // ENXIO
        // For reading it opens at once, and the descriptor is blocking as asked.
        #expect(try calls.call(g, "path_open", [.i32(3), .i32(0), .i32(100), .i32(4), .i32(0),
                                                .i64(WASIRights.fdRead.rawValue), .i64(0), .i32(0), .i32(200)]) == 0)
        let reader = try #require(g.wasi.descriptors[try g.load32(200)]?.hostFD)
        #expect(Self.statusFlags(reader) & O_NONBLOCK == 0)
    }

    @Test func appendOnAReadOnlyPreopenOpensTheHostFileReadOnly() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("x", to: "f")
        let g = try calls.guest(WASIConfiguration(preopens: [WASIPreopen(hostPath: folder.path, guestPath: ".", readOnly: true)]))
        try g.write(Array("f".utf8), at: 100)
        #expect(try calls.call(g, "path_open", [.i32(3), .i32(0), .i32(100), .i32(1), .i32(0),
                                                .i64(WASIRights.fdRead.rawValue | WASIRights.fdWrite.rawValue),
                                                .i64(0), .i32(1), .i32(200)]) == 0)
        let file = try #require(g.wasi.descriptors[try g.load32(200)]?.hostFD)
        #expect(Self.statusFlags(file) & O_ACCMODE == O_RDONLY)
    }

    @Test func appendAskedOfAHostStdoutBoundToAFileWritesAtItsEndWithoutChangingTheHostsFlags() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path + "/log"
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        defer { close(fd) }
        // The host's descriptor sits at offset 0 while another writer has already filled the file.
        try folder.write("someone else's line\n", to: "log")
        var configuration = WASIConfiguration()
        configuration.stdout = .host(fd)
        let g = try calls.guest(configuration)
        #expect(try calls.call(g, "fd_fdstat_set_flags", [.i32(1), .i32(1)]) == 0)  // append
        try g.write(Array("guest".utf8), at: 200)
        try g.write([200, 0, 0, 0, 5, 0, 0, 0], at: 0)
        #expect(try calls.call(g, "fd_write", [.i32(1), .i32(0), .i32(1), .i32(8)]) == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "someone else's line\nguest")
        #expect(Self.statusFlags(fd) & O_APPEND == 0)
    }
}
