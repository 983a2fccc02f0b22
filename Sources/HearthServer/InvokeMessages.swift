import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost

// The invocation contract is the object host's (`HearthRuntimeHost.InvokeRequest`,
// `InvokeResponse`, `InvokeFailure`, `HealthResponse`): one set of types from the HTTP layer
// down to the runtime objects. This file adds only what HTTP needs: parsing a body with 400s
// for its mistakes, and the status each outcome answers with.

extension InvokeRequest {
    /// Reads the JSON body. `functionId` and `entryPoint` may be preset (WebSocket query, pool
    /// route). A malformed field or base64 is the client's mistake (400).
    init(json: JSONValue, defaultFunctionId: String? = nil, defaultEntryPoint: String? = nil) throws {
        guard case .object = json else { throw ServerError.badRequest("the request body must be a JSON object") }
        guard let functionId = try json.optionalString("functionId") ?? defaultFunctionId else {
            throw ServerError.badRequest("missing \"functionId\"")
        }
        guard let entryPoint = try json.optionalString("entryPoint") ?? defaultEntryPoint else {
            throw ServerError.badRequest("missing \"entryPoint\"")
        }
        let assembly = try json.optionalString("assemblyData").map { try Base64Field.decode($0, field: "assemblyData") }
        self.init(functionId: functionId, entryPoint: entryPoint, args: json["args"] ?? .array([]), assembly: assembly)
    }
}

extension InvokeFailure {
    /// The HTTP status of `{success: false, error}` for this kind of failure.
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

extension InvokeResponse {
    /// HTTP status for this outcome.
    var status: Int { success ? 200 : (failure ?? .internalFailure).status }
}

extension HealthResponse {
    /// `{status, initialized, cachedDelegates, activeConnections}` of `GET .../health`.
    var body: JSONValue {
        .object([("status", .string(status)), ("initialized", .bool(initialized)),
                 ("cachedDelegates", .number(Double(cachedDelegates))),
                 ("activeConnections", .number(Double(activeConnections)))])
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
