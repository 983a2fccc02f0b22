/// Everything that can go wrong between the host and a guest runtime. Each case names the
/// guest export or import involved, so a failed invocation explains itself.
public enum BridgeError: Error, CustomStringConvertible {
    /// The module does not export what the bridge needs (or exports it with another type).
    case missingExport(name: String, expected: String)
    /// The guest trapped (`unreachable`, out-of-bounds access, stack exhaustion, ...).
    case guestTrapped(export: String, message: String)
    /// The guest ran past its deadline or out of fuel and was stopped.
    case limitExceeded(export: String, limit: String)
    /// A host import (console log, fetch, WASI) failed in a way that stopped the guest.
    case hostFailure(export: String, message: String)
    /// The guest answered a pointer/length pair that does not lie inside its memory.
    case badGuestBuffer(export: String, pointer: UInt32, length: Int64, memorySize: Int)
    /// The guest answered bytes that are not valid JSON.
    case invalidJSON(export: String, detail: String)
    /// The guest refused a request with a negative status (its stderr line, if any, explains).
    case guestRefused(export: String, status: Int32, reason: String)
    /// The guest's code ran and reported an error (`{"error": ...}` envelope).
    case guestError(message: String)
    /// The guest's `malloc` returned 0.
    case guestOutOfMemory(bytes: Int)
    /// A handle from before the instance was replaced (after a trap), or from another bridge.
    case staleHandle(String)
    /// `invoke` named a function whose assembly was never given nor can be found.
    case unknownFunction(String)
    /// The runtime module could not be compiled or instantiated.
    case instantiation(String)

    public var description: String {
        switch self {
        case .missingExport(let name, let expected): return "the guest does not export \(name) (\(expected))"
        case .guestTrapped(let export, let message): return "guest trapped in \(export): \(message)"
        case .limitExceeded(let export, let limit): return "guest stopped in \(export): \(limit) exceeded"
        case .hostFailure(let export, let message): return "host import failed during \(export): \(message)"
        case .badGuestBuffer(let export, let pointer, let length, let size):
            return "\(export) returned an out-of-range buffer: pointer \(pointer), length \(length), memory size \(size)"
        case .invalidJSON(let export, let detail): return "\(export) returned invalid JSON: \(detail)"
        case .guestRefused(let export, let status, let reason):
            return "\(export) failed with status \(status)" + (reason.isEmpty ? "" : ": \(reason)")
        case .guestError(let message): return message
        case .guestOutOfMemory(let bytes): return "guest malloc(\(bytes)) returned null"
        case .staleHandle(let what): return "stale handle: \(what)"
        case .unknownFunction(let id): return "unknown function \(id): no assembly was deployed for it"
        case .instantiation(let message): return "cannot instantiate the runtime: \(message)"
        }
    }

    /// Whether the guest instance may be in an inconsistent state after this error (a trap can
    /// stop it in the middle of `malloc`, with its heap half updated).
    public var poisonsInstance: Bool {
        switch self {
        case .guestTrapped, .limitExceeded, .hostFailure: return true
        default: return false
        }
    }
}
