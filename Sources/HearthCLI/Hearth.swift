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
