import HearthObjects
import HearthRuntimeHost
import HTTPTypes
import HearthBridge

/// The two invoke routes, `POST /functions/{namespace}/{functionId}/invoke` (the warm pool) and
/// `POST /objects/{namespace}/{name}/invoke` (an object), whichever way the request arrived:
/// through the router, or answered on the event loop by `InvokeChannelHandler`. Both take this
/// one path, so they authorize, parse, limit and answer alike.
struct InvokeEndpoint: Sendable {
    let invoker: Invoker
    let authenticator: Authenticator
    let limits: ServerLimits

    /// The invoke routes: the one table both ways in read. The router registers each one's
    /// `routerPath`; the event loop's matcher (`Target.init(method:path:)`) recognizes the same
    /// paths by their first segment.
    enum Route: CaseIterable, Sendable {
        /// `POST /functions/{namespace}/{functionId}/invoke`: a function of the namespace's pool.
        case pool
        /// `POST /objects/{namespace}/{name}/invoke`: a function inside an object.
        case object

        /// The path's first segment.
        var collection: String {
            switch self {
            case .pool: return "functions"
            case .object: return "objects"
            }
        }

        /// The router's name for the path's third segment.
        var nameParameter: String {
            switch self {
            case .pool: return "functionId"
            case .object: return "name"
            }
        }

        /// The path as the router registers it (method `POST`).
        var routerPath: String { "\(collection)/:namespace/:\(nameParameter)/invoke" }

        /// The target of this route for the names in a request's path.
        func target(namespace: String, name: String) -> Target {
            switch self {
            case .pool: return .pool(namespace: namespace, functionId: name)
            case .object: return .object(namespace: namespace, name: name)
            }
        }
    }

    /// What an invoke request addresses (names as they appear in the path, not yet checked).
    enum Target: Sendable, Equatable {
        case pool(namespace: String, functionId: String)
        case object(namespace: String, name: String)

        var namespace: String {
            switch self {
            case .pool(let namespace, _), .object(let namespace, _): return namespace
            }
        }

        /// The target of `POST` to one of the `Route` paths (a query is ignored); nil for any
        /// other request. Names that need percent-decoding are left to the router.
        init?(method: HTTPRequest.Method, path: String) {
            guard method == .post else { return nil }
            var path = path
            // Runs for every request on the event loop: a scan of the bytes, no splitting.
            let parsed = path.withUTF8 { bytes -> Target? in
                var slashes: [Int] = []
                var end = bytes.count
                for (index, byte) in bytes.enumerated() {
                    if byte == UInt8(ascii: "?") { end = index; break }
                    if byte == UInt8(ascii: "/") {
                        slashes.append(index)
                        if slashes.count > 4 { return nil }
                    } else if byte == UInt8(ascii: "%") {
                        return nil
                    }
                }
                guard slashes.count == 4, slashes[0] == 0 else { return nil }
                func segment(_ number: Int) -> UnsafeBufferPointer<UInt8> {
                    let from = slashes[number] + 1, to = number + 1 < slashes.count ? slashes[number + 1] : end
                    return UnsafeBufferPointer(rebasing: bytes[from..<to])
                }
                let kind = segment(0), namespace = segment(1), name = segment(2)
                guard segment(3).elementsEqual("invoke".utf8), !namespace.isEmpty, !name.isEmpty else { return nil }
                guard let route = Route.allCases.first(where: { kind.elementsEqual($0.collection.utf8) }) else { return nil }
                return route.target(namespace: String(decoding: namespace, as: UTF8.self), name: String(decoding: name, as: UTF8.self))
            }
            guard let parsed else { return nil }
            self = parsed
        }
    }

    /// What can be refused from the head alone: the token, the names, a declared body too large.
    func check(_ target: Target, headers: HTTPFields) throws(ServerError) {
        if let length = headers.firstValue(.contentLength).flatMap(Int.init), length > limits.maxBodyBytes {
            throw ServerError(.contentTooLarge, "the request body of \(length) bytes exceeds the \(limits.maxBodyBytes)-byte limit")
        }
        try authenticator.authorize(headers, namespace: target.namespace)
        switch target {
        case .pool(_, let functionId): try NameRules.check(functionId, what: "function id")
        case .object(_, let name): try NameRules.check(name, what: "object name")
        }
    }

    /// Runs a checked request; `completion` gets the answer exactly once (at once for a bad
    /// body; on a pool thread for a pool invoke; from the object's task or the deadline's timer for
    /// an object invoke).
    func invoke(_ target: Target, body: [UInt8], completion: @escaping @Sendable (JSONReply) -> Void) {
        let json: JSONValue
        do {
            json = try JSONValue.parseBody(body)
        } catch {
            completion(JSONReply(error))
            return
        }
        switch target {
        case .pool(let namespace, let functionId):
            let entryPoint: String?
            do {
                guard case .object = json else { throw ServerError.badRequest("the request body must be a JSON object") }
                entryPoint = try json.optionalString("entryPoint")
            } catch {
                completion(JSONReply(error))
                return
            }
            invoker.invokePool(namespace: namespace, functionId: functionId, entryPoint: entryPoint,
                               args: json["args"] ?? .array([])) { completion(JSONReply($0)) }
        case .object(let namespace, let name):
            let request: InvokeRequest
            do {
                request = try InvokeRequest(json: json)
            } catch {
                completion(JSONReply(error))
                return
            }
            invoker.invokeObject(namespace: namespace, object: name, request: request) { completion(JSONReply($0)) }
        }
    }

    /// `invoke`, awaiting the answer (the router's way in, after `check`).
    func invoke(_ target: Target, body: [UInt8]) async -> JSONReply {
        await withCheckedContinuation { continuation in
            invoke(target, body: body) { continuation.resume(returning: $0) }
        }
    }
}

extension HTTPFields {
    /// The first value of a field. The `String?` subscript joins every value of the name, which
    /// showed in the event loop's profile.
    func firstValue(_ name: HTTPField.Name) -> String? {
        for field in self where field.name == name { return field.value }
        return nil
    }
}
