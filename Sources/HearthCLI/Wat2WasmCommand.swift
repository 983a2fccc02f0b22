import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        let destination = output ?? (Self.withoutExtension(input) + ".wasm")
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
    }

    /// `path` without the extension of its last component (`a/b.wat` -> `a/b`, `a.d/b` -> `a.d/b`).
    static func withoutExtension(_ path: String) -> String {
        let name = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[name...].lastIndex(of: "."), dot != name else { return path }
        return String(path[..<dot])
    }
}
