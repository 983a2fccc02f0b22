import Foundation
import HearthBinary
import HearthWast

// Runs spec scripts (`.wast` files or folders of them) under WebAssembly 3.0, or 2.0 after
// `--2.0`, and exits non-zero unless every assertion passes: built in debug, it proves the
// engine's portable dispatch, which an unoptimized build of a dependent uses.
var paths = Array(CommandLine.arguments.dropFirst())
let features: FeatureSet = paths.first == "--2.0" ? .wasm2 : .wasm3
if paths.first == "--2.0" { paths.removeFirst() }
guard !paths.isEmpty else {
    FileHandle.standardError.write("usage: SpecScripts [--2.0] FILE.wast|FOLDER...\n".data(using: .utf8)!)
    exit(2)
}
let summary = try ConformanceRun(paths: paths, features: features).run { print($0) }
exit(summary.isSuccess && summary.failed == 0 ? 0 : 1)
