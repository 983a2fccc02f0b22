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

    /// Opens the preopened directories; throws when one cannot be opened.
    public init(configuration: WASIConfiguration) throws {
        self.configuration = configuration
        descriptors = try Self.descriptors(for: configuration)
    }

    /// Starts over with `stdin` as standard input: every descriptor the guest opened, closed or
    /// renumbered is closed, and the table is as a new host with the same configuration has it
    /// (preopens opened again), so a reused instance sees nothing of its previous run.
    public func reset(stdin: WASIInput) throws {
        configuration.stdin = stdin
        descriptors = DescriptorTable()
        descriptors = try Self.descriptors(for: configuration)
        suspendAt = nil
    }

    private static func descriptors(for configuration: WASIConfiguration) throws -> DescriptorTable {
        var descriptors = DescriptorTable()
        // The host's own descriptors are given whatever the cap; the guest's opens count after.
        descriptors.limit = Int(Int32.max)
        _ = try descriptors.insert(Self.stdinDescriptor(configuration.stdin))
        _ = try descriptors.insert(Self.outputDescriptor(configuration.stdout))
        _ = try descriptors.insert(Self.outputDescriptor(configuration.stderr))
        for preopen in configuration.preopens {
            let fd = open(preopen.hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw WASIConfigurationError("cannot open directory \(preopen.hostPath): \(String(cString: strerror(errno)))")
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
                throw WASIConfigurationError("descriptor \(socket) is not a socket")
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

    /// Defines every preview1 function in `linker`. The definitions keep this host alive.
    public func define(in linker: Linker) {
        let table = implementations()
        for (name, _) in WASISignatures.all {
            let type = WASISignatures.type(of: name)!
            if name == "proc_exit" {
                linker.defineFunction(module: Self.moduleName, name: name, type: type) { _, arguments in
                    throw WASIExit(code: arguments.i32(0))
                }
                continue
            }
            let implementation = table[name]!
            let mayBeSuspensionPoint = name == "fd_read" || name == "fd_write" || name == "poll_oneoff"
            linker.defineFunction(module: Self.moduleName, name: name, type: type) { [self] caller, arguments in
                if mayBeSuspensionPoint, isSuspensionPoint(name, caller, arguments) { try suspend(caller, in: name) }
                let errno: WASIErrno
                do {
                    try implementation(caller, arguments)
                    errno = .success
                } catch let e as WASIErrno {
                    errno = e
                }
                return [.i32(UInt32(errno.rawValue))]
            }
        }
    }

    /// A preview1 function body: throws the errno to return; returning means success.
    typealias Implementation = (Caller, [Value]) throws -> Void

    private func implementations() -> [String: Implementation] {
        var table: [String: Implementation] = [:]
        table.merge(environmentFunctions()) { $1 }
        table.merge(descriptorFunctions()) { $1 }
        table.merge(pathFunctions()) { $1 }
        table.merge(pollAndSocketFunctions()) { $1 }
        return table
    }
}

/// A `WASIConfiguration` that cannot be set up (a missing preopen directory, a non-socket).
public struct WASIConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == Value {
    /// The i32 argument at `index` (validation guarantees the type).
    func i32(_ index: Int) -> UInt32 {
        if case .i32(let v) = self[index] { return v }
        return 0
    }

    /// The i64 argument at `index`.
    func i64(_ index: Int) -> UInt64 {
        if case .i64(let v) = self[index] { return v }
        return 0
    }
}
