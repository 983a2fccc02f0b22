#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The guest's blocking mode on descriptors the host handed in (standard streams, sockets).
///
/// Such a descriptor's status flags are shared with the host process, so a guest's
/// `fd_fdstat_set_flags(NONBLOCK)` is only recorded (`Descriptor.flags`) and emulated here per
/// call, in both directions: a guest that asked for non-blocking never blocks the host thread
/// (`EAGAIN` instead), and a guest that did not never sees the `EAGAIN` of a host fd that the
/// host itself made non-blocking (the call waits in `poll` and retries). Descriptors the guest
/// opened itself carry the guest's flags on the host fd, and the kernel does the work.
extension WASIHost {
    /// Runs `call`, one host I/O call on `fd` (the host fd of `d`), in the guest's blocking
    /// mode; `events` is what the call waits for (`POLLIN` to read or accept, `POLLOUT` to
    /// send). `call` is told whether to skip waiting itself: calls with a per-call flag
    /// (`MSG_DONTWAIT`) pass `withoutWaitFlag`, and are then told so; for the others a
    /// non-blocking guest's call is made only when `poll` says it is ready. `alwaysWaits` makes
    /// the call blocking whatever the guest asked (writes to the host's streams wait until the
    /// stream takes them, as wasmtime's do).
    static func inGuestBlockingMode(_ d: Descriptor, fd: Int32, events: Int16, withoutWaitFlag: Int32?,
                                    alwaysWaits: Bool = false, _ call: (_ extraFlags: Int32) -> Int) throws -> Int {
        guard case .host(_, owned: false) = d.backing else { return try posixCall { call(0) } }
        if !alwaysWaits, d.flags & FdFlags.nonblock != 0 {
            if let withoutWaitFlag { return try posixCall { call(withoutWaitFlag) } }
            // Another reader of the host fd could take what was ready before the call: then the
            // call blocks (a race only a shared descriptor has).
            guard isReady(fd, events: events) else { throw WASIErrno.again }
            return try posixCall { call(0) }
        }
        while true {
            do {
                return try posixCall { call(0) }
            } catch WASIErrno.again {
                // Only a host fd left non-blocking by the host gets here: no poll on the
                // common path.
                waitUntilReady(fd, events: events)
            }
        }
    }

    /// Accepts a connection on `listener` with close-on-exec (and non-blocking if asked) set
    /// atomically by `accept4`, so a process the embedder forks on another thread cannot
    /// inherit it. Glibc's Swift module does not export `accept4`; it is looked up once.
    static func acceptCloseOnExec(_ listener: Int32, nonBlocking: Bool) -> Int32 {
        #if os(Linux)
        if let accept4 = accept4Function {
            return accept4(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0))
        }
        #endif
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return connection }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        if nonBlocking { _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK) }
        return connection
    }

    #if os(Linux)
    private typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?,
                                                UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    /// The address of libc's `accept4` (0 if absent), kept as an integer to be `Sendable`.
    private static let accept4Address = UInt(bitPattern: dlsym(dlopen(nil, RTLD_NOW), "accept4"))
    private static var accept4Function: Accept4? {
        guard let pointer = UnsafeRawPointer(bitPattern: accept4Address) else { return nil }
        return unsafeBitCast(pointer, to: Accept4.self)
    }
    #endif
}
