#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a guest's descriptor table: what backs it, its type, rights and flags.
final class Descriptor {
    enum Backing {
        /// A host descriptor; `owned` ones are closed with the entry.
        case host(Int32, owned: Bool)
        /// An in-memory standard input: the bytes and the read position.
        case input([UInt8], position: Int)
        case output(WASIOutputBuffer)
    }

    var backing: Backing
    let fileType: WASIFileType
    var rights: WASIRights
    var inheriting: WASIRights
    /// `fdflags` as the guest set them. On an fd Hearth opened for the guest, append and
    /// nonblock are applied to it too; on the host's own streams they are the guest's view only.
    var flags: UInt16 = 0
    /// The guest name of a preopened directory (`fd_prestat_get`).
    var preopenName: String?
    /// A directory listing snapshot for `fd_readdir`, taken when a read starts at cookie 0, so
    /// cookies stay stable across calls.
    var listing: [DirectoryEntry]?

    init(backing: Backing, fileType: WASIFileType, rights: WASIRights, inheriting: WASIRights) {
        self.backing = backing
        self.fileType = fileType
        self.rights = rights
        self.inheriting = inheriting
    }

    deinit { close() }

    /// The host descriptor, for operations that need one.
    var hostFD: Int32? {
        if case .host(let fd, _) = backing { return fd }
        return nil
    }

    /// Throws `ENOTCAPABLE` unless all of `required` are granted.
    func require(_ required: WASIRights) throws {
        guard rights.isSuperset(of: required) else { throw WASIErrno.notcapable }
    }

    /// The host fd of a directory with `required` rights; `ENOTDIR` for anything else.
    func directory(_ required: WASIRights) throws -> Int32 {
        guard fileType == .directory, let fd = hostFD else { throw WASIErrno.notdir }
        try require(required)
        return fd
    }

    func close() {
        if case .host(let fd, owned: true) = backing { hostClose(fd) }
        backing = .host(-1, owned: false)
    }
}

/// One `fd_readdir` entry.
struct DirectoryEntry {
    var name: [UInt8]
    var inode: UInt64
    var type: WASIFileType
}

/// The guest's fd numbers. Freed numbers are reused lowest first, as POSIX does.
struct DescriptorTable {
    private var entries: [Descriptor?] = []
    /// The most descriptors open at once (`WASIConfiguration.maxOpenDescriptors`).
    var limit = Int(Int32.max)

    subscript(fd: UInt32) -> Descriptor? {
        Int(fd) < entries.count ? entries[Int(fd)] : nil
    }

    func get(_ fd: UInt32) throws -> Descriptor {
        guard let descriptor = self[fd] else { throw WASIErrno.badf }
        return descriptor
    }

    mutating func insert(_ descriptor: Descriptor) throws -> UInt32 {
        // A refused descriptor is closed as it is released (`Descriptor.deinit`).
        guard entries.lazy.filter({ $0 != nil }).count < limit else { throw WASIErrno.mfile }
        if let free = entries.firstIndex(where: { $0 == nil }) {
            entries[free] = descriptor
            return UInt32(free)
        }
        guard entries.count < Int(Int32.max) else { throw WASIErrno.mfile }
        entries.append(descriptor)
        return UInt32(entries.count - 1)
    }

    /// Puts `descriptor` at number `fd` (closing what was there), e.g. to restore a table.
    mutating func place(_ descriptor: Descriptor, at fd: UInt32) {
        while entries.count <= Int(fd) { entries.append(nil) }
        entries[Int(fd)]?.close()
        entries[Int(fd)] = descriptor
    }

    /// Removes and closes `fd`.
    mutating func close(_ fd: UInt32) throws {
        let descriptor = try get(fd)
        entries[Int(fd)] = nil
        descriptor.close()
    }

    /// `fd_renumber`: `to` is closed and replaced by `from`, which disappears.
    mutating func renumber(_ from: UInt32, to: UInt32) throws {
        let source = try get(from)
        let target = try get(to)
        if from == to { return }
        target.close()
        entries[Int(to)] = source
        entries[Int(from)] = nil
    }

    var all: [(UInt32, Descriptor)] {
        entries.enumerated().compactMap { i, d in d.map { (UInt32(i), $0) } }
    }
}
