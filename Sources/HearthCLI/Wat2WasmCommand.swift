import ArgumentParser
import Foundation
import HearthText

/// `hearth wat2wasm`: the text format to the binary format.
struct Wat2WasmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wat2wasm", abstract: "Convert a module from the text format (.wat) to binary (.wasm).")

    @Argument(help: "The .wat file.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the binary (default: the input with .wasm).")
    var output: String?

    func run() throws {
        let text = try String(contentsOfFile: input, encoding: .utf8)
        let bytes = try WAT.parseModule(text)
        let destination = output ?? ((input as NSString).deletingPathExtension + ".wasm")
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
    }
}
