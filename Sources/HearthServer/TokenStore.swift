import Foundation
import HearthBridge

/// The namespaces' bearer tokens, from a JSON file mapping namespace -> token (or -> list of
/// tokens, for rotation). A token opens exactly its namespace; with no store at all the server
/// runs open but is bound to loopback (see `ServerConfiguration`).
public struct TokenStore: Sendable {
    private let tokens: [String: [String]]

    /// A store mapping each namespace to its accepted tokens as given: unlike `init(json:)`, no
    /// token length is checked.
    public init(_ tokens: [String: [String]]) { self.tokens = tokens }

    /// Reads `{"namespace": "token", "other": ["t1", "t2"]}`.
    public init(json bytes: [UInt8]) throws {
        guard case .object(let members) = try JSONValue.parse(bytes) else {
            throw ServerError.badRequest("the tokens file must be a JSON object mapping namespaces to tokens")
        }
        var tokens: [String: [String]] = [:]
        for (namespace, value) in members {
            switch value {
            case .string(let token): tokens[namespace, default: []].append(token)
            case .array(let list):
                for item in list {
                    guard case .string(let token) = item else {
                        throw ServerError.badRequest("tokens of namespace \"\(namespace)\" must be strings")
                    }
                    tokens[namespace, default: []].append(token)
                }
            default: throw ServerError.badRequest("the token of namespace \"\(namespace)\" must be a string or a list of strings")
            }
        }
        for (namespace, list) in tokens where list.contains(where: { $0.utf8.count < 16 }) {
            throw ServerError.badRequest("a token of namespace \"\(namespace)\" is shorter than 16 characters")
        }
        self.tokens = tokens
    }

    /// Reads the tokens file at `path` (format of `init(json:)`); throws `ServerError.badRequest`
    /// when it cannot be read, is malformed, or holds a token shorter than 16 characters.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError.badRequest("cannot read the tokens file \(path)")
        }
        try self.init(json: [UInt8](data))
    }

    /// The environment variable that may hold the tokens JSON itself (for containers and
    /// secret stores that inject environment rather than files).
    public static let environmentVariable = "HEARTH_TOKENS"

    /// The tokens for `hearth serve`: from the file when one is given, else from
    /// `HEARTH_TOKENS`; nil when neither is set. Giving both is refused: one would silently win.
    public static func configured(file: String?, environment: [String: String]) throws -> TokenStore? {
        let inline = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (file, inline) {
        case (let file?, nil): return try TokenStore(contentsOfFile: file)
        case (nil, let json?):
            do {
                return try TokenStore(json: Array(json.utf8))
            } catch {
                let reason = (error as? ServerError)?.message ?? "not valid JSON: \(error)"
                throw ServerError.badRequest("\(environmentVariable): \(reason)")
            }
        case (nil, nil): return nil
        case (_?, _?): throw ServerError.badRequest("both --tokens and \(environmentVariable) are set; give one")
        }
    }

    /// Namespaces the store has tokens for, sorted.
    public var namespaces: [String] { tokens.keys.sorted() }

    /// Whether `token` opens `namespace`. Compares in constant time per candidate so the answer
    /// time does not reveal how much of a token was right.
    public func allows(_ token: String, namespace: String) -> Bool {
        guard let candidates = tokens[namespace] else { return false }
        var matched = false
        for candidate in candidates where Self.constantTimeEqual(Array(candidate.utf8), Array(token.utf8)) { matched = true }
        return matched
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
