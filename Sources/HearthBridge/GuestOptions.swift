import HearthRuntime
import HearthWASI

/// How a guest module is instantiated: its WASI view (arguments, environment, stdin, preopened
/// directories; none by default, so a guest sees no host files), the `env` imports' policies,
/// and execution limits.
public struct GuestOptions {
    /// The command line WASI shows the guest (`args_get`), argv[0] included; empty by default.
    public var arguments: [String] = []
    /// Environment variables the guest sees through WASI, as name-value pairs in order.
    public var environment: [(String, String)] = []
    /// Bytes the guest reads from standard input; after them it reads end of file.
    public var stdin: [UInt8] = []
    /// The most bytes the guest may write to stdout, and to stderr, each (captured in memory);
    /// past it the call ends as a limit exceeded. Nil: no cap.
    public var maxOutputBytes: Int?
    /// Host directories the guest may open, each under a guest path; none by default.
    public var preopens: [WASIPreopen] = []
    /// Receives every `env.js_console_log` message.
    public var log: (String) -> Void = { _ in }
    /// Hosts `env.js_fetch` may reach; everything else is denied without a request.
    public var fetchPolicy = FetchPolicy()
    /// Sends the fetches `fetchPolicy` admits (libcurl by default).
    public var fetcher: HTTPFetcher = CurlFetcher()
    /// Deadline and fuel of each guest invocation (the start function, one export call, or
    /// everything inside `GuestInstance.withLimits`), enforced by the engine; none by default.
    public var limits = ExecutionLimits()
    /// Serves the guest's `hearth` storage imports (see `StorageImports`); nil answers errors.
    public var storage: GuestStorage?
    /// Extra host imports (e.g. the objects layer's storage module), defined after WASI and `env`.
    public var defineImports: ((Linker) -> Void)?
    /// What the bridge does after a guest traps; see `TrapPolicy`.
    public var trapPolicy = TrapPolicy.reinstantiate

    /// No arguments, environment, input, files, fetchable hosts or limits; a trap replaces the instance.
    public init() {}
}

/// What happens to a runtime instance after a trap.
public enum TrapPolicy {
    /// Discard the instance and build a fresh one (`_initialize` again) before the next call:
    /// a trap can stop the guest anywhere, for instance inside `malloc` with its free lists half
    /// updated, so nothing in its memory can be trusted afterwards. The safe default.
    case reinstantiate
    /// Keep using the instance (for guests known to keep their state consistent at traps).
    case keepInstance
}
