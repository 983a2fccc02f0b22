import ArgumentParser

/// The `hearth` command: run WebAssembly modules, convert text to binary, run spec scripts. The
/// object host's commands (`serve`, `deploy`, `invoke`) are `hearth-host`'s (`HostProgram`).
@main
struct Hearth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hearth",
        abstract: "A WebAssembly runtime in pure Swift.",
        discussion: HostProgram.helpText,
        subcommands: [RunCommand.self, WASITestCommand.self, Wat2WasmCommand.self, WastCommand.self, ValidateCommand.self, DisasmCommand.self]
    )
}

extension Hearth {
    /// The process's entry: the plain `hearth run FILE [ARGS...]` runs without ArgumentParser
    /// (see `ModuleRun.plain`), the host's commands in `hearth-host`, every other command line
    /// through ArgumentParser.
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
        if let hostCommandLine = HostProgram.commandLine(for: commandLine) {
            exit(withError: CLIError(HostProgram.replaceProcess(with: hostCommandLine)))
        }
        main(commandLine)
    }
}
