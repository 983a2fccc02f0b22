#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The object host's commands live in a second executable, `hearth-host`, built and installed
/// beside `hearth`: linking the host (SQLite, the HTTP server, Foundation) into `hearth` made
/// every `hearth run` pay for loading it (start-up 3.1 ms against 1.0-1.3 ms without it;
/// `Benchmarks/RESULTS.md`, *Start-up*). `hearth serve|deploy|invoke ...` replaces this
/// process by `hearth-host` with the same arguments, so the commands behave as if built in.
enum HostProgram {
    /// The executable's file name.
    static let executableName = "hearth-host"

    /// The commands it runs.
    static let commands = ["serve", "deploy", "invoke"]

    /// What `hearth --help` says of them (their own help is `hearth-host`'s to give).
    static var helpText: String {
        "The object host's commands, \(commands.joined(separator: ", ")), are run by \(executableName), installed "
            + "beside hearth: `hearth serve --help` and so on for theirs."
    }

    /// The command line `hearth-host` is to run for `commandLine` (without the program name),
    /// or nil when it is not one of the host's commands. `hearth help serve` (the form
    /// `hearth --help` suggests) becomes `serve --help`.
    static func commandLine(for commandLine: [String]) -> [String]? {
        guard let first = commandLine.first else { return nil }
        if first == "help", commandLine.count == 2, commands.contains(commandLine[1]) { return [commandLine[1], "--help"] }
        return commands.contains(first) ? commandLine : nil
    }

    /// Replaces this process by `hearth-host` beside this executable, with `commandLine`. Returns
    /// only if that fails, with the reason.
    static func replaceProcess(with commandLine: [String]) -> String {
        let path = siblingPath()
        var arguments: [UnsafeMutablePointer<CChar>?] = ([path] + commandLine).map { strdup($0) } + [nil]
        execv(path, &arguments)
        let reason = String(cString: strerror(errno))
        for argument in arguments { free(argument) }
        return "`hearth \(commandLine[0])` is run by \(executableName), expected at \(path): \(reason) "
            + "(build it with `swift build -c release --product \(executableName)` and keep it beside hearth)"
    }

    /// `hearth-host` in the folder of the running executable (symbolic links resolved).
    private static func siblingPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : CommandLine.arguments[0]
        guard let slash = own.lastIndex(of: "/") else { return executableName }
        return String(own[...slash]) + executableName
    }
}
