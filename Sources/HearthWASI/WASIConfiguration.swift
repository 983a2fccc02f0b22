/// What a WASI guest is given: its arguments, environment, standard streams, preopened
/// directories and sockets.
///
/// Nothing is inherited implicitly: a guest sees only the arguments, variables and directories
/// listed here.
public struct WASIConfiguration {
    public var arguments: [String]
    public var environment: [(String, String)]
    /// Where the guest's fd 0 reads from.
    public var stdin: WASIInput
    /// Where the guest's fds 1 and 2 write to.
    public var stdout: WASIOutput
    public var stderr: WASIOutput
    /// Host directories the guest may use, in fd order from 3.
    public var preopens: [WASIPreopen]
    /// Host socket descriptors (already listening or connected) handed to the guest after the
    /// preopened directories. The host keeps ownership: they are not closed when the guest exits.
    public var sockets: [Int32]

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
    public var hostPath: String
    public var guestPath: String
    /// A read-only preopen grants no right that changes the file system, at any depth.
    public var readOnly: Bool

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
    public private(set) var bytes: [UInt8] = []
    /// The most bytes it takes; a write past it ends the guest's run with `WASIOutputLimitExceeded`.
    public var limit: Int?
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
    public var limit: Int
    public var description: String { "output of \(limit) bytes" }
}
