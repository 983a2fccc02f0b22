import HearthRuntime

/// Where a WASI program is stopped so that its state can be captured as a pre-initialized
/// function (see `SuspendedExecution`): the point where it first waits for its request.
public enum WASISuspensionPoint: Sendable {
    /// Its first `fd_read` of standard input, or, for a program that writes before it reads (or
    /// never reads), its first `fd_write` to standard output. The call is not made: it is made
    /// again, with the request as input, when the execution is resumed.
    case firstInputOrOutput
}

/// Thrown out of a WASI call at the suspension point: the guest's execution, captured there.
/// It ends the run that reached it (the instance's memories, globals and tables are as the guest
/// left them, for its snapshot).
public struct WASISuspended: Error, CustomStringConvertible {
    public var execution: SuspendedExecution
    /// The call it was captured in: `fd_read` or `fd_write`.
    public var call: String
    public var description: String { "suspended at \(call)" }
}

/// Why a program could not be suspended at its suspension point (the run stops there too).
public struct WASISuspensionRefused: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension WASIHost {
    /// Whether the call `name` with `arguments` is where the program must be suspended.
    func isSuspensionPoint(_ name: String, _ arguments: [Value]) -> Bool {
        guard case .firstInputOrOutput? = suspendAt else { return false }
        return (name == "fd_read" && arguments.i32(0) == 0) || (name == "fd_write" && arguments.i32(0) == 1)
    }

    /// Captures the execution that made the call and ends the run with `WASISuspended` (or
    /// `WASISuspensionRefused` when it cannot be captured). Either way the point is passed:
    /// a program is suspended at most once.
    func suspend(_ caller: Caller, in name: String) throws -> Never {
        suspendAt = nil
        do {
            throw WASISuspended(execution: try caller.suspendedExecution(), call: name)
        } catch let error as SnapshotError {
            throw WASISuspensionRefused(reason: error.description)
        }
    }
}
