#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The WASI state a warm snapshot carries beside the instance's memories: the files and
/// directories the guest opened itself (by preopen and path, with their position, rights and
/// flags) and how far it has read an in-memory stdin. Standard streams, preopens and sockets
/// handed in belong to the host's configuration and are set up anew by the restoring host.
public struct WASIState: Equatable, Sendable, Codable {
    /// One descriptor the guest opened with `path_open`.
    public struct OpenedDescriptor: Equatable, Sendable, Codable {
        /// The guest's descriptor number; the descriptor is restored under the same one.
        public var fd: UInt32
        /// The guest name of the preopened directory it lies under, and its path below it.
        public var preopen: String
        /// Its path below that directory, "." for the directory itself.
        public var path: String
        /// Whether it is a directory (reopened with `O_DIRECTORY`); otherwise a regular file.
        public var isDirectory: Bool
        /// Whether it was open for reading (its host access mode is not write-only).
        public var readable: Bool
        /// Whether it was open for writing (its host access mode is not read-only).
        public var writable: Bool
        /// Its `WASIRights` bits: the operations the descriptor allows.
        public var rights: UInt64
        /// The `WASIRights` bits that descriptors opened through it (as a directory) may be given.
        public var inheriting: UInt64
        /// Its preview1 `fdflags` bits (append, dsync, nonblock, rsync, sync).
        public var flags: UInt16
        /// The file position (0 for directories).
        public var offset: Int64
    }

    /// The descriptors the guest opened itself, in descriptor number order.
    public var descriptors: [OpenedDescriptor]
    /// How many bytes of an in-memory stdin the guest has read, if stdin is in memory.
    public var stdinPosition: Int?

    /// The state as JSON bytes, to store beside a snapshot; empty if it cannot be encoded.
    public var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

    /// Decodes bytes made by `encoded`; throws Foundation's `DecodingError` when they are not such
    /// JSON.
    public init(encoded: [UInt8]) throws {
        self = try JSONDecoder().decode(WASIState.self, from: Data(encoded))
    }

    init(descriptors: [OpenedDescriptor], stdinPosition: Int?) {
        self.descriptors = descriptors
        self.stdinPosition = stdinPosition
    }
}

extension WASIHost {
    /// Captures what `WASIState` describes. Throws a `HearthError` (`snapshot`) for what cannot be
    /// reopened later: an accepted socket, a file deleted or living outside every preopen.
    public func captureState() throws -> WASIState {
        var preopens: [(name: String, hostPath: String)] = []
        for (_, descriptor) in descriptors.all {
            if let name = descriptor.preopenName, let fd = descriptor.hostFD, let path = Self.hostPath(of: fd) {
                preopens.append((name, path))
            }
        }
        var opened: [WASIState.OpenedDescriptor] = []
        var stdinPosition: Int?
        for (fd, descriptor) in descriptors.all {
            switch descriptor.backing {
            case .input(_, let position):
                if fd == 0 { stdinPosition = position }
                continue
            case .output, .host(_, owned: false):
                continue  // standard streams and sockets handed in: the host's own configuration
            case .host(let hostFD, owned: true):
                if descriptor.preopenName != nil { continue }
                guard descriptor.fileType == .regularFile || descriptor.fileType == .directory else {
                    throw HearthError.snapshot("descriptor \(fd) (\(descriptor.fileType)) cannot be reopened")
                }
                guard let hostPath = Self.hostPath(of: hostFD), !hostPath.hasSuffix(" (deleted)") else {
                    throw HearthError.snapshot("descriptor \(fd): its file was deleted")
                }
                let under = preopens.filter { hostPath == $0.hostPath || hostPath.hasPrefix($0.hostPath + "/") }
                guard let preopen = under.max(by: { $0.hostPath.count < $1.hostPath.count }) else {
                    throw HearthError.snapshot("descriptor \(fd): \(hostPath) is under no preopened directory")
                }
                let relative = hostPath == preopen.hostPath ? "." : String(hostPath.dropFirst(preopen.hostPath.count + 1))
                let mode = fcntl(hostFD, F_GETFL) & O_ACCMODE
                let isDirectory = descriptor.fileType == .directory
                opened.append(WASIState.OpenedDescriptor(
                    fd: fd, preopen: preopen.name, path: relative, isDirectory: isDirectory,
                    readable: mode != O_WRONLY, writable: mode != O_RDONLY,
                    rights: descriptor.rights.rawValue, inheriting: descriptor.inheriting.rawValue,
                    flags: descriptor.flags, offset: isDirectory ? 0 : Int64(lseek(hostFD, 0, SEEK_CUR))))
            }
        }
        return WASIState(descriptors: opened, stdinPosition: stdinPosition)
    }

    /// Reopens the captured descriptors under the same numbers, through the sandbox's own path
    /// resolution (a path that now leads outside its preopen is refused like a guest's would
    /// be), and moves stdin to the captured position. Throws a `HearthError` (`snapshot`) if a file is gone.
    public func restoreState(_ state: WASIState) throws {
        if let position = state.stdinPosition, let stdin = descriptors[0], case .input(let bytes, _) = stdin.backing {
            stdin.backing = .input(bytes, position: min(position, bytes.count))
        }
        for saved in state.descriptors {
            guard let base = descriptors.all.first(where: { $0.1.preopenName == saved.preopen })?.1.hostFD else {
                throw HearthError.snapshot("no preopened directory \(saved.preopen) to reopen \(saved.path) under")
            }
            var flags: Int32 = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY
            switch (saved.readable, saved.writable) {
            case (_, false): flags |= O_RDONLY
            case (false, true): flags |= O_WRONLY
            case (true, true): flags |= O_RDWR
            }
            if saved.isDirectory { flags |= O_DIRECTORY }
            if saved.flags & FdFlags.append != 0 { flags |= O_APPEND }
            if saved.flags & FdFlags.nonblock != 0 { flags |= O_NONBLOCK }
            let hostFD: Int32
            do {
                let resolved = try PathResolver.resolve(saved.path, from: base, followFinal: false)
                hostFD = openat(resolved.parent, resolved.name, flags, 0)
            } catch {
                throw HearthError.snapshot("cannot reopen \(saved.preopen)/\(saved.path): \(error)")
            }
            guard hostFD >= 0 else {
                throw HearthError.snapshot("cannot reopen \(saved.preopen)/\(saved.path): \(String(cString: strerror(errno)))")
            }
            if !saved.isDirectory { lseek(hostFD, off_t(saved.offset), SEEK_SET) }
            let descriptor = Descriptor(backing: .host(hostFD, owned: true),
                                        fileType: saved.isDirectory ? .directory : .regularFile,
                                        rights: WASIRights(rawValue: saved.rights),
                                        inheriting: WASIRights(rawValue: saved.inheriting))
            descriptor.flags = saved.flags
            descriptors.place(descriptor, at: saved.fd)
        }
    }

    /// The host path a descriptor refers to now (Linux: its `/proc/self/fd` link).
    static func hostPath(of fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
