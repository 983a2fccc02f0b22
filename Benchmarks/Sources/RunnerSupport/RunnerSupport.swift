import Foundation

/// What every in-process runner shares: argument parsing and the timing line the `compare` script
/// reads, so WasmKit and Hearth are measured by exactly the same clock around exactly the same steps
/// (read file, compile, instantiate with WASI, run `_start`).
public enum RunnerSupport {
    /// The parsed command line of a runner: `[flags] FILE.wasm [guest args...]`.
    public struct Invocation {
        /// Flags given before the file (e.g. `--token`).
        public var flags: Set<String>
        /// Path of the WebAssembly module.
        public var path: String
        /// The guest's `argv`, starting with the program name.
        public var guestArguments: [String]
    }

    /// Parses `CommandLine.arguments`, accepting only the flags in `known`; exits with usage on error.
    public static func parse(tool: String, known: Set<String>) -> Invocation {
        var flags: Set<String> = []
        var rest = Array(CommandLine.arguments.dropFirst())
        while let first = rest.first, first.hasPrefix("--") {
            guard known.contains(first) else { usage(tool: tool, known: known) }
            flags.insert(first)
            rest.removeFirst()
        }
        guard let path = rest.first else { usage(tool: tool, known: known) }
        let name = (path as NSString).lastPathComponent
        return Invocation(flags: flags, path: path, guestArguments: [name] + rest.dropFirst())
    }

    /// Runs `body` (which returns the guest's exit code), then reports the elapsed wall time on stderr
    /// as `BENCH_SECONDS=<seconds>` and exits with the guest's code.
    public static func timed(_ body: () throws -> Int32) -> Never {
        let start = DispatchTime.now().uptimeNanoseconds
        let code: Int32
        do {
            code = try body()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(70)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        FileHandle.standardError.write(Data("BENCH_SECONDS=\(elapsed)\n".utf8))
        exit(code)
    }

    private static func usage(tool: String, known: Set<String>) -> Never {
        let flags = known.sorted().map { "[\($0)] " }.joined()
        FileHandle.standardError.write(Data("usage: \(tool) \(flags)FILE.wasm [args...]\n".utf8))
        exit(64)
    }
}

/// A runner-level failure (not a guest trap), printed by `RunnerSupport.timed`.
public struct RunnerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
