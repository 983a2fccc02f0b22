import ArgumentParser

/// `hearth-host`: the commands of `hearth` that need the object host (SQLite storage, the HTTP
/// server, Foundation): `serve`, `deploy`, `invoke`. `hearth` hands these command lines over
/// unchanged (it replaces itself by this executable, installed beside it), so that running a
/// module never loads the host: see `HostProgram` in the `hearth` command.
@main
struct HostCommands: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named as users type it: `hearth serve`, not `hearth-host serve`.
        commandName: "hearth",
        abstract: "The object host's commands of hearth (hearth-host runs them for hearth).",
        subcommands: [ServeCommand.self, DeployCommand.self, InvokeCommand.self]
    )
}
