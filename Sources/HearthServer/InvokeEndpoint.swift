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

    /// What an invoke request addresses (names as they appear in the path, not yet checked).
    enum Target: Sendable, Equatable {
        case pool(namespace: String, functionId: String)
        case object(namespace: String, name: String)

        var namespace: String {
            switch self {
            case .pool(let namespace, _), .object(let namespace, _): return namespace
            }
        }

        /// The target of `POST` to one of the two invoke paths (a query is ignored); nil for any
        /// other request. Names that need percent-decoding are left to the router.
        init?(method: HTTPRequest.Method, path: String) {
            guard method == .post else { return nil }
            // Runs for every request on the event loop, so it scans bytes instead of splitting.
            var segments: [Substring.UTF8View] = []
            var rest = Substring(path).utf8
            guard rest.first == UInt8(ascii: "/") else { return nil }
            rest = rest.dropFirst()
            while segments.count < 4 {
                let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
                segments.append(rest[..<end])
                guard end != rest.endIndex, rest[end] == UInt8(ascii: "/") else {
                    rest = rest[end...]
                    break
                }
                rest = rest[rest.index(after: end)...]
            }
            guard segments.count == 4, rest.isEmpty || rest.first == UInt8(ascii: "?"),
                  segments[3].elementsEqual("invoke".utf8), !segments[1].isEmpty, !segments[2].isEmpty,
                  !segments[1].contains(UInt8(ascii: "%")), !segments[2].contains(UInt8(ascii: "%")) else { return nil }
            let namespace = String(Substring(segments[1])), name = String(Substring(segments[2]))
            if segments[0].elementsEqual("functions".utf8) {
                self = .pool(namespace: namespace, functionId: name)
            } else if segments[0].elementsEqual("objects".utf8) {
                self = .object(namespace: namespace, name: name)
            } else {
                return nil
            }
        }
    }

    /// What can be refused from the head alone: the token, the names, a declared body too large.
    func check(_ target: Target, headers: HTTPFields) throws(ServerError) {
        if let length = headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw ServerError(.contentTooLarge, "the request body of \(length) bytes exceeds the \(limits.maxBodyBytes)-byte limit")
        }
        do {
            try authenticator.authorize(headers, namespace: target.namespace)
            switch target {
            case .pool(_, let functionId): try NameRules.check(functionId, what: "function id")
            case .object(_, let name): try NameRules.check(name, what: "object name")
            }
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(.internalServerError, "internal error: \(error)")
        }
    }

    /// Runs a checked request; `completion` gets the answer exactly once (at once for a bad
    /// body; on a pool thread for a pool invoke; from a task for an object invoke).
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
                               args: json["args"] ?? .array([])) { outcome in
                switch outcome {
                case .success(let response): completion(JSONReply(response))
                case .failure(let error): completion(JSONReply(error))
                }
            }
        case .object(let namespace, let name):
            let request: InvokeRequest
            do {
                request = try InvokeRequest(json: json)
            } catch {
                completion(JSONReply(error))
                return
            }
            let invoker = invoker
            Task {
                do {
                    completion(JSONReply(try await invoker.invokeObject(namespace: namespace, object: name, request: request)))
                } catch {
                    completion(JSONReply(error))
                }
            }
        }
    }

    /// `invoke`, awaiting the answer (the router's way in, after `check`).
    func invoke(_ target: Target, body: [UInt8]) async -> JSONReply {
        await withCheckedContinuation { continuation in
            invoke(target, body: body) { continuation.resume(returning: $0) }
        }
    }
}
