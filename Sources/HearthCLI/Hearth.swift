import ArgumentParser

/// The `hearth` command: run WebAssembly modules, convert text to binary, run spec scripts.
@main
struct Hearth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "A WebAssembly runtime in pure Swift.",
        subcommands: [RunCommand.self, ServeCommand.self, DeployCommand.self, InvokeCommand.self, WASITestCommand.self, Wat2WasmCommand.self, WastCommand.self, ValidateCommand.self, DisasmCommand.self]
    )
}

extension Hearth {
    /// The process's entry: the plain `hearth run FILE [ARGS...]` runs without ArgumentParser
    /// (see `ModuleRun.plain`), every other command line through it.
    static func main() {
        let commandLine = Array(CommandLine.arguments.dropFirst())
        do {
            if let run = try ModuleRun.plain(commandLine) {
                try run.execute()
                return
            }
        } catch {
            RunCommand.exit(withError: error)
        }
        main(commandLine)
    }
}
