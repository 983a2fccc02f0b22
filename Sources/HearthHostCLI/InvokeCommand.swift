import ArgumentParser
import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime
import HearthRuntimeHost

/// `hearth invoke`: call a function of an object in the local data folder and print the JSON
/// response. With `--runtime` and `--assembly` it deploys both on the way, so one command shows
/// the whole path from a fresh clone.
struct InvokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Invoke an object's function and print {success, result|error}, or a command function's output.",
        discussion: """
            A function of the object's runtime (bridge ABI), from a fresh clone:
              hearth invoke demo hello --entry-point greet --args '["world"]' \\
                --runtime Tests/Guests/test-runtime.wasm --assembly Tests/Guests/hello.ember

            A command function (any WASI program: the request on stdin, the response on stdout):
              hearth invoke demo greet --command greet.wasm --input 'Hearth'
              echo Hearth | hearth invoke demo greet
            prints the program's standard output exactly and exits with its exit status. The
            program is started once, up to its first read of stdin, and every invocation resumes
            it from there.

            A reactor entered by an export with argv (QuickJS-NG's, a script given inline):
              hearth invoke demo js --command qjs-wasi-reactor.wasm --entry qjs_init_argv \
                --arg --std --arg -e --arg 'print(std.in.readAsString().length)' --input 'abc'

            A program that loops on stdin, one request per line, kept alive between requests:
              hearth invoke demo repl --command repl.wasm --mode lines --input '1 + 2'
            """
    )

    @OptionGroup var host: HostOptions
    @Argument(help: "The object's name.") var object: String
    @Argument(help: "The function's id.") var functionId: String
    @Option(name: .long, help: "The entry point to call (a function of the runtime); without it, a command function.")
    var entryPoint: String?
    @Option(name: .long, help: "The arguments as JSON: an array (positional) or an object (by name).") var args = "[]"
    @Option(name: .long, help: "Deploy this runtime module as `default` first (skipped when unchanged).") var runtime: String?
    @Option(name: .long, help: "Deploy this assembly as the function before calling it.") var assembly: String?
    @Option(name: .long, help: "Deploy this WASI program as the command function first (skipped when unchanged).")
    var command: String?
    @Option(name: .long, help: "A command function's request (its standard input); default: read from stdin.")
    var input: String?
    @Option(name: .customLong("arg"), parsing: .unconditionalSingleValue,
            help: "An argument of the command function (after its name in argv); repeatable.")
    var commandArguments: [String] = []
    @Option(name: .customLong("entry"), help: "A reactor's export to enter the program by, after `_initialize`, as EXPORT(argc, argv); default: `_start`.")
    var reactorEntry: String?
    @Option(name: .long, help: "per-invocation (default), or lines / frames: a program that loops on stdin, kept alive between requests.")
    var mode: String?

    func validate() throws {
        if entryPoint != nil, command != nil || input != nil || !commandArguments.isEmpty || reactorEntry != nil || mode != nil {
            throw ValidationError("--command, --input, --arg, --entry and --mode are for command functions, which take no --entry-point")
        }
        if command == nil, !commandArguments.isEmpty || reactorEntry != nil || mode != nil {
            throw ValidationError("--arg, --entry and --mode describe a deploy: give the program with --command")
        }
        if let mode, CommandMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be one of \(CommandMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if entryPoint == nil, runtime != nil || assembly != nil {
            throw ValidationError("--runtime and --assembly need --entry-point (a function of the runtime)")
        }
    }

    func run() throws {
        guard let entryPoint else { return try runCommandFunction() }
        let arguments: JSONValue
        do {
            arguments = try JSONValue.parse(args)
        } catch {
            throw ValidationError("--args is not valid JSON: \(error)")
        }
        let runtimeBytes = try runtime.map(HostFile.contents(of:))
        let assemblyBytes = try assembly.map(HostFile.contents(of:))
        let request = HearthRuntimeHost.InvokeRequest(functionId: functionId, entryPoint: entryPoint, args: arguments, assembly: assemblyBytes)
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

    /// The command function: deploy when asked, run with the request, mirror its output and status.
    private func runCommandFunction() throws {
        let deployment = try command.map {
            CommandDeployment(module: try HostFile.contents(of: $0), arguments: commandArguments, entry: reactorEntry,
                              mode: mode.flatMap(CommandMode.init(rawValue:)) ?? .perInvocation)
        }
        let request = input.map { Array($0.utf8) } ?? Array(FileHandle.standardInput.readDataToEndOfFile())
        let response = try blocking { [host, object, functionId] in
            let hearth = host.makeHost()
            let response = await hearth.invokeCommand(namespace: host.namespace, object: object, functionId: functionId,
                                                      deploying: deployment, input: request)
            await hearth.close()
            return response
        }
        if let error = response.error {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(Data(response.stdout))
        FileHandle.standardError.write(Data(response.stderr))
        // A process status holds 8 bits: statuses past 255 become 255 rather than wrap (256 to success).
        if response.exitCode != 0 { throw ExitCode(Int32(min(response.exitCode, 255))) }
    }

    /// Redeploying identical bytes would be harmless but slow (a compile); compare hashes.
    private static func deployIfChanged(_ bytes: [UInt8], _ hearth: HearthHost, namespace: String) async throws {
        let current = try await hearth.runtimes(namespace: namespace).first { $0.name == "default" }
        if let current, current.byteCount == bytes.count, current.hash == RuntimeInfo.hash(of: bytes) { return }
        try await hearth.deployRuntime(namespace: namespace, name: "default", bytes: bytes)
    }
}
