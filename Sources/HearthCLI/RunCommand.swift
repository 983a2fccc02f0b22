import ArgumentParser
import HearthBinary
import HearthRuntime
import HearthText
import HearthWASI

/// `hearth run`: instantiate a module with WASI and run `_start` or a named export. A reactor
/// (no `_start`, an `_initialize`) is initialized first, as wasmtime does.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a WebAssembly module (.wasm or .wat): its _start, or an export with --invoke (a reactor's _initialize runs first)."
    )

    @OptionGroup var featureOption: FeatureOption

    @Option(name: .long, help: ArgumentHelp(
        "Call this export instead of _start; the arguments are its parameters. An argument str:TEXT, hex:BYTES or file:PATH is copied into the guest's memory (through its malloc or cabi_realloc export) and fills two i32 parameters, pointer and length."))
    var invoke: String?

    @Option(name: .long, help: ArgumentHelp(
        "Instantiate another module first and link its exports as imports of module NAME; repeatable.",
        valueName: "NAME=FILE"))
    var preload: [String] = []

    @Option(name: .customLong("arg"), help: ArgumentHelp(
        "A guest argv entry (after the program name, before the positional arguments when there is no --invoke); repeatable. With --invoke, the guest's only argv entries.",
        valueName: "ARG"))
    var guestArguments: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Set an environment variable for the guest (NAME=VALUE, or NAME to pass the host's value); repeatable."))
    var env: [String] = []

    @Flag(name: .long, help: "Give the guest the whole host environment (--env entries still win).")
    var inheritEnv = false

    @Option(name: .long, help: ArgumentHelp(
        "Preopen a host directory: HOST[::GUEST][:ro]; repeatable. GUEST defaults to HOST; a trailing :ro makes it read-only.",
        valueName: "HOST::GUEST"))
    var dir: [String] = []

    @Option(name: .long, help: "Maximum guest call depth before a 'call stack exhausted' trap.")
    var maxCallDepth: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Stop the guest with a trap after N units of fuel (one per loop iteration and per function call).",
        valueName: "N"))
    var fuel: UInt64?

    @Option(name: .long, help: ArgumentHelp(
        "Interrupt the guest after this many seconds of wall-clock time (fractions allowed).",
        valueName: "SECONDS"))
    var timeout: Double?

    @Argument(help: "The module file.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments for the guest (or for --invoke).")
    var arguments: [String] = []

    func run() throws {
        try ModuleRun(file: file, arguments: arguments, features: try featureOption.featureSet(), invoke: invoke,
                      preload: preload, guestArguments: guestArguments, env: env, inheritEnv: inheritEnv, dir: dir,
                      maxCallDepth: maxCallDepth, fuel: fuel, timeout: timeout).execute()
    }
}

/// A usage error of the command line, printed as `Error: ...`.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The module in a file named on the command line: a binary module, or WAT text.
func loadModule(_ file: String, engine: Engine) throws -> CompiledModule {
    var bytes = try HostFile.contents(of: file)
    if !bytes.starts(with: [0, 0x61, 0x73, 0x6D]) {
        bytes = try WAT.parseModule(String(decoding: bytes, as: UTF8.self))
    }
    return try CompiledModule(engine: engine, bytes: bytes)
}
