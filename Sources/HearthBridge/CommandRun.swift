import HearthRuntime

/// What a WASI command module did: its exit status and captured output.
public struct CommandResult {
    /// The exit status: the `proc_exit` code, or 0 when `_start` returned.
    public var exitCode: UInt32
    /// Everything the program wrote to standard output.
    public var stdout: [UInt8]
    /// Everything the program wrote to standard error.
    public var stderr: [UInt8]

    /// `stdout` decoded as UTF-8, invalid sequences replaced.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    /// `stderr` decoded as UTF-8, invalid sequences replaced.
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

extension GuestInstance {
    /// Instantiates a WASI command module (e.g. a .NET app's `dotnet.wasm`) with `options` and
    /// runs its `_start` through the generic call path, capturing standard output and error.
    public static func runCommand(_ bytes: [UInt8], options: GuestOptions = .init(),
                                  engine: Engine = Engine()) throws -> CommandResult {
        let guest = try GuestInstance(bytes: bytes, options: options, engine: engine)
        let code = try guest.runCommand()
        return CommandResult(exitCode: code, stdout: guest.stdout.bytes, stderr: guest.stderr.bytes)
    }
}
