/// A preview1 `rights` bit set: what operations a descriptor allows.
public struct WASIRights: OptionSet, Sendable, Hashable {
    /// The preview1 bit pattern, as `fd_fdstat_get` reports it to the guest.
    public let rawValue: UInt64
    /// Rights from a preview1 bit pattern, such as a guest's `path_open` request.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Allows `fd_datasync`; asked for in `path_open`, it opens the file for writing.
    public static let fdDatasync = WASIRights(rawValue: 1 << 0)
    /// Allows `fd_read` and `sock_recv`; with `fdSeek`, `fd_pread`.
    public static let fdRead = WASIRights(rawValue: 1 << 1)
    /// Allows `fd_seek` to move the file position; with `fdRead` or `fdWrite`, `fd_pread` or
    /// `fd_pwrite`.
    public static let fdSeek = WASIRights(rawValue: 1 << 2)
    /// Allows `fd_fdstat_set_flags` (changing `fdflags` such as append or nonblock).
    public static let fdFdstatSetFlags = WASIRights(rawValue: 1 << 3)
    /// Allows `fd_sync` (flushing data and metadata to disk).
    public static let fdSync = WASIRights(rawValue: 1 << 4)
    /// Allows `fd_tell`, and an `fd_seek` by 0 from the current position.
    public static let fdTell = WASIRights(rawValue: 1 << 5)
    /// Allows `fd_write` and `sock_send`; with `fdSeek`, `fd_pwrite`.
    /// Asked for in `path_open`, it opens the file for writing.
    public static let fdWrite = WASIRights(rawValue: 1 << 6)
    /// Allows `fd_advise` (access pattern hints).
    public static let fdAdvise = WASIRights(rawValue: 1 << 7)
    /// Allows `fd_allocate` (reserving space in the file).
    public static let fdAllocate = WASIRights(rawValue: 1 << 8)
    /// On a directory: allows `path_create_directory` below it.
    public static let pathCreateDirectory = WASIRights(rawValue: 1 << 9)
    /// On a directory: allows `path_open` with `oflags` `creat` below it.
    public static let pathCreateFile = WASIRights(rawValue: 1 << 10)
    /// On a directory: allows it as the source side of `path_link`.
    public static let pathLinkSource = WASIRights(rawValue: 1 << 11)
    /// On a directory: allows it as the target side of `path_link`.
    public static let pathLinkTarget = WASIRights(rawValue: 1 << 12)
    /// On a directory: allows `path_open` below it.
    public static let pathOpen = WASIRights(rawValue: 1 << 13)
    /// On a directory: allows `fd_readdir`.
    public static let fdReaddir = WASIRights(rawValue: 1 << 14)
    /// On a directory: allows `path_readlink` below it.
    public static let pathReadlink = WASIRights(rawValue: 1 << 15)
    /// On a directory: allows it as the source side of `path_rename`.
    public static let pathRenameSource = WASIRights(rawValue: 1 << 16)
    /// On a directory: allows it as the target side of `path_rename`.
    public static let pathRenameTarget = WASIRights(rawValue: 1 << 17)
    /// On a directory: allows `path_filestat_get` below it.
    public static let pathFilestatGet = WASIRights(rawValue: 1 << 18)
    /// On a directory: allows `path_open` with `oflags` `trunc` below it
    /// (preview1 has no `path_filestat_set_size`).
    public static let pathFilestatSetSize = WASIRights(rawValue: 1 << 19)
    /// On a directory: allows `path_filestat_set_times` below it.
    public static let pathFilestatSetTimes = WASIRights(rawValue: 1 << 20)
    /// Allows `fd_filestat_get`.
    public static let fdFilestatGet = WASIRights(rawValue: 1 << 21)
    /// Allows `fd_filestat_set_size` (truncating or extending the file).
    public static let fdFilestatSetSize = WASIRights(rawValue: 1 << 22)
    /// Allows `fd_filestat_set_times` (access and modification times).
    public static let fdFilestatSetTimes = WASIRights(rawValue: 1 << 23)
    /// On a directory: allows `path_symlink` to create a link below it.
    public static let pathSymlink = WASIRights(rawValue: 1 << 24)
    /// On a directory: allows `path_remove_directory` below it.
    public static let pathRemoveDirectory = WASIRights(rawValue: 1 << 25)
    /// On a directory: allows `path_unlink_file` below it.
    public static let pathUnlinkFile = WASIRights(rawValue: 1 << 26)
    /// Lets `poll_oneoff` wait for the descriptor to be readable or writable (this host does not
    /// check it).
    public static let pollFdReadwrite = WASIRights(rawValue: 1 << 27)
    /// Allows `sock_shutdown` on a socket.
    public static let sockShutdown = WASIRights(rawValue: 1 << 28)
    /// Allows `sock_accept` on a listening socket; the connections it accepts do not get it.
    public static let sockAccept = WASIRights(rawValue: 1 << 29)

    /// Every right preview1 defines.
    public static let all = WASIRights(rawValue: (1 << 30) - 1)

    /// Rights meaningful on a regular file (or stream).
    public static let file: WASIRights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ]

    /// Rights meaningful on a directory.
    public static let directory: WASIRights = [
        .fdFdstatSetFlags, .fdSync, .fdAdvise, .pathCreateDirectory, .pathCreateFile,
        .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink, .pathRenameSource,
        .pathRenameTarget, .pathFilestatGet, .pathFilestatSetSize, .pathFilestatSetTimes,
        .fdFilestatGet, .fdFilestatSetTimes, .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile,
        .pollFdReadwrite,
    ]

    /// Rights of a socket handed to the guest.
    public static let socket: WASIRights = [
        .fdRead, .fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite, .sockShutdown, .sockAccept,
    ]

    /// Everything that changes the file system: removed from read-only preopens.
    public static let mutating: WASIRights = [
        .fdDatasync, .fdWrite, .fdAllocate, .pathCreateDirectory, .pathCreateFile, .pathLinkSource,
        .pathLinkTarget, .pathRenameSource, .pathRenameTarget, .pathFilestatSetSize,
        .pathFilestatSetTimes, .fdFilestatSetSize, .fdFilestatSetTimes, .pathSymlink,
        .pathRemoveDirectory, .pathUnlinkFile,
    ]
}

/// `filetype`.
enum WASIFileType: UInt8 {
    case unknown = 0, blockDevice, characterDevice, directory, regularFile, socketDgram, socketStream, symbolicLink
}

/// `fdflags` bits.
enum FdFlags {
    static let append: UInt16 = 1
    static let dsync: UInt16 = 2
    static let nonblock: UInt16 = 4
    static let rsync: UInt16 = 8
    static let sync: UInt16 = 16
    static let all: UInt16 = 31
}

/// `oflags` bits.
enum OFlags {
    static let create: UInt16 = 1
    static let directory: UInt16 = 2
    static let exclusive: UInt16 = 4
    static let truncate: UInt16 = 8
}

/// `fstflags` bits.
enum FstFlags {
    static let atim: UInt16 = 1
    static let atimNow: UInt16 = 2
    static let mtim: UInt16 = 4
    static let mtimNow: UInt16 = 8
}

/// `lookupflags`: follow a symlink in the last path component.
enum LookupFlags {
    static let symlinkFollow: UInt32 = 1
}
