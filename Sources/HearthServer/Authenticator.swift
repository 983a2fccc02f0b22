import HTTPTypes
import Hummingbird

/// Checks that a request carries a bearer token for the namespace it names.
struct Authenticator: Sendable {
    let tokens: TokenStore?

    /// Throws 401 without a token, 403 with a token that does not open `namespace`. The same 403
    /// is given whether or not the namespace exists, so tokens cannot probe for other tenants.
    func authorize(_ request: Request, namespace: String) throws(ServerError) {
        try authorize(request.headers, namespace: namespace)
    }

    func authorize(_ headers: HTTPFields, namespace: String) throws(ServerError) {
        try NameRules.check(namespace, what: "namespace")
        guard let tokens else { return }
        guard let header = headers.firstValue(.authorization) else {
            throw ServerError.unauthorized("missing bearer token (Authorization: Bearer <token>)")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { throw ServerError.unauthorized("the Authorization header must be \"Bearer <token>\"") }
        let token = String(header.dropFirst(prefix.count))
        guard tokens.allows(token, namespace: namespace) else {
            throw ServerError.forbidden("this token does not open namespace \"\(namespace)\"")
        }
    }
}

/// Namespace, object, runtime and function names: short printable identifiers. Namespaces name
/// data folders, so they are restricted to characters that cannot steer a path.
enum NameRules {
    static func check(_ name: String, what: String) throws(ServerError) {
        guard !name.isEmpty, name.utf8.count <= 128 else {
            throw ServerError.badRequest("\(what) must be 1 to 128 bytes long")
        }
        let allowed = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
        }
        guard allowed, name != ".", name != ".." else {
            throw ServerError.badRequest("\(what) \"\(name)\" may only contain letters, digits, '-', '_' and '.'")
        }
    }
}
