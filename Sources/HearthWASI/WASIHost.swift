#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary
import HearthRuntime

/// A WASI preview1 host (`wasi_snapshot_preview1`) for one guest: its descriptor table (standard
/// streams, preopened directories, sockets, files it opened) and the 46 preview1 functions.
///
/// The guest reaches the host file system only through preopened directories; see
/// `PathResolver` for how paths are kept inside them.
public final class WASIHost {
    /// The import module name preview1 guests use; `define(in:)` defines every function under it.
    public static let moduleName = "wasi_snapshot_preview1"

    /// What the guest is given; only `reset(stdin:)` changes it (its standard input).
    public private(set) var configuration: WASIConfiguration
    var descriptors = DescriptorTable()
    /// Where the program is to be suspended (`WASISuspended` thrown out of that call), once;
    /// nil (the default) runs it through.
    public var suspendAt: WASISuspensionPoint?

    /// The preopened directories as first opened, in configuration order. A reset opens each
    /// again from its descriptor here, never from its path: a guest may have put a symlink where
    /// a directory on that path was (WASI-AUDIT.md, F5).
    private let preopenRoots: [Int32]

    /// Opens the preopened directories; throws when one cannot be opened.
    public init(configuration: WASIConfiguration) throws {
        self.configuration = configuration
        let roots = try Self.openPreopens(configuration.preopens)
        do {
            descriptors = try Self.descriptors(for: configuration, roots: roots)
        } catch {
            for fd in roots { hostClose(fd) }
            throw error
        }
        preopenRoots = roots
    }

    deinit { for fd in preopenRoots { hostClose(fd) } }

    /// Starts over with `stdin` as standard input: every descriptor the guest opened, closed or
    /// renumbered is closed, and the table is as a new host with the same configuration has it
    /// (the preopened directories opened again), so a reused instance sees nothing of its
    /// previous run.
    public func reset(stdin: WASIInput) throws {
        configuration.stdin = stdin
        descriptors = DescriptorTable()
        descriptors = try Self.descriptors(for: configuration, roots: preopenRoots)
        suspendAt = nil
    }

    /// Opens each preopened directory once. One whose path lies inside another, writable
    /// preopen's (`--dir data --dir data/cache`) is opened through that preopen's descriptor
    /// with the sandbox's own resolution, because a guest holding the outer directory can
    /// replace a directory on the inner one's path with a symlink that the kernel would follow
    /// outside. Other paths are the host's to name and are opened as given (as wasmtime does).
    private static func openPreopens(_ preopens: [WASIPreopen]) throws -> [Int32] {
        let paths = preopens.map { lexicalComponents(of: $0.hostPath) }
        var roots = [Int32](repeating: -1, count: preopens.count)
        do {
            // Shorter paths first, so a container is open before what it holds.
            for index in preopens.indices.sorted(by: { paths[$0].count < paths[$1].count }) {
                let preopen = preopens[index]
                let container = preopens.indices.filter { other in
                    roots[other] >= 0 && !preopens[other].readOnly && paths[other].count < paths[index].count
                        && Array(paths[index].prefix(paths[other].count)) == paths[other]
                }.max { paths[$0].count < paths[$1].count }
                guard let container else {
                    roots[index] = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard roots[index] >= 0 else {
                        throw HearthError.io("cannot open directory \(preopen.hostPath): \(String(cString: strerror(errno)))")
                    }
                    continue
                }
                let relative = paths[index].dropFirst(paths[container].count).joined(separator: "/")
                let outer = preopens[container].hostPath
                do {
                    let resolved = try PathResolver.resolve(relative, from: roots[container], followFinal: true)
                    roots[index] = openat(resolved.parent, resolved.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if roots[index] < 0 { throw WASIErrno.last }
                } catch let error as WASIErrno {
                    throw HearthError.io("cannot open directory \(preopen.hostPath) inside the writable preopen "
                        + "\(outer): \(error == .notcapable ? "its path leads outside \(outer)" : "\(error)")")
                }
            }
        } catch {
            for fd in roots where fd >= 0 { hostClose(fd) }
            throw error
        }
        return roots
    }

    /// The components of `path` made absolute against the working directory, with `.` and `..`
    /// applied by text alone (only to tell which preopen lies inside which).
    private static func lexicalComponents(of path: String) -> [String] {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil { full = String(cString: buffer) + "/" + path }
        }
        var components: [String] = []
        for component in full.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return components
    }

    private static func descriptors(for configuration: WASIConfiguration, roots: [Int32]) throws -> DescriptorTable {
        var descriptors = DescriptorTable()
        // The host's own descriptors are given whatever the cap; the guest's opens count after.
        descriptors.limit = Int(Int32.max)
        _ = try descriptors.insert(Self.stdinDescriptor(configuration.stdin))
        _ = try descriptors.insert(Self.outputDescriptor(configuration.stdout))
        _ = try descriptors.insert(Self.outputDescriptor(configuration.stderr))
        for (preopen, root) in zip(configuration.preopens, roots) {
            // A description of its own per table: the guest's flags on it stay this run's.
            let fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw HearthError.io("cannot open directory \(preopen.hostPath) again: \(String(cString: strerror(errno)))")
            }
            let mask: WASIRights = preopen.readOnly ? WASIRights.all.subtracting(.mutating) : .all
            let descriptor = Descriptor(backing: .host(fd, owned: true), fileType: .directory,
                                        rights: WASIRights.directory.intersection(mask),
                                        inheriting: WASIRights.directory.union(.file).intersection(mask))
            descriptor.preopenName = preopen.guestPath
            _ = try descriptors.insert(descriptor)
        }
        for socket in configuration.sockets {
            var type: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(socket, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
                throw HearthError.io("descriptor \(socket) is not a socket")
            }
            let fileType: WASIFileType = type == Int32(SOCK_DGRAM.rawValue) ? .socketDgram : .socketStream
            _ = try descriptors.insert(Descriptor(backing: .host(socket, owned: false), fileType: fileType,
                                                  rights: .socket, inheriting: .socket))
        }
        descriptors.limit = max(configuration.maxOpenDescriptors, 0)
        return descriptors
    }

    private static func stdinDescriptor(_ input: WASIInput) -> Descriptor {
        switch input {
        case .host(let fd): return hostStream(fd, .fdRead)
        case .bytes(let bytes):
            return Descriptor(backing: .input(bytes, position: 0), fileType: .unknown,
                              rights: [.fdRead, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite], inheriting: [])
        }
    }

    private static func outputDescriptor(_ output: WASIOutput) -> Descriptor {
        switch output {
        case .host(let fd): return hostStream(fd, .fdWrite)
        case .capture(let buffer):
            return Descriptor(backing: .output(buffer), fileType: .unknown,
                              rights: [.fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite, .fdDatasync, .fdSync],
                              inheriting: [])
        }
    }

    /// An inherited standard stream, read or written (`direction`): typed after what the host
    /// fd really is, so a terminal is a character device (that is what `isatty` checks), but a
    /// stream whatever it is bound to. The fd, its offset and the file behind it are the host's
    /// and outlive the guest, so the guest may not seek it, resize, allocate, retime, advise or
    /// sync the file, or write at an offset (`pwrite`): only read or append in order, as to a
    /// pipe. A regular file keeps `tell`, which changes nothing.
    private static func hostStream(_ fd: Int32, _ direction: WASIRights) -> Descriptor {
        let type = (try? hostStat(fd)).map { WASIFileType(mode: $0.st_mode) } ?? .unknown
        var rights: WASIRights = [direction, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite]
        if type == .regularFile { rights.insert(.fdTell) }
        return Descriptor(backing: .host(fd, owned: false), fileType: type, rights: rights, inheriting: [])
    }

    /// The preview1 functions `define(in:)` defines, each with its type, in the witx's order.
    public static var preview1Functions: [(name: String, type: FunctionType)] {
        WASISignatures.all.map { ($0.name, WASISignatures.type($0)) }
    }

    /// Makes every preview1 function importable from `linker`, each defined there when a
    /// module first imports it (`Linker.defineOnDemand`). The definitions keep this host alive.
    /// They take their arguments in the guest's frame (`HostCallFrame`): a WASI call builds no
    /// arrays, as every WASI call of a program pays this path.
    public func define(in linker: Linker) {
        // On demand: a module imports a few of the 46, and defining every one cost `hearth run`
        // a third of its instructions for a module that imports none.
        var functions: FlatTable<String, WASIFunction>?
        linker.defineOnDemand(module: Self.moduleName) { [self] linker, name in
            if functions == nil {
                let all = implementations()
                assert(all.count + 1 == WASISignatures.all.count, "a preview1 function without an implementation")
                functions = FlatTable(minimumCapacity: all.count)
                for function in all { functions![function.name] = function }
            }
            define(name, functions![name], in: linker)
        }
    }

    /// Defines the preview1 function `name` in `linker`, `function` being its implementation
    /// (`proc_exit` has none: it is an outcome, not an errno function); a name preview1 does
    /// not have is left undefined.
    private func define(_ name: String, _ function: WASIFunction?, in linker: Linker) {
        guard let type = WASISignatures.type(of: name) else { return }
        // Every preview1 signature is of i32 and i64 only, which a frame carries.
        func define(_ body: @escaping (borrowing Caller, HostCallFrame) throws -> Void) {
            try! linker.defineFrameFunction(module: Self.moduleName, name: name, type: type, body)
        }
        if name == "proc_exit" {
            define { _, frame in throw HearthError.exit(frame.i32(0)) }
            return
        }
        guard let implementation = function?.body else { preconditionFailure("preview1's \(name) has no implementation") }
        let mayBeSuspensionPoint = name == "fd_read" || name == "fd_write" || name == "poll_oneoff"
        define { [self] caller, frame in
            if mayBeSuspensionPoint, isSuspensionPoint(name, caller, frame) { try suspend(caller, in: name) }
            let errno: WASIErrno
            do {
                try implementation(caller, frame)
                errno = .success
            } catch let e as WASIErrno {
                errno = e
            }
            // After the implementation has read its arguments: the result takes slot 0.
            frame.setI32(UInt32(errno.rawValue))
        }
    }

    /// Every preview1 function but `proc_exit`, each once (`define(in:)` puts them in a table by
    /// name the first time a module imports one).
    private func implementations() -> [WASIFunction] {
        environmentFunctions() + descriptorFunctions() + pathFunctions() + pollAndSocketFunctions()
    }
}

/// A preview1 function: its name, and its body, which reads its arguments from the frame and
/// throws the errno to return (returning means success).
///
/// The body is a struct field rather than a dictionary value: a closure stored as a generic
/// value comes back wrapped in a reabstraction thunk, paid on every call.
struct WASIFunction {
    let name: String
    let body: (borrowing Caller, HostCallFrame) throws -> Void

    init(_ name: String, _ body: @escaping (borrowing Caller, HostCallFrame) throws -> Void) {
        self.name = name
        self.body = body
    }
}
