/// What a WASI guest is given: its arguments, environment, standard streams, preopened
/// directories and sockets.
///
/// Nothing is inherited implicitly: a guest sees only the arguments, variables and directories
/// listed here.
public struct WASIConfiguration {
    /// The guest's `argv` as `args_get` returns it: the program name first (none is added for you).
    public var arguments: [String]
    /// Name and value pairs, which `environ_get` returns as `NAME=value` strings in this order.
    public var environment: [(String, String)]
    /// Where the guest's fd 0 reads from.
    public var stdin: WASIInput
    /// Where the guest's fds 1 and 2 write to.
    public var stdout: WASIOutput
    /// Where the guest's fd 2 (standard error) writes to.
    public var stderr: WASIOutput
    /// Host directories the guest may use, in fd order from 3.
    public var preopens: [WASIPreopen]
    /// Host socket descriptors (already listening or connected) handed to the guest after the
    /// preopened directories. The host keeps ownership: they are not closed when the guest exits.
    public var sockets: [Int32]
    /// The most descriptors the guest may have open at once (standard streams, preopens and
    /// sockets included); past it `path_open` and `sock_accept` answer `EMFILE`. Each holds a
    /// host descriptor, so without a cap one guest could use up the host process's (its
    /// databases and other guests would then fail to open files).
    public var maxOpenDescriptors = 1024

    /// A guest given exactly these arguments, variables, preopens and sockets, with the host
    /// descriptors `stdin`, `stdout` and `stderr` (the process's own by default) as its fds 0 to 2.
    public init(arguments: [String] = [], environment: [(String, String)] = [],
                stdin: Int32 = 0, stdout: Int32 = 1, stderr: Int32 = 2,
                preopens: [WASIPreopen] = [], sockets: [Int32] = []) {
        self.arguments = arguments
        self.environment = environment
        self.stdin = .host(stdin)
        self.stdout = .host(stdout)
        self.stderr = .host(stderr)
        self.preopens = preopens
        self.sockets = sockets
    }
}

/// A host directory made visible to the guest under `guestPath`.
public struct WASIPreopen: Sendable {
    /// The host directory to expose (absolute, or relative to the current directory); `WASIHost`'s
    /// initializer throws a `HearthError` (`io`) when it cannot be opened.
    public var hostPath: String
    /// The name the guest sees for it (`fd_prestat_dir_name`), such as "/" or "data".
    public var guestPath: String
    /// A read-only preopen grants no right that changes the file system, at any depth.
    public var readOnly: Bool

    /// Exposes `hostPath` to the guest as `guestPath`, writable unless `readOnly`.
    public init(hostPath: String, guestPath: String, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.guestPath = guestPath
        self.readOnly = readOnly
    }
}

/// The source of the guest's standard input.
public enum WASIInput {
    /// A host file descriptor (not closed by the guest).
    case host(Int32)
    /// Fixed bytes, then end of file.
    case bytes([UInt8])
}

/// The destination of the guest's standard output or error.
public enum WASIOutput {
    /// A host file descriptor (not closed by the guest).
    case host(Int32)
    /// Collected in memory for the embedder to read after (or during) the run.
    case capture(WASIOutputBuffer)
}

/// Bytes a guest wrote to a captured stream.
public final class WASIOutputBuffer {
    /// Everything the guest has written so far, in order; `removeAll()` empties it.
    public private(set) var bytes: [UInt8] = []
    /// The most bytes it takes; a write past it ends the guest's run with `WASIOutputLimitExceeded`.
    public var limit: Int?
    /// An empty buffer with no limit.
    public init() {}

    func append(_ buffer: UnsafeRawBufferPointer) throws {
        if let limit, bytes.count + buffer.count > limit { throw WASIOutputLimitExceeded(limit: limit) }
        bytes.append(contentsOf: buffer)
    }

    /// The captured bytes decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Forgets what was captured (the limit stays), for the next run.
    public func removeAll() { bytes.removeAll() }
}

/// A guest wrote more to a captured stream than its `WASIOutputBuffer.limit`: its run ends there.
public struct WASIOutputLimitExceeded: Error, CustomStringConvertible {
    /// The buffer's limit, in bytes, that the write would have passed.
    public var limit: Int
    public var description: String { "output of \(limit) bytes" }
}
