import HearthBridge
import HTTPTypes
import HearthObjects
import HearthRuntimeHost
import Hummingbird

/// The HTTP API. Every route but `/healthz` and `/metrics` names a namespace and requires its token.
struct HTTPRoutes: Sendable {
    let backend: any ServerBackend
    let endpoint: InvokeEndpoint
    let sockets: SocketHub
    let authenticator: Authenticator
    let limits: ServerLimits
    let metrics: ServerMetrics

    func register(on router: Router<ServerRequestContext>) {
        router.get("healthz") { _, _ in JSONResponse.make(.object([("status", .string("ok"))])) }
        router.get("metrics") { _, _ in try await metricsText() }
        router.put("runtimes/:namespace/:name") { request, context in try await deployRuntime(request, context) }
        router.put("functions/:namespace/:functionId") { request, context in try await deployFunction(request, context) }
        // The event loop answers these first (`InvokeChannelHandler`); the router gets what it passes on.
        for route in InvokeEndpoint.Route.allCases {
            router.post(RouterPath(route.routerPath)) { request, context in
                try await invoke(route.target(namespace: try context.parameters.require("namespace"),
                                              name: try context.parameters.require(route.nameParameter)), request)
            }
        }
        router.post("objects/:namespace/:name/commands/:functionId") { request, context in
            try await invokeCommand(request, context, inPool: false)
        }
        router.post("functions/:namespace/:functionId/command") { request, context in
            try await invokeCommand(request, context, inPool: true)
        }
        router.get("objects/:namespace/:name/health") { request, context in try await health(request, context) }
        router.get("admin/:namespace/objects") { request, context in try await listObjects(request, context) }
        router.delete("admin/:namespace/objects/:name") { request, context in try await deleteObject(request, context) }
        router.post("admin/:namespace/objects/:name/alarm") { request, context in try await triggerAlarm(request, context) }
        router.post("admin/:namespace/objects/:name/hibernate") { request, context in try await hibernate(request, context) }
        router.delete("admin/:namespace/objects/:name/functions/:functionId") { request, context in
            try await deleteFunction(request, context)
        }
        router.get("admin/:namespace/objects/:name/bookmark") { request, context in try await bookmark(request, context) }
        router.post("admin/:namespace/objects/:name/restore") { request, context in try await restore(request, context) }
    }

    // MARK: Helpers

    /// The authorized namespace of a request.
    private func namespace(_ request: Request, _ context: ServerRequestContext) throws -> String {
        let namespace = try context.parameters.require("namespace")
        try authenticator.authorize(request, namespace: namespace)
        return namespace
    }

    private func name(_ context: ServerRequestContext, _ key: String = "name", what: String = "object name") throws -> String {
        let name = try context.parameters.require(key)
        try NameRules.check(name, what: what)
        return name
    }

    /// The body, refused with 413 past the limit (early, from Content-Length, when it is given).
    private func body(_ request: Request) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes {
            throw ServerError(.contentTooLarge, "the request body of \(length) bytes exceeds the \(limits.maxBodyBytes)-byte limit")
        }
        do {
            var buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServerError(.contentTooLarge, "the request body exceeds the \(limits.maxBodyBytes)-byte limit")
        }
    }

    // MARK: Routes

    private func metricsText() async throws -> Response {
        metrics.update(from: await backend.statistics())
        metrics.webSocketConnections.set(Double(sockets.count))
        var buffer = ByteBuffer()
        buffer.writeString(metrics.text())
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: ResponseBody(byteBuffer: buffer))
    }

    private func deployRuntime(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let name = try name(context, what: "runtime name")
        let bytes = try await body(request)
        guard !bytes.isEmpty else { throw ServerError.badRequest("the body must be the runtime's WebAssembly module") }
        let summary = try await backend.deployRuntime(namespace: namespace, name: name, bytes: bytes)
        context.logger.info("runtime deployed", metadata: ["namespace": "\(namespace)", "runtime": "\(name)", "bytes": "\(bytes.count)"])
        return JSONResponse.make(.object([("namespace", .string(namespace)), ("name", .string(summary.name)),
                                          ("bytes", .number(Double(summary.bytes)))]),
                                 status: .created)
    }

    /// `{assemblyData, entryPoint, routing: "object"|"pool", object?, runtime?}`, or a command
    /// function: `{kind: "command", module (base64), routing?, object?, arguments?, entry?, mode?,
    /// contentType?}`.
    private func deployFunction(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let functionId = try name(context, "functionId", what: "function id")
        let json = try JSONValue.parseBody(try await body(request))
        switch try json.optionalString("kind") ?? "bridge" {
        case "bridge": break
        case "command": return try await deployCommand(namespace: namespace, functionId: functionId, json, context)
        case let other: throw ServerError.badRequest("\"kind\" must be \"bridge\" or \"command\", not \"\(other)\"")
        }
        guard let encoded = try json.optionalString("assemblyData") else { throw ServerError.badRequest("missing \"assemblyData\" (base64)") }
        let assembly = try Base64Field.decode(encoded, field: "assemblyData")
        guard let entryPoint = try json.optionalString("entryPoint") else { throw ServerError.badRequest("missing \"entryPoint\"") }
        let routing = try json.optionalString("routing") ?? "object"
        var described: [(String, JSONValue)] = [("namespace", .string(namespace)), ("functionId", .string(functionId)),
                                                ("entryPoint", .string(entryPoint)), ("routing", .string(routing))]
        switch routing {
        case "object":
            guard let object = try json.optionalString("object") else {
                throw ServerError.badRequest("routing \"object\" needs \"object\": the name of the object to deploy to")
            }
            try NameRules.check(object, what: "object name")
            let runtime = try json.optionalString("runtime") ?? "default"
            try NameRules.check(runtime, what: "runtime name")
            try await backend.deployFunction(namespace: namespace, object: object, runtime: runtime, functionId: functionId,
                                             entryPoint: entryPoint, assembly: assembly)
            described.append(("object", .string(object)))
        case "pool":
            let runtime = try json.optionalString("runtime") ?? "default"
            try NameRules.check(runtime, what: "runtime name")
            try await backend.deployToPool(namespace: namespace, functionId: functionId, runtime: runtime,
                                           entryPoint: entryPoint, assembly: assembly)
            described.append(("runtime", .string(runtime)))
        default:
            throw ServerError.badRequest("\"routing\" must be \"object\" or \"pool\"")
        }
        context.logger.info("function deployed", metadata: ["namespace": "\(namespace)", "function": "\(functionId)", "routing": "\(routing)"])
        return JSONResponse.make(.object(described), status: .created)
    }

    /// A WASI program as a command function of an object, or of the namespace's pool.
    private func deployCommand(namespace: String, functionId: String, _ json: JSONValue,
                               _ context: ServerRequestContext) async throws -> Response {
        guard let encoded = try json.optionalString("module") else { throw ServerError.badRequest("missing \"module\" (base64)") }
        var deployment = CommandDeployment(module: try Base64Field.decode(encoded, field: "module"))
        deployment.entry = try json.optionalString("entry")
        deployment.contentType = try json.optionalString("contentType")
        if let mode = try json.optionalString("mode") {
            guard let known = CommandMode(rawValue: mode) else {
                throw ServerError.badRequest("\"mode\" must be one of \(CommandMode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            deployment.mode = known
        }
        var arguments: [String] = []
        if let given = json["arguments"] {
            guard case .array(let items) = given else { throw ServerError.badRequest("\"arguments\" must be an array of strings") }
            for item in items {
                guard case .string(let argument) = item else { throw ServerError.badRequest("\"arguments\" must be an array of strings") }
                arguments.append(argument)
            }
        }
        deployment.arguments = arguments
        var described: [(String, JSONValue)] = [("namespace", .string(namespace)), ("functionId", .string(functionId)),
                                                ("kind", .string("command")), ("mode", .string(deployment.mode.rawValue))]
        switch try json.optionalString("routing") ?? "object" {
        case "object":
            guard let object = try json.optionalString("object") else {
                throw ServerError.badRequest("a command function needs \"object\" (the name of the object to deploy to) or \"routing\": \"pool\"")
            }
            try NameRules.check(object, what: "object name")
            try await backend.deployCommand(namespace: namespace, object: object, functionId: functionId, deployment)
            described += [("routing", .string("object")), ("object", .string(object))]
        case "pool":
            try await backend.deployCommandToPool(namespace: namespace, functionId: functionId, deployment)
            described.append(("routing", .string("pool")))
        default:
            throw ServerError.badRequest("\"routing\" must be \"object\" or \"pool\"")
        }
        context.logger.info("command function deployed", metadata: ["namespace": "\(namespace)", "function": "\(functionId)"])
        return JSONResponse.make(.object(described), status: .created)
    }

    /// `POST /objects/{ns}/{name}/commands/{id}` (or `/functions/{ns}/{id}/command` in the
    /// pool): the body is the program's standard input; the answer its standard output (as
    /// deployed: `application/json` by default), with its exit status and whether it resumed in
    /// headers. A program that did not finish is a JSON error.
    private func invokeCommand(_ request: Request, _ context: ServerRequestContext, inPool: Bool) async throws -> Response {
        let namespace = try namespace(request, context)
        let functionId = try name(context, "functionId", what: "function id")
        let input = try await body(request)
        let response = inPool
            ? await backend.invokeCommandInPool(namespace: namespace, functionId: functionId, input: input)
            : await backend.invokeCommand(namespace: namespace, object: try name(context), functionId: functionId, input: input)
        metrics.countCommand(resumed: response.resumed, failed: response.error != nil)
        if let error = response.error {
            switch response.failure {
            case .unknownFunction: throw ServerError.notFound(error)
            case .badRequest: throw ServerError.badRequest(error)
            case .limitExceeded: throw ServerError(.gatewayTimeout, error)
            default: throw ServerError(.internalServerError, error)
            }
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(response.stdout)
        var headers: HTTPFields = [.contentType: response.contentType]
        headers[HTTPField.Name("hearth-exit-code")!] = String(response.exitCode)
        headers[HTTPField.Name("hearth-resumed")!] = response.resumed ? "true" : "false"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// Both invoke routes; `InvokeChannelHandler` answers most of these requests before they
    /// reach the router, through the same `InvokeEndpoint`.
    private func invoke(_ target: InvokeEndpoint.Target, _ request: Request) async throws -> Response {
        try endpoint.check(target, headers: request.headers)
        return await endpoint.invoke(target, body: try await body(request)).response
    }

    private func health(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        var health = try await backend.health(namespace: namespace, object: object)
        health.activeConnections = sockets.sockets(namespace: namespace, object: object).count
        return JSONResponse.make(health.body)
    }

    private func listObjects(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let objects = try await backend.listObjects(namespace: namespace)
        return JSONResponse.make(.object([("namespace", .string(namespace)), ("objects", .array(objects.map { .string($0) }))]))
    }

    private func deleteObject(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        let existed = try await backend.deleteObject(namespace: namespace, object: object)
        // Delete is final: the object's sockets go with it, whether it had storage or not.
        await sockets.closeAll(namespace: namespace, object: object, reason: "object deleted")
        guard existed else {
            throw ServerError.notFound("object \"\(object)\" has no storage in namespace \"\(namespace)\"")
        }
        context.logger.info("object deleted", metadata: ["namespace": "\(namespace)", "object": "\(object)"])
        return JSONResponse.make(.object([("deleted", .string(object))]))
    }

    private func deleteFunction(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        let functionId = try name(context, "functionId", what: "function id")
        guard try await backend.deleteFunction(namespace: namespace, object: object, functionId: functionId) else {
            throw ServerError.notFound("object \"\(object)\" has no function \"\(functionId)\"")
        }
        return JSONResponse.make(.object([("deleted", .string(functionId))]))
    }

    /// `?at=MS` asks for the bookmark of a past time; without it, of now.
    private func bookmark(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        var at: Int64?
        if let text = request.uri.queryParameters.get("at") {
            guard let ms = Int64(text) else { throw ServerError.badRequest("at must be milliseconds since 1970, got \"\(text)\"") }
            at = ms
        }
        do {
            let bookmark = try await backend.bookmark(namespace: namespace, object: object, at: at)
            return JSONResponse.make(.object([("bookmark", .string(bookmark))]))
        } catch let error as ObjectError {
            throw ServerError.badRequest("\(error)")
        }
    }

    /// Body `{"bookmark": "..."}`; answers `{"restored": ..., "undo": ...}`.
    private func restore(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        guard case .string(let bookmark)? = try JSONValue.parseBody(try await body(request))["bookmark"] else {
            throw ServerError.badRequest("restore needs {\"bookmark\": \"...\"}")
        }
        do {
            let undo = try await backend.restore(namespace: namespace, object: object, to: bookmark)
            return JSONResponse.make(.object([("restored", .string(bookmark)), ("undo", .string(undo))]))
        } catch let error as ObjectError {
            throw ServerError.badRequest("\(error)")
        }
    }

    private func triggerAlarm(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        try await backend.triggerAlarm(namespace: namespace, object: object)
        return JSONResponse.make(.object([("alarm", .string("triggered")), ("object", .string(object))]), status: .accepted)
    }

    private func hibernate(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let namespace = try namespace(request, context)
        let object = try name(context)
        try await backend.hibernate(namespace: namespace, object: object)
        return JSONResponse.make(.object([("hibernated", .string(object))]))
    }
}
