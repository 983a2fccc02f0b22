import ArgumentParser
import HearthBinary
import HearthRuntime
import HearthWASI

/// `hearth disasm`: print the interpreter code a function translates to.
struct DisasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disasm",
        abstract: "Print the threaded code functions of a module translate to (for reviews and tests).",
        discussion: """
            The module is instantiated first (translation names the instance's cells): WASI imports \
            are Hearth's own; any other function import is a stub that traps if called and an imported \
            memory a fresh one of its type. A start function runs, with a fuel limit.
            """)

    @OptionGroup var featureOption: FeatureOption

    @Argument(help: "The .wasm or .wat file.")
    var file: String

    @Argument(help: "An exported function's name or a function index; every defined function when omitted.")
    var function: String?

    func run() throws {
        var configuration = EngineConfiguration()
        configuration.features = try featureOption.featureSet()
        let engine = Engine(configuration: configuration)
        let store = Store(engine: engine)
        let module = try loadModule(file, engine: engine)
        let linker = Linker(engine: engine)
        for (moduleName, name, type) in module.imports {
            switch type {
            case .function(let functionType):
                linker.defineFunction(module: moduleName, name: name, type: functionType) { _, _ in
                    throw HearthError(.link, "unsupported: \(moduleName).\(name) was called while disassembling")
                }
            case .memory(let memoryType):
                linker.define(module: moduleName, name: name, .memory(try Memory(store: store, type: memoryType)))
            default:
                throw CLIError("unsupported: disassembling a module that imports \(moduleName).\(name) (\(type)); "
                               + "only function and memory imports can be stood in for")
            }
        }
        try WASIHost(configuration: WASIConfiguration(arguments: [file])).define(in: linker)
        let instance = try store.withLimits(ExecutionLimits(fuel: 10_000_000)) {
            try linker.instantiate(module, in: store)
        }
        if let function {
            print(try Int(function).map { try instance.disassemble(function: $0) } ?? instance.disassemble(export: function),
                  terminator: "")
        } else {
            print(try instance.disassembleAll(), terminator: "")
        }
    }
}
