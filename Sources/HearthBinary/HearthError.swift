/// Every error Hearth's layers report, one type from the decoder up to WASI: what kind of
/// failure it is, the message (in the spec testsuite's wording where it has one, which is what
/// `assert_malformed`, `assert_invalid` and `assert_trap` match) and, by kind, where it happened,
/// why execution stopped or how the program ended. Code that handles failures switches on
/// `kind` (and a trap's `trap`); the message is for people.
public struct HearthError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure, in the order a module meets them.
    public enum Kind: String, Sendable, CaseIterable {
        /// The bytes are not a well-formed module, or the text is not a well-formed module or
        /// script ("malformed", "unexpected end", "unknown operator").
        case decode
        /// The module is well-formed but breaks a validation rule ("type mismatch").
        case validate
        /// Instantiation could not resolve an import ("unknown import", "incompatible import type").
        case link
        /// Execution stopped abnormally: a WebAssembly trap, a limit that stopped the call, or
        /// a host function's failure that unwound through Wasm code; `trap` says which.
        case trap
        /// The program called `proc_exit`: an outcome of the program, not a failure of the
        /// host; `exitStatus` is its status.
        case exit
        /// The host could not read or write what it was asked to (a module file that does not
        /// open, a WASI preopen directory that is missing).
        case io
        /// A snapshot (of an instance, a suspended execution, WASI state or a memory image) could
        /// not be taken or applied: it does not fit, its bytes are corrupt or of another format,
        /// or it would hold what the format cannot express (`unsupported: ...`).
        case snapshot
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// What is wrong, in the spec's wording where it has one.
    public var message: String
    /// For `decode` and `validate` of a binary module: the byte offset the problem refers to
    /// (0 for module-level checks with no single place).
    public var offset: Int?
    /// For `validate`: the index in the function index space (imports included) of the function
    /// being validated, when the problem is inside one.
    public var functionIndex: Int?
    /// For `decode` of text: the 1-based line and column (in UTF-8 bytes) of the problem.
    public var position: (line: Int, column: Int)?
    /// For `exit`: the status the program passed to `proc_exit` (0 means success by convention).
    public var exitStatus: UInt32?
    /// For `trap`: why execution stopped.
    public var trap: TrapKind?
    /// For `trap`: the Wasm calls active when it stopped, innermost first.
    public var backtrace: [BacktraceFrame] = []
    /// For a `trap` of `.hostError`: what the host function threw.
    public var underlying: (any Error)?
    /// For a `trap` of `.uncaughtException`: the exception, which belongs to the store that
    /// threw it (`HearthRuntime` reads it as `exception`). It is used under that store's
    /// contract (one thread at a time), which is why this one field of an otherwise `Sendable`
    /// error is exempt from the compiler's check.
    package nonisolated(unsafe) var attachment: Any?

    /// An error of `kind` saying `message`; the factories below fill in what each kind carries.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// A malformed binary module: `message` about the byte at `offset`.
    public static func decoding(_ message: String, at offset: Int) -> HearthError {
        var error = HearthError(.decode, message)
        error.offset = offset
        return error
    }

    /// A malformed text module or script: `message` at `line`:`column` (both 0 when the position
    /// is unknown, which `description` then omits).
    public static func text(_ message: String, line: Int = 0, column: Int = 0) -> HearthError {
        var error = HearthError(.decode, message)
        if line > 0 { error.position = (line, column) }
        return error
    }

    /// An invalid module: `message` about byte `offset`, inside function `functionIndex` when given.
    public static func invalid(_ message: String, at offset: Int, functionIndex: Int? = nil) -> HearthError {
        var error = HearthError(.validate, message)
        error.offset = offset
        error.functionIndex = functionIndex
        return error
    }

    /// An import that could not be linked: `message` in the spec's wording.
    public static func link(_ message: String) -> HearthError { HearthError(.link, message) }

    /// The host could not read or write what it was asked to: `message` says what.
    public static func io(_ message: String) -> HearthError { HearthError(.io, message) }

    /// A trap of `kind` (the spec's wording unless `message` is given), with the calls active
    /// when it happened and, for a host error, what the host threw.
    public static func trap(_ kind: TrapKind, _ message: String? = nil, backtrace: [BacktraceFrame] = [],
                            underlying: (any Error)? = nil) -> HearthError {
        var error = HearthError(.trap, message ?? kind.message)
        error.trap = kind
        error.backtrace = backtrace
        error.underlying = underlying
        return error
    }

    /// A snapshot that could not be taken or applied: `message` says why.
    public static func snapshot(_ message: String) -> HearthError { HearthError(.snapshot, message) }

    /// The program called `proc_exit(status)`.
    public static func exit(_ status: UInt32) -> HearthError {
        var error = HearthError(.exit, "guest exited with code \(status)")
        error.exitStatus = status
        return error
    }

    public var description: String {
        if !backtrace.isEmpty {
            return message + "\n" + backtrace.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
        }
        if let position { return "\(position.line):\(position.column): \(message)" }
        guard let offset else { return message }
        let place = functionIndex.map { " in function \($0)" } ?? ""
        return "\(message) (at byte offset \(offset)\(place))"
    }

    /// `message` (the spec's, for WebAssembly 2.0 rules) followed by the feature the bytes would
    /// have meant under 3.0, so that a module of the current standard loaded with 2.0 rules says
    /// what is turned off instead of only "malformed".
    static func turnedOff(_ message: String, _ feature: String, at offset: Int) -> HearthError {
        .decoding("\(message): the module uses \(feature), a WebAssembly 3.0 feature, turned off (features 2.0)", at: offset)
    }
}
