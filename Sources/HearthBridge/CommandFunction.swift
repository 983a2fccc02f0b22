import Foundation
import HearthRuntime
import HearthWASI

/// A WASI command module (`_start`) used as a function, in the ABI of Shopify Functions, Fastly
/// Compute and WAGI: the request on standard input, the response on standard output, with the
/// exit status. The program needs no cooperation to be kept warm: it is run once until it first
/// waits for its request (its first read of standard input, or its first write to standard
/// output), captured there (`SuspendedExecution` with the instance's state), and every
/// invocation resumes a fresh instance from that point, so start-up (the .NET runtime's ~92
/// million instructions) is paid once, and nothing of one invocation reaches the next.
///
/// The instance of the last invocation is kept and reset to the start-up for the next one
/// (memories mapped afresh from the image, globals, tables, segments and WASI descriptors as
/// captured): a reset is page-table work, and the instance keeps the code it translated, which
/// a fresh instance translates again function by function as the program calls them.
///
/// A program that cannot be captured (references on its stack at that point, say) or that exits
/// before reading or writing anything runs cold on every invocation; `coldReason` says why.
public final class CommandFunction {
    /// The captured start-up: where the program waits, and its state there.
    public struct Prepared {
        /// The program's suspended call stack at that point, resumed in each invocation's instance.
        public var execution: SuspendedExecution
        /// The instance's state there: globals, tables, and memories (their sizes only when `image` has
        /// the pages).
        public var instance: InstanceSnapshot
        /// The WASI state there: the descriptors the program opened, how far it read an in-memory stdin.
        public var wasi: WASIState
        /// The call it waits in: `fd_read`, `poll_oneoff` or `fd_write`.
        public var call: String
        /// The memories' pages as an image file, mapped copy-on-write into each invocation's
        /// instance instead of copied; `instance` then holds the memories' sizes only.
        public var image: MemoryImageFile?

        /// A start-up from its parts, for one read back from storage; `image` nil when `instance` holds
        /// the memories' contents.
        public init(execution: SuspendedExecution, instance: InstanceSnapshot, wasi: WASIState, call: String,
                    image: MemoryImageFile? = nil) {
            self.execution = execution
            self.instance = instance
            self.wasi = wasi
            self.call = call
            self.image = image
        }

        /// The same start-up with its memories moved into an image written at `path`.
        public func withImage(at path: String) throws -> Prepared {
            guard image == nil else { return self }
            let written = try MemoryImageFile.write(of: instance, to: path)
            let sizes = instance.withoutMemoryContents()
            return Prepared(execution: execution, instance: sizes, wasi: wasi, call: call, image: written)
        }
    }

    /// The compiled program every invocation's instance is made from.
    public let module: CompiledModule
    /// Arguments, environment, preopens and limits of every run (`stdin` is the request's).
    public let options: GuestOptions
    /// How the program is entered.
    public let entry: CommandEntry
    /// One run per invocation, or one run serving them all.
    public let mode: CommandMode
    /// The captured start-up; nil when the program runs cold.
    public let prepared: Prepared?
    /// Why the program runs cold, when it does.
    public let coldReason: String?
    /// Instances of finished invocations, to be reset for the next ones (taken under the lock,
    /// so concurrent invocations each get an instance of their own), at most `maxSpares`.
    private var spares: [GuestInstance] = []
    private let spareLock = NSLock()
    /// How many finished instances are kept: as many as invocations run at once.
    public var maxSpares = 1
    /// A streaming program between requests: its instance, and where it waits for the next.
    private var stream: Stream?

    /// A streaming program waiting for its next request.
    private struct Stream {
        var guest: GuestInstance
        var execution: SuspendedExecution
        /// The call it waits in: `fd_read` or `poll_oneoff`.
        var call: String
    }

    /// Runs the program to its first read or write (under `options.limits`) and captures it.
    public init(module: CompiledModule, options: GuestOptions = .init(), entry: CommandEntry = .start,
                mode: CommandMode = .perInvocation) {
        self.module = module
        self.options = options
        self.entry = entry
        self.mode = mode
        var startOptions = options
        startOptions.stdin = []
        do {
            let guest = try GuestInstance(module: module, options: startOptions)
            do {
                // A reactor's initialization runs before the suspension point is armed: only the
                // entry's own run is resumed.
                let code = try Self.enter(guest, entry) { guest.wasi.suspendAt = .firstInputOrOutput }
                prepared = nil
                coldReason = "the program exited (status \(code)) before reading its input or writing output"
            } catch let suspended as WASISuspended {
                prepared = Prepared(execution: suspended.execution, instance: try guest.instance.snapshot(),
                                    wasi: try guest.wasi.captureState(), call: suspended.call)
                coldReason = nil
            }
        } catch let refused as WASISuspensionRefused {
            prepared = nil
            coldReason = refused.reason
        } catch {
            prepared = nil
            coldReason = "start-up could not be captured: \(error)"
        }
    }

    /// A function whose start-up was captured before (and stored).
    public init(module: CompiledModule, options: GuestOptions = .init(), entry: CommandEntry = .start,
                mode: CommandMode = .perInvocation, prepared: Prepared) {
        self.module = module
        self.options = options
        self.entry = entry
        self.mode = mode
        self.prepared = prepared
        coldReason = nil
    }

    /// A streaming function whose program waits in a state saved before (at hibernation): the
    /// next request resumes it there; `prepared` is where it starts over if it ends.
    public convenience init(module: CompiledModule, options: GuestOptions = .init(), entry: CommandEntry = .start,
                            mode: CommandMode, prepared: Prepared, waiting: Prepared) throws {
        self.init(module: module, options: options, entry: entry, mode: mode, prepared: prepared)
        var startOptions = options
        startOptions.stdin = []
        let guest = try GuestInstance(module: module, options: startOptions)
        try restore(waiting, into: guest)
        stream = Stream(guest: guest, execution: waiting.execution, call: waiting.call)
    }

    /// The waiting state of a streaming program between requests, to be saved (its memories
    /// with their contents); nil when no program is waiting.
    public func waitingState() throws -> Prepared? {
        guard let stream else { return nil }
        return Prepared(execution: stream.execution, instance: try stream.guest.instance.snapshot(),
                        wasi: try stream.guest.wasi.captureState(), call: stream.call)
    }

    /// Runs the program from its entry in `guest`, calling `armed` right before the run that
    /// may be suspended; answers its exit status.
    private static func enter(_ guest: GuestInstance, _ entry: CommandEntry, armed: () -> Void) throws -> UInt32 {
        switch entry {
        case .start:
            armed()
            return try guest.runCommand()
        case .reactor(let export, let arguments):
            if guest.instance.function("_initialize") != nil { _ = try guest.call("_initialize") }
            // argv built in the guest's memory by its own allocator: strings, then the pointers.
            var pointers: [UInt32] = []
            for argument in arguments { pointers.append(try guest.allocate(Array(argument.utf8) + [0])) }
            let argv = try guest.allocate(pointers.flatMap { pointer in (0..<4).map { UInt8(truncatingIfNeeded: pointer >> (8 * $0)) } })
            armed()
            do {
                let results = try guest.call(export, [.i32(UInt32(arguments.count)), .i32(argv)])
                return Self.status(of: results)
            } catch let exit as HearthError where exit.kind == .exit {
                return exit.exitStatus ?? 0
            }
        }
    }

    /// A reactor entry's exit status: its i32 result, if it has one.
    static func status(of results: [Value]) -> UInt32 {
        if case .i32(let value)? = results.first { return value }
        return 0
    }

    /// An instance at the captured start-up with `input` as standard input: the spare one
    /// reset, or a new one. A spare that cannot be reset is dropped for a new instance.
    private func startUp(_ prepared: Prepared, input: [UInt8], options: GuestOptions) throws -> GuestInstance {
        spareLock.lock()
        let reused = spares.popLast()
        spareLock.unlock()
        if let reused {
            do {
                try reused.wasi.reset(stdin: .bytes(input))
                reused.stdout.removeAll()
                reused.stderr.removeAll()
                try restore(prepared, into: reused)
                return reused
            } catch {
                // Whatever stopped the reset (a segment that cannot be restored, say) stays
                // with that instance: a new one starts from the image as the first did.
            }
        }
        let guest = try GuestInstance(module: module, options: options)
        try restore(prepared, into: guest)
        return guest
    }

    private func restore(_ prepared: Prepared, into guest: GuestInstance) throws {
        try guest.instance.restore(prepared.instance, memoryContents: prepared.image == nil)
        if let image = prepared.image { try guest.instance.mapImage(image) }
        try guest.wasi.restoreState(prepared.wasi)
    }

    /// Keeps `guest` for a next invocation, if fewer than `maxSpares` are kept.
    private func keep(_ guest: GuestInstance) {
        spareLock.lock()
        if spares.count < maxSpares { spares.append(guest) }
        spareLock.unlock()
    }

    /// A streaming invocation: the request goes after what the waiting program has read, and
    /// it runs until it reads again with nothing left (its answer is what it wrote meanwhile) or
    /// ends (exit, trap, limit), after which the next request starts over from the start-up.
    /// Invocations of one streaming function must not overlap (an object serializes them).
    private func invokeStreaming(_ request: [UInt8], _ prepared: Prepared) -> CommandInvocation {
        let waiting = stream
        stream = nil
        do {
            let guest: GuestInstance
            if let waiting {
                guest = waiting.guest
                try guest.wasi.appendInput(request)
                guest.stdout.removeAll()
                guest.stderr.removeAll()
            } else {
                var runOptions = options
                runOptions.stdin = request
                guest = try startUp(prepared, input: request, options: runOptions)
            }
            guest.wasi.suspendAt = .inputExhausted
            let code: UInt32
            do {
                code = Self.status(of: try guest.resume(waiting?.execution ?? prepared.execution))
            } catch let suspended as WASISuspended {
                stream = Stream(guest: guest, execution: suspended.execution, call: suspended.call)
                return CommandInvocation(result: .success(CommandResult(exitCode: 0, stdout: guest.stdout.bytes,
                                                                        stderr: guest.stderr.bytes)), resumed: true)
            } catch let exit as HearthError where exit.kind == .exit {
                code = exit.exitStatus ?? 0
            }
            return CommandInvocation(result: .success(CommandResult(exitCode: code, stdout: guest.stdout.bytes,
                                                                    stderr: guest.stderr.bytes)), resumed: true)
        } catch let refused as WASISuspensionRefused {
            return CommandInvocation(result: .failure(.hostFailure(export: "_start", message: "unsupported: the program cannot wait "
                                                                    + "for its next request here: \(refused.reason)")), resumed: true)
        } catch let error as BridgeError {
            return CommandInvocation(result: .failure(error), resumed: true)
        } catch {
            return CommandInvocation(result: .failure(.hostFailure(export: "_start", message: "\(error)")), resumed: true)
        }
    }

    /// Runs one invocation: `input` on standard input; answers the output and exit status
    /// (a program that traps, exceeds a limit or cannot start is a `BridgeError`).
    public func invoke(input: [UInt8]) -> CommandInvocation {
        if mode != .perInvocation, let prepared { return invokeStreaming(mode.framed(input), prepared) }
        var runOptions = options
        runOptions.stdin = input
        do {
            let guest = try prepared.map { try startUp($0, input: input, options: runOptions) }
                ?? GuestInstance(module: module, options: runOptions)
            let code: UInt32
            do {
                if let prepared {
                    code = Self.status(of: try guest.resume(prepared.execution))
                } else {
                    code = try Self.enter(guest, entry) {}
                }
            } catch let exit as HearthError where exit.kind == .exit {
                code = exit.exitStatus ?? 0
            }
            let result = CommandResult(exitCode: code, stdout: guest.stdout.bytes, stderr: guest.stderr.bytes)
            if prepared != nil { keep(guest) }
            return CommandInvocation(result: .success(result), resumed: prepared != nil)
        } catch let error as BridgeError {
            return CommandInvocation(result: .failure(error), resumed: prepared != nil)
        } catch {
            return CommandInvocation(result: .failure(.hostFailure(export: "_start", message: "\(error)")), resumed: prepared != nil)
        }
    }
}

/// How a command function's program is entered.
public enum CommandEntry: Equatable, Sendable {
    /// A command module's `_start` (its argv is the options' `arguments`).
    case start
    /// A reactor (QuickJS's, say): `_initialize` if exported, then `export(argc, argv)` with
    /// `arguments` as argv, built in the guest's memory through its `malloc`; its i32 result is
    /// the exit status.
    case reactor(export: String, arguments: [String])

    /// The entry for a program entered by `export` (a reactor's) or, when nil, by `_start`, with
    /// `argv` as its argv: a reactor's goes to its export, a command's into `options`' WASI
    /// arguments.
    public static func entering(_ export: String?, argv: [String], options: inout GuestOptions) -> CommandEntry {
        guard let export else {
            options.arguments = argv
            return .start
        }
        return .reactor(export: export, arguments: argv)
    }
}

/// How a command function's program serves its invocations.
public enum CommandMode: String, Equatable, Sendable, Codable, CaseIterable {
    /// Each invocation resumes the captured start-up in a reset instance with the request as
    /// its whole standard input: nothing of one invocation reaches the next.
    case perInvocation = "per-invocation"
    /// The program loops on stdin, one request per line: the instance lives on between
    /// invocations (a newline is added to a request without one), and each answer is what it
    /// writes until it waits for the next line.
    case lines
    /// As `lines`, each request preceded by its length (4 bytes, big-endian).
    case frames

    /// The request as the program reads it from stdin.
    func framed(_ request: [UInt8]) -> [UInt8] {
        switch self {
        case .perInvocation: return request
        case .lines: return request.last == 10 ? request : request + [10]
        case .frames:
            let n = UInt32(truncatingIfNeeded: request.count)
            return [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
                + request
        }
    }
}

/// What one invocation of a `CommandFunction` did.
public struct CommandInvocation {
    /// The program's output and exit status, or why it did not finish.
    public var result: Result<CommandResult, BridgeError>
    /// Whether it resumed from the captured start-up (false: a cold run).
    public var resumed: Bool
}
