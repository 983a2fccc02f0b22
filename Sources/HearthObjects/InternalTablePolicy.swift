import HearthSQLite

/// Decides what user SQL may do: internal `_hearth_` tables are invisible to it, transactions
/// are only available through `transactionSync` (the turn already is a transaction), and
/// pragmas are limited to read-only introspection so user SQL cannot turn off durability.
struct InternalTablePolicy {
    static let internalPrefix = "_hearth_"

    private static let allowedPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "quick_check", "integrity_check",
    ]

    /// nil to allow, or the reason for refusing.
    static func refusal(for request: AuthorizerRequest) -> String? {
        switch request.action {
        case .transaction, .savepoint:
            return "BEGIN, COMMIT, ROLLBACK and SAVEPOINT are not allowed; use transactionSync"
        case .attach, .detach:
            return "ATTACH and DETACH are not allowed"
        case .pragma:
            let name = (request.first ?? "").lowercased()
            if !allowedPragmas.contains(name) { return "PRAGMA \(name) is not allowed" }
        default:
            break
        }
        // Function names are not table names, so skip the FUNCTION action's second argument.
        let names = request.action == .function ? [] : [request.first, request.second]
        for case let name? in names where name.lowercased().hasPrefix(internalPrefix) {
            return "access to internal table \(name) is not allowed"
        }
        return nil
    }
}
