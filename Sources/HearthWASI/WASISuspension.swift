import HearthRuntime

/// Where a WASI program is stopped so that its state can be captured as a pre-initialized
/// function (see `SuspendedExecution`): the point where it first waits for its request.
public enum WASISuspensionPoint: Sendable {
    /// Its first `fd_read` of standard input (or `poll_oneoff` waiting for it), or, for a
    /// program that writes before it reads (or never reads), its first `fd_write` to standard
    /// output. The call is not made: it is made again, with the request as input, when the
    /// execution is resumed.
    case firstInputOrOutput
    /// A read of standard input (`fd_read`, or `poll_oneoff` waiting for it) when every byte
    /// given so far has been read: a program that loops on stdin has answered its request and
    /// waits for the next one (`appendInput` gives it, then the execution is resumed).
    case inputExhausted
}

/// Thrown out of a WASI call at the suspension point: the guest's execution, captured there.
/// It ends the run that reached it (the instance's memories, globals and tables are as the guest
/// left them, for its snapshot).
public struct WASISuspended: Error, CustomStringConvertible {
    /// The captured stacks, to resume with `Instance.resume` in an instance brought to the
    /// snapshot.
    public var execution: SuspendedExecution
    /// The call it was captured in: `fd_read`, `poll_oneoff` or `fd_write`.
    public var call: String
    public var description: String { "suspended at \(call)" }
}

/// Why a program could not be suspended at its suspension point (the run stops there too).
public struct WASISuspensionRefused: Error, CustomStringConvertible {
    /// Why the execution could not be captured: the snapshot error's message.
    public var reason: String
    public var description: String { reason }
}

extension WASIHost {
    /// Whether the call `name` with `arguments` is where the program must be suspended.
    func isSuspensionPoint(_ name: String, _ caller: borrowing Caller, _ arguments: HostCallFrame) -> Bool {
        guard let suspendAt else { return false }
        let readsInput = (name == "fd_read" && arguments.i32(0) == 0) || (name == "poll_oneoff" && pollWaitsForInput(caller, arguments))
        switch suspendAt {
        case .firstInputOrOutput: return readsInput || (name == "fd_write" && arguments.i32(0) == 1)
        case .inputExhausted: return readsInput && unreadInput == 0
        }
    }

    /// Bytes of an in-memory standard input not read yet (nil for a host stream).
    var unreadInput: Int? {
        guard let stdin = descriptors[0], case .input(let bytes, let position) = stdin.backing else { return nil }
        return bytes.count - position
    }

    /// Gives a suspended program its next request: `bytes` after what it has not read yet (the
    /// bytes already read are dropped). Standard input must be in memory.
    public func appendInput(_ bytes: [UInt8]) throws {
        guard let stdin = descriptors[0], case .input(let old, let position) = stdin.backing else {
            throw HearthError.snapshot("standard input is not an in-memory stream")
        }
        stdin.backing = .input(Array(old[position...]) + bytes, position: 0)
    }

    /// Whether `poll_oneoff`'s subscriptions include a read of standard input.
    private func pollWaitsForInput(_ caller: borrowing Caller, _ arguments: HostCallFrame) -> Bool {
        guard let memory = try? GuestMemory(caller) else { return false }
        let input = arguments.i32(0), count = arguments.i32(2)
        for i in 0..<min(count, 4096) {
            let base = input &+ i &* 48
            if (try? memory.loadUInt8(at: base &+ 8)) == 1, (try? memory.loadUInt32(at: base &+ 16)) == 0 { return true }
        }
        return false
    }

    /// Captures the execution that made the call and ends the run with `WASISuspended` (or
    /// `WASISuspensionRefused` when it cannot be captured). Either way the point is passed:
    /// a program is suspended at most once per `suspendAt` set.
    func suspend(_ caller: borrowing Caller, in name: String) throws -> Never {
        suspendAt = nil
        do {
            throw WASISuspended(execution: try caller.suspendedExecution(), call: name)
        } catch let error as HearthError where error.kind == .snapshot {
            throw WASISuspensionRefused(reason: error.message)
        }
    }
}
