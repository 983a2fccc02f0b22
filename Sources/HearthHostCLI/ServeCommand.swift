import ArgumentParser
import Dispatch
import Foundation
import HearthRuntime
import HearthServer

/// `hearth serve`: the HTTP + WebSocket server over the embedded object host.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve deploy/invoke over HTTP and hibernatable WebSockets.",
        discussion: """
            Tokens come from --tokens or from the HEARTH_TOKENS environment variable (the same JSON). \
            Without either the server has no authentication and only listens on loopback.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Data folder (object databases, runtimes).") var data = ".hearth"
    @Option(help: "JSON file mapping namespaces to bearer tokens.") var tokens: String?
    @Option(help: "Largest request body, in bytes.") var maxBody = 32 << 20
    @Option(help: "Wall-clock deadline per invocation, in milliseconds.") var deadlineMs = 30_000
    @Option(help: "Fuel per invocation: loop iterations plus function entries (default: unlimited).") var fuel: UInt64?
    @Option(help: "Invocations running at once before 503 + Retry-After.") var maxConcurrent = 256
    @Option(help: "Seconds an idle object keeps its runtime warm before hibernating.") var idleTimeout = 10.0
    @Option(help: "Linear memory cap per runtime instance, in MiB (memory.grow fails beyond it).") var maxMemoryMb = 1024
    @Option(help: "Warm instances per runtime in the shared pool for stateless functions (default: one per core).") var poolSize: Int?
    @Option(help: "Log level (trace, debug, info, notice, warning, error).") var logLevel = "info"

    func run() throws {
        let store = try TokenStore.configured(file: tokens, environment: ProcessInfo.processInfo.environment)
        let limits = ServerLimits(maxBodyBytes: maxBody, invocation: ExecutionLimits(deadline: .milliseconds(deadlineMs), fuel: fuel),
                                  maxConcurrentInvocations: maxConcurrent, maxMemoryPages: maxMemoryMb * 16)
        var configuration = ServerConfiguration(host: host, port: port, dataDirectory: data, tokens: store, limits: limits)
        if let poolSize { configuration.poolSize = max(1, poolSize) }
        if store == nil {
            print("hearth serve: no --tokens file or \(TokenStore.environmentVariable), so authentication is off and only loopback (\(host)) is allowed")
        }
        let server = try HearthServer.embedded(configuration: configuration, idleTimeout: idleTimeout, logLevel: logLevel)
        // The root command is synchronous: run the server on the concurrency pool and wait here.
        try blocking { try await server.run() }
    }
}
