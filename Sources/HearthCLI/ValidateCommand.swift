import ArgumentParser
import HearthRuntime

/// `hearth validate`: decode and validate a module, reporting the first problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Decode and validate a .wasm module.")

    @OptionGroup var featureOption: FeatureOption

    @Argument(help: "The .wasm file.")
    var file: String

    func run() throws {
        var configuration = EngineConfiguration()
        configuration.features = try featureOption.featureSet()
        let bytes = try HostFile.contents(of: file)
        let module = try CompiledModule(engine: Engine(configuration: configuration), bytes: bytes)
        print("\(file): valid (\(module.imports.count) imports, \(module.exports.count) exports)")
    }
}
