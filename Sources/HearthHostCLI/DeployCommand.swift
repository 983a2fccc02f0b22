import ArgumentParser
import Dispatch
import Foundation
import HearthObjects
import HearthRuntime
import HearthRuntimeHost

/// `hearth deploy runtime|function`: put runtime binaries and functions into the embedded
/// host's data folder (`.hearth/` by default), where `hearth invoke` finds them.
struct DeployCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Deploy a runtime binary or a function into the local data folder.",
        subcommands: [DeployRuntimeCommand.self, DeployFunctionCommand.self]
    )
}

/// Where the embedded host keeps its namespaces.
struct HostOptions: ParsableArguments {
    @Option(name: .long, help: "The namespace (a folder of objects with its own runtimes).")
    var namespace = "default"

    @Option(name: .long, help: "The data folder (default: .hearth in the current directory).")
    var data: String?

    /// The embedded host; guests' `js_console_log` lines go to standard error.
    func makeHost() -> HearthHost {
        var settings = RuntimeObjectSettings()
        settings.log = { _, message in FileHandle.standardError.write(Data((message + "\n").utf8)) }
        return HearthHost(directory: data.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? HearthHost.defaultDirectory,
                          settings: settings)
    }
}

struct DeployRuntimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Store a runtime module under a name.")

    @OptionGroup var host: HostOptions
    @Argument(help: "The runtime's name (objects use `default`, or the only runtime deployed).") var name: String
    @Argument(help: "The runtime module (.wasm, a WASI reactor with the bridge ABI).") var file: String

    func run() throws {
        let bytes = try HostFile.contents(of: file)
        let info = try blocking { [host, name] in
            let hearth = host.makeHost()
            do {
                let info = try await hearth.deployRuntime(namespace: host.namespace, name: name, bytes: bytes)
                await hearth.close()
                return info
            } catch {
                await hearth.close()
                throw error
            }
        }
        print("deployed runtime \(info.name) (\(info.byteCount) bytes, sha256 \(info.hash))")
    }
}

struct DeployFunctionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "function",
                                                    abstract: "Store a function (an assembly) in an object and compile its entry point.")

    @OptionGroup var host: HostOptions
    @Argument(help: "The object's name.") var object: String
    @Argument(help: "The function's id.") var functionId: String
    @Argument(help: "The assembly file.") var file: String
    @Option(name: .long, help: "The entry point to compile.") var entryPoint: String

    func run() throws {
        let assembly = try HostFile.contents(of: file)
        let response = try blocking { [host, object, functionId, entryPoint] in
            let hearth = host.makeHost()
            let response = await hearth.deployFunction(namespace: host.namespace, object: object, functionId: functionId,
                                                       entryPoint: entryPoint, assembly: assembly)
            await hearth.close()
            return response
        }
        print(response.json)
        if !response.success { throw ExitCode.failure }
    }
}

/// Runs async host work from a synchronous command (the root command is synchronous).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Locked<Result<T, any Error>>(.failure(CancellationError()))
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0 }.get()
}
