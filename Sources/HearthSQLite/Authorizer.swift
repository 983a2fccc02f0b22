import CSQLite

/// What SQLite asks an authorizer about while compiling a statement (`sqlite3_set_authorizer`).
public struct AuthorizerRequest: Sendable {
    /// What the statement would do (read a column, insert, begin a transaction, ...).
    public let action: AuthorizerAction
    /// First detail: usually a table, index, pragma or function name, depending on `action`.
    public let first: String?
    /// Second detail: a column, the indexed table, or a pragma argument, depending on `action`.
    public let second: String?
    /// The schema ("main", "temp", an attached name), when relevant.
    public let database: String?
    /// The innermost trigger or view responsible for the access, if any.
    public let trigger: String?

    /// A request with these details (nil where SQLite passes no string), e.g. to test an
    /// authorizer without a database.
    public init(action: AuthorizerAction, first: String?, second: String?, database: String?, trigger: String?) {
        self.action = action
        self.first = first
        self.second = second
        self.database = database
        self.trigger = trigger
    }
}

/// An authorizer's answer.
public enum AuthorizerDecision: Sendable {
    /// Allow the action.
    case allow
    /// Fail the whole statement with `SQLITE_AUTH` ("not authorized").
    case deny
    /// Allow the statement but read NULL for the column (`SQLITE_READ`) or skip the action.
    case ignore

    var code: Int32 {
        switch self {
        case .allow: return SQLITE_OK
        case .deny: return SQLITE_DENY
        case .ignore: return SQLITE_IGNORE
        }
    }
}

/// A closure deciding each action of a statement being prepared.
public typealias Authorizer = (AuthorizerRequest) -> AuthorizerDecision

final class AuthorizerBox {
    let authorizer: Authorizer
    init(_ authorizer: @escaping Authorizer) { self.authorizer = authorizer }
}

/// The C callback SQLite calls; it forwards to the Swift closure held by the connection.
let authorizerTrampoline: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?,
                                          UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                                          UnsafePointer<CChar>?) -> Int32 = { context, action, a, b, c, d in
    guard let context else { return SQLITE_DENY }
    let box = Unmanaged<AuthorizerBox>.fromOpaque(context).takeUnretainedValue()
    let request = AuthorizerRequest(action: AuthorizerAction(rawValue: action), first: a.map { String(cString: $0) },
                                    second: b.map { String(cString: $0) },
                                    database: c.map { String(cString: $0) },
                                    trigger: d.map { String(cString: $0) })
    return box.authorizer(request).code
}
