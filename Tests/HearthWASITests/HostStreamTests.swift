import Foundation
import HearthWASI
import Testing

/// The host's own streams (standard streams, handed-in descriptors) keep their state whatever a
/// guest asks of its descriptors: a Go program sets stdout non-blocking at start, which used to
/// switch the host process's stdout too (output to a slow pipe was then cut at 64 KiB, and the
/// terminal stayed non-blocking after `hearth` exited).
@Suite(.serialized) struct HostStreamTests {
    /// `fd_fdstat_set_flags(1, NONBLOCK | APPEND)`, then `write(n)` writes n bytes of 'x' to stdout in
    /// 64 KiB calls (partial writes resumed), answering the total written or the errno.
    static let goStyleWriter = """
    (module
      (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $setFlags (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 2)
      (func (export "setFlags") (result i32) (call $setFlags (i32.const 1) (i32.const 5)))
      (func (export "stdinNonBlocking") (result i32) (call $setFlags (i32.const 0) (i32.const 4)))
      (func (export "read") (result i32)
        (i32.store (i32.const 0) (i32.const 1024))
        (i32.store (i32.const 4) (i32.const 16))
        (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
      (func (export "write") (param $n i32) (result i32)
        (local $done i32) (local $errno i32) (local $chunk i32)
        (memory.fill (i32.const 65536) (i32.const 120) (i32.const 65536))
        (block $out (loop $more
          (br_if $out (i32.ge_u (local.get $done) (local.get $n)))
          (local.set $chunk (i32.sub (local.get $n) (local.get $done)))
          (if (i32.gt_u (local.get $chunk) (i32.const 65536)) (then (local.set $chunk (i32.const 65536))))
          (i32.store (i32.const 0) (i32.const 65536))
          (i32.store (i32.const 4) (local.get $chunk))
          (local.set $errno (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
          (if (local.get $errno) (then (return (i32.sub (i32.const 0) (local.get $errno)))))
          (local.set $done (i32.add (local.get $done) (i32.load (i32.const 8))))
          (br $more)))
        (local.get $done)))
    """

    @Test func aGuestSettingStdoutNonBlockingChangesNothingOfTheHostsStreamAndASlowReaderGetsEverything() throws {
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { close(pipeFDs[0]) }
        let before = fcntl(pipeFDs[1], F_GETFL)
        var configuration = WASIConfiguration()
        configuration.stdout = .host(pipeFDs[1])
        let guest = try WATGuest(Self.goStyleWriter, configuration: configuration)
        #expect(try guest.call("setFlags") == 0)
        #expect(fcntl(pipeFDs[1], F_GETFL) == before)
        // A reader that sleeps before draining: the guest's 256 KiB must all arrive.
        let total = 256 * 1024
        final class Count: @unchecked Sendable { var bytes = 0 }
        let received = Count()
        let readEnd = pipeFDs[0]
        let reader = Thread {
            usleep(300_000)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(readEnd, &buffer, buffer.count)
                if n <= 0 { break }
                received.bytes += n
            }
        }
        reader.start()
        #expect(try guest.call("write", UInt32(total)) == UInt32(total))
        close(pipeFDs[1])
        while !reader.isFinished { usleep(10_000) }
        #expect(received.bytes == total)
    }

    @Test func aNonBlockingReadOfTheHostsStdinWithNothingToReadAnswersAgainWithoutChangingTheHostFD() throws {
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        defer { close(pipeFDs[0]); close(pipeFDs[1]) }
        let before = fcntl(pipeFDs[0], F_GETFL)
        var configuration = WASIConfiguration()
        configuration.stdin = .host(pipeFDs[0])
        let guest = try WATGuest(Self.goStyleWriter, configuration: configuration)
        #expect(try guest.call("stdinNonBlocking") == 0)
        #expect(fcntl(pipeFDs[0], F_GETFL) == before)
        #expect(try guest.call("read") == 6)  // EAGAIN, where a blocking read would wait for ever
        _ = "hi".withCString { write(pipeFDs[1], $0, 2) }
        #expect(try guest.call("read") == 0)
        #expect(try guest.load32(8) == 2)
    }

    /// Calls on descriptor `fd` that would move, resize, retime or rewrite a host file, each
    /// answering its errno: the host's streams are streams to a guest, whatever they are bound to.
    static let fileProbe = """
    (module
      (import "wasi_snapshot_preview1" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $setSize (param i32 i64) (result i32)))
      (import "wasi_snapshot_preview1" "fd_pwrite" (func $pwrite (param i32 i32 i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_allocate" (func $allocate (param i32 i64 i64) (result i32)))
      (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $setTimes (param i32 i64 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_advise" (func $advise (param i32 i64 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_sync" (func $sync (param i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sock_shutdown" (func $shutdown (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 64) "guest")
      (func (export "seek") (param $fd i32) (result i32) (call $seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 0)))
      (func (export "truncate") (param $fd i32) (result i32) (call $setSize (local.get $fd) (i64.const 0)))
      (func (export "pwrite") (param $fd i32) (result i32)
        (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 5))
        (call $pwrite (local.get $fd) (i32.const 0) (i32.const 1) (i64.const 0) (i32.const 8)))
      (func (export "allocate") (param $fd i32) (result i32) (call $allocate (local.get $fd) (i64.const 0) (i64.const 1048576)))
      ;; fstflags 5: set atime and mtime to the given (zero) times.
      (func (export "retime") (param $fd i32) (result i32) (call $setTimes (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 5)))
      (func (export "advise") (param $fd i32) (result i32) (call $advise (local.get $fd) (i64.const 0) (i64.const 0) (i32.const 4)))
      (func (export "sync") (param $fd i32) (result i32) (call $sync (local.get $fd)))
      (func (export "write") (param $fd i32) (result i32)
        (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 5))
        (call $write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8)))
      (func (export "shutdown") (param $fd i32) (result i32) (call $shutdown (local.get $fd) (i32.const 2))))
    """

    @Test func aHostStdoutBoundToAFileIsAStreamToTheGuestItCanOnlyAppendTo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-stdout-\(UUID().uuidString).log").path
        defer { unlink(path) }
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        _ = "keep this log\n".withCString { write(fd, $0, 14) }
        var times = stat()
        #expect(fstat(fd, &times) == 0)
        var configuration = WASIConfiguration()
        configuration.stdout = .host(fd)
        let guest = try WATGuest(Self.fileProbe, configuration: configuration)
        // ENOTCAPABLE (76) for each: the host's offset, size, contents, space and times are its own.
        for call in ["seek", "truncate", "pwrite", "allocate", "retime", "advise", "sync"] {
            #expect(try guest.call(call, 1) == 76, "\(call)")
        }
        #expect(lseek(fd, 0, SEEK_CUR) == 14)
        #expect(try guest.call("write", 1) == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep this log\nguest")
        var after = stat()
        #expect(fstat(fd, &after) == 0)
        #expect(after.st_atim.tv_sec == times.st_atim.tv_sec)
    }

    @Test func aGuestWritingToAPipeWhoseReaderHasGoneGetsEPIPEAndTheHostLivesOn() throws {
        var pipeFDs: [Int32] = [0, 0]
        #expect(pipe(&pipeFDs) == 0)
        close(pipeFDs[0])
        defer { close(pipeFDs[1]) }
        var configuration = WASIConfiguration()
        configuration.stdout = .host(pipeFDs[1])
        let guest = try WATGuest(Self.fileProbe, configuration: configuration)
        // Without care the kernel's SIGPIPE would end this process here.
        #expect(try guest.call("write", 1) == 64)
        #expect(try guest.call("write", 1) == 64)
    }

    @Test func aGuestCannotShutDownASocketTheHostHandedIn() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[0]); close(pair[1]) }
        var configuration = WASIConfiguration()
        configuration.sockets = [pair[0]]
        let guest = try WATGuest(Self.fileProbe, configuration: configuration)
        // The host keeps the socket after the guest: a shutdown would outlive it (ENOTSUP, 58).
        #expect(try guest.call("shutdown", 3) == 58)
        #expect("ok".withCString { write(pair[0], $0, 2) } == 2)
        var buffer = [UInt8](repeating: 0, count: 2)
        #expect(read(pair[1], &buffer, 2) == 2)
    }
}
