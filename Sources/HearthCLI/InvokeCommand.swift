import ArgumentParser
import Foundation
import HearthBridge
import HearthObjects

/// `hearth invoke`: call a function of an object in the local data folder and print the JSON
/// response. With `--runtime` and `--assembly` it deploys both on the way, so one command shows
/// the whole path from a fresh clone.
struct InvokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Invoke an object's function and print {success, result|error}.",
        discussion: """
            Example, from a fresh clone:
              hearth invoke demo hello --entry-point greet --args '["world"]' \\
                --runtime Tests/Guests/test-runtime.wasm --assembly examples/hello.ember
            """
    )

    @OptionGroup var host: HostOptions
    @Argument(help: "The object's name.") var object: String
    @Argument(help: "The function's id.") var functionId: String
    @Option(name: .long, help: "The entry point to call.") var entryPoint: String
    @Option(name: .long, help: "The arguments as JSON: an array (positional) or an object (by name).") var args = "[]"
    @Option(name: .long, help: "Deploy this runtime module as `default` first (skipped when unchanged).") var runtime: String?
    @Option(name: .long, help: "Deploy this assembly as the function before calling it.") var assembly: String?

    func run() throws {
        let arguments: JSONValue
        do {
            arguments = try JSONValue.parse(args)
        } catch {
            throw ValidationError("--args is not valid JSON: \(error)")
        }
        let runtimeBytes = try runtime.map(readFile)
        let assemblyBytes = try assembly.map(readFile)
        let request = HearthObjects.InvokeRequest(functionId: functionId, entryPoint: entryPoint, args: arguments, assembly: assemblyBytes)
        let response = try blocking { [host, object] in
            let hearth = host.makeHost()
            do {
                if let runtimeBytes { try await Self.deployIfChanged(runtimeBytes, hearth, namespace: host.namespace) }
                let response = await hearth.invoke(namespace: host.namespace, object: object, request)
                await hearth.close()
                return response
            } catch {
                await hearth.close()
                throw error
            }
        }
        print(response.json)
        if !response.success { throw ExitCode.failure }
    }

    /// Redeploying identical bytes would be harmless but slow (a compile); compare hashes.
    private static func deployIfChanged(_ bytes: [UInt8], _ hearth: HearthHost, namespace: String) async throws {
        let current = try await hearth.runtimes(namespace: namespace).first { $0.name == "default" }
        if let current, current.byteCount == bytes.count, current.hash == RuntimeInfo.hash(of: bytes) { return }
        try await hearth.deployRuntime(namespace: namespace, name: "default", bytes: bytes)
    }
}
