import Foundation
import HearthBridge
import HearthObjects

/// An invocation: `{functionId, entryPoint, args, assemblyData?}` (assembly bytes in base64).
public struct InvokeRequest: Sendable {
    public var functionId: String
    public var entryPoint: String
    public var args: JSONValue
    public var assemblyData: [UInt8]?

    public init(functionId: String, entryPoint: String, args: JSONValue = .array([]), assemblyData: [UInt8]? = nil) {
        self.functionId = functionId
        self.entryPoint = entryPoint
        self.args = args
        self.assemblyData = assemblyData
    }

    /// Reads the JSON body. `functionId` and `entryPoint` may be preset (WebSocket query, pool route).
    public init(json: JSONValue, defaultFunctionId: String? = nil, defaultEntryPoint: String? = nil) throws {
        guard case .object = json else { throw ServerError.badRequest("the request body must be a JSON object") }
        guard let functionId = try json.optionalString("functionId") ?? defaultFunctionId else {
            throw ServerError.badRequest("missing \"functionId\"")
        }
        guard let entryPoint = try json.optionalString("entryPoint") ?? defaultEntryPoint else {
            throw ServerError.badRequest("missing \"entryPoint\"")
        }
        self.functionId = functionId
        self.entryPoint = entryPoint
        args = json["args"] ?? .array([])
        assemblyData = try json.optionalString("assemblyData").map { try Base64Field.decode($0, field: "assemblyData") }
    }
}

/// Why an invocation failed: the object layer's classification, which picks the HTTP status of
/// `{success: false, error}`.
public typealias InvokeFailureKind = InvokeFailure

extension InvokeFailure {
    var status: Int {
        switch self {
        case .guestError: return 422
        case .unknownFunction: return 404
        case .limitExceeded: return 504
        case .badRequest: return 400
        case .internalFailure: return 500
        case .overloaded: return 503
        }
    }
}

/// `{success: true, result}` or `{success: false, error}`.
public struct InvokeResponse: Sendable {
    public var result: JSONValue?
    public var error: String?
    public var failureKind: InvokeFailureKind?

    public static func success(_ result: JSONValue) -> InvokeResponse { InvokeResponse(result: result) }
    public static func failure(_ message: String, kind: InvokeFailureKind) -> InvokeResponse {
        InvokeResponse(error: message, failureKind: kind)
    }

    public var success: Bool { error == nil }

    /// HTTP status for this outcome.
    public var status: Int { failureKind?.status ?? 200 }

    public var json: JSONValue {
        if let error { return .object([("success", .bool(false)), ("error", .string(error))]) }
        return .object([("success", .bool(true)), ("result", result ?? .null)])
    }

    /// Classifies a bridge error (the host's failures arrive as these).
    public static func from(_ error: BridgeError) -> InvokeResponse {
        .failure(error.description, kind: InvokeFailure(error))
    }
}

/// Base64 fields of JSON bodies.
enum Base64Field {
    static func decode(_ text: String, field: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw ServerError.badRequest("\"\(field)\" is not valid base64") }
        return [UInt8](data)
    }
}

extension JSONValue {
    /// The string member `key`; nil if absent or null; a type error if present with another type.
    func optionalString(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw ServerError.badRequest("\"\(key)\" must be a string")
        }
    }

    /// Parses a request body, as a 400 when it is not JSON.
    static func parseBody(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw ServerError.badRequest("the body is not valid JSON: \(error)")
        }
    }
}
