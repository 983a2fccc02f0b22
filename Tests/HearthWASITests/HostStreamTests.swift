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
}
