import Foundation
import HearthBridge
import HearthObjects

/// A call of a deployed function: `{functionId, entryPoint, args, assemblyData?, runtime?}`.
/// `assemblyData` (base64) deploys new code for the function before the call.
public struct InvokeRequest: Codable, Sendable, Equatable {
    /// The object's function to call (or deploy): its stored assembly, delegates and counts go by this id.
    public var functionId: String
    /// The entry point in the function's assembly, compiled by the runtime into a delegate once and
    /// then cached.
    public var entryPoint: String
    /// The entry point's arguments: a JSON array (positional) or object (by parameter name).
    public var args: JSONValue
    /// Base64 of the assembly bytes, when deploying.
    public var assemblyData: String?
    /// The runtime the object runs on from now on (a new object binds to `default`, or the only
    /// one deployed, when none is named).
    public var runtime: String?

    /// A call of `entryPoint` of `functionId` with `args` (none by default); `assembly`, when given,
    /// is base64-encoded into `assemblyData` and deployed before the call.
    public init(functionId: String, entryPoint: String, args: JSONValue = .array([]), assembly: [UInt8]? = nil,
                runtime: String? = nil) {
        self.functionId = functionId
        self.entryPoint = entryPoint
        self.args = args
        assemblyData = assembly.map { Data($0).base64EncodedString() }
        self.runtime = runtime
    }

    /// The decoded assembly bytes, if any; throws for invalid base64.
    public func assemblyBytes() throws -> [UInt8]? {
        guard let assemblyData else { return nil }
        guard let data = Data(base64Encoded: assemblyData) else { throw GuestRequestError(message: "assemblyData is not valid base64") }
        return [UInt8](data)
    }
}

/// What kind of failure an invocation met, so a server can answer with a fitting status.
public enum InvokeFailure: String, Codable, Sendable, Equatable {
    /// The guest's own code reported an error.
    case guestError
    /// No such function was deployed.
    case unknownFunction
    /// The guest was stopped at its deadline or fuel limit.
    case limitExceeded
    /// The request itself was malformed.
    case badRequest
    /// The guest trapped or misbehaved, or the host failed.
    case internalFailure
    /// The object had too many requests waiting; nothing ran (retry later).
    case overloaded

    /// Classifies a bridge error.
    public init(_ error: BridgeError) {
        switch error {
        case .guestError: self = .guestError
        case .unknownFunction: self = .unknownFunction
        case .limitExceeded: self = .limitExceeded
        // The guest refused what it was given (an entry point it does not have, an assembly that
        // does not parse): the caller's mistake, not the host's.
        case .guestRefused: self = .badRequest
        default: self = .internalFailure
        }
    }
}

/// `{success: true, result}` or `{success: false, error}`, with the failure's kind on the side
/// (not part of the JSON a caller sees).
public struct InvokeResponse: Codable, Sendable, Equatable {
    /// Whether the function ran and answered a result; false means `error` says why.
    public var success: Bool
    /// The function's JSON result on success; nil on failure (`body` then shows JSON null).
    public var result: JSONValue?
    /// Why the invocation failed, for the caller to read; nil on success.
    public var error: String?
    /// The failure's kind, from which a server picks the HTTP status; nil on success.
    public var failure: InvokeFailure?

    /// A response as given; `failure(_:_:)` builds a failed one.
    public init(success: Bool, result: JSONValue? = nil, error: String? = nil, failure: InvokeFailure? = nil) {
        self.success = success
        self.result = result
        self.error = error
        self.failure = failure
    }

    /// A successful invocation's answer.
    public static func success(_ result: JSONValue) -> InvokeResponse { InvokeResponse(success: true, result: result) }

    /// The failed response a bridge error calls for, classified by `InvokeFailure(_:)`.
    public static func from(_ error: BridgeError) -> InvokeResponse { .failure(error.description, InvokeFailure(error)) }

    /// A failed response with `message` as its error, of kind `kind` (an internal failure unless said).
    public static func failure(_ message: String, _ kind: InvokeFailure = .internalFailure) -> InvokeResponse {
        InvokeResponse(success: false, error: message, failure: kind)
    }

    /// What a caller sees: `{success: true, result}` or `{success: false, error}`.
    public var body: JSONValue {
        if success { return .object([("success", .bool(true)), ("result", result ?? .null)]) }
        return .object([("success", .bool(false)), ("error", .string(error ?? ""))])
    }

    /// The canonical JSON text of `body`.
    public var json: String { body.text }
}

/// `{status, initialized, cachedDelegates, activeConnections}` of one object.
public struct HealthResponse: Codable, Sendable, Equatable {
    /// "healthy", or "recovering" when the last call trapped and the instance is replaced before the
    /// next one; the HTTP server reports "ok" whatever the runtime says.
    public var status: String
    /// The runtime instance is resident and ready.
    public var initialized: Bool
    /// Compiled delegates the runtime instance holds now (0 when it has not started).
    public var cachedDelegates: Int
    /// Open client connections (the server fills this in; the embedded host has none).
    public var activeConnections: Int
    /// How the runtime was last started: "snapshot" (restored) or "cold" (`_initialize` ran).
    public var startedFrom: String?

    /// A health report; the server fills in `activeConnections`, the object leaves it 0.
    public init(status: String, initialized: Bool, cachedDelegates: Int, activeConnections: Int = 0, startedFrom: String? = nil) {
        self.status = status
        self.initialized = initialized
        self.cachedDelegates = cachedDelegates
        self.activeConnections = activeConnections
        self.startedFrom = startedFrom
    }
}
