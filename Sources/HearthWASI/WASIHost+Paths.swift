#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// The `path_*` family. Every path goes through `PathResolver`, and every host call on the final
/// component is an `*at` call that does not follow symlinks.
extension WASIHost {
    func pathFunctions() -> [WASIFunction] {
        [
            WASIFunction("path_open") { [self] c, a in try open(c, a) },
            WASIFunction("path_create_directory") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(1), length: a.i32(2), .pathCreateDirectory, follow: false)
                try posixCall { mkdirat(path.parent, path.name, 0o777) }
            },
            WASIFunction("path_remove_directory") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(1), length: a.i32(2), .pathRemoveDirectory, follow: false)
                try posixCall { unlinkat(path.parent, path.name, AT_REMOVEDIR) }
            },
            WASIFunction("path_unlink_file") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(1), length: a.i32(2), .pathUnlinkFile, follow: false)
                try posixCall { unlinkat(path.parent, path.name, 0) }
            },
            WASIFunction("path_filestat_get") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(2), length: a.i32(3), .pathFilestatGet,
                                       follow: a.i32(1) & LookupFlags.symlinkFollow != 0)
                try Self.storeFilestat(try hostStat(path.parent, path.name), try GuestMemory(c), at: a.i32(4))
            },
            WASIFunction("path_filestat_set_times") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(2), length: a.i32(3), .pathFilestatSetTimes,
                                       follow: a.i32(1) & LookupFlags.symlinkFollow != 0)
                var times = try Self.timespecs(atim: a.i64(4), mtim: a.i64(5), flags: a.i32(6))
                try posixCall { utimensat(path.parent, path.name, &times, AT_SYMLINK_NOFOLLOW) }
            },
            WASIFunction("path_link") { [self] c, a in
                let source = try resolve(c, fd: a.i32(0), path: a.i32(2), length: a.i32(3), .pathLinkSource,
                                         follow: a.i32(1) & LookupFlags.symlinkFollow != 0)
                let target = try resolve(c, fd: a.i32(4), path: a.i32(5), length: a.i32(6), .pathLinkTarget, follow: false)
                try posixCall { linkat(source.parent, source.name, target.parent, target.name, 0) }
            },
            WASIFunction("path_rename") { [self] c, a in
                let source = try resolve(c, fd: a.i32(0), path: a.i32(1), length: a.i32(2), .pathRenameSource, follow: false)
                let target = try resolve(c, fd: a.i32(3), path: a.i32(4), length: a.i32(5), .pathRenameTarget, follow: false)
                try posixCall { renameat(source.parent, source.name, target.parent, target.name) }
            },
            WASIFunction("path_symlink") { [self] c, a in
                let memory = try GuestMemory(c)
                let contents = try memory.string(at: a.i32(0), length: a.i32(1))
                // An absolute target could never be followed inside the sandbox, and would point
                // host tools at host paths: refuse to create it.
                guard !contents.hasPrefix("/") else { throw WASIErrno.notcapable }
                let path = try resolve(c, fd: a.i32(2), path: a.i32(3), length: a.i32(4), .pathSymlink, follow: false)
                try posixCall { symlinkat(contents, path.parent, path.name) }
            },
            WASIFunction("path_readlink") { [self] c, a in
                let path = try resolve(c, fd: a.i32(0), path: a.i32(1), length: a.i32(2), .pathReadlink, follow: false)
                guard let contents = try hostReadlink(path.parent, path.name) else { throw WASIErrno.inval }
                let memory = try GuestMemory(c)
                // Like readlink(2), a too small buffer gets the beginning of the contents.
                let count = min(contents.count, Int(a.i32(4)))
                try memory.write(Array(contents[..<count]), at: a.i32(3))
                try memory.storeUInt32(UInt32(count), at: a.i32(5))
            },
        ]
    }

    /// Resolves a guest path argument relative to directory `fd`, which must hold `rights`.
    func resolve(_ caller: borrowing Caller, fd: UInt32, path: UInt32, length: UInt32, _ rights: WASIRights,
                 follow: Bool) throws -> ResolvedPath {
        let directory = try descriptors.get(fd).directory(rights)
        let string = try GuestMemory(caller).string(at: path, length: length)
        return try PathResolver.resolve(string, from: directory, followFinal: follow)
    }

    /// `path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, *fd)`.
    private func open(_ caller: borrowing Caller, _ a: HostCallFrame) throws {
        let oflags = UInt16(truncatingIfNeeded: a.i32(4))
        let fdflags = UInt16(truncatingIfNeeded: a.i32(7))
        guard oflags & ~UInt16(15) == 0, fdflags & ~FdFlags.all == 0 else { throw WASIErrno.inval }
        let parent = try descriptors.get(a.i32(0))
        var required: WASIRights = .pathOpen
        if oflags & OFlags.create != 0 { required.insert(.pathCreateFile) }
        if oflags & OFlags.truncate != 0 { required.insert(.pathFilestatSetSize) }
        _ = try parent.directory(required)

        // The new descriptor gets what was asked for, within what the directory passes on.
        let requested = WASIRights(rawValue: a.i64(5)).intersection(parent.inheriting)
        let requestedInheriting = WASIRights(rawValue: a.i64(6)).intersection(parent.inheriting)
        let creatingExclusively = oflags & OFlags.create != 0 && oflags & OFlags.exclusive != 0
        let path = try resolve(caller, fd: a.i32(0), path: a.i32(2), length: a.i32(3), required,
                               follow: a.i32(1) & LookupFlags.symlinkFollow != 0 && !creatingExclusively)

        let wantsRead = !requested.intersection([.fdRead, .fdReaddir]).isEmpty
        let wantsWrite = !requested.intersection([.fdWrite, .fdDatasync, .fdAllocate, .fdFilestatSetSize]).isEmpty
            || (fdflags & FdFlags.append != 0 && parent.inheriting.contains(.fdWrite)) || oflags & OFlags.truncate != 0
        // Always opened non-blocking: opening a FIFO (or a device) would otherwise wait in the
        // kernel for its other end, where no deadline can interrupt the host thread. A FIFO
        // with no reader then answers ENXIO; the guest's own mode is set right after.
        var flags: Int32 = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK
        switch (wantsRead, wantsWrite) {
        case (_, false): flags |= O_RDONLY
        case (false, true): flags |= O_WRONLY
        case (true, true): flags |= O_RDWR
        }
        if oflags & OFlags.create != 0 { flags |= O_CREAT }
        if oflags & OFlags.exclusive != 0 { flags |= O_EXCL }
        if oflags & OFlags.truncate != 0 { flags |= O_TRUNC }
        if oflags & OFlags.directory != 0 { flags |= O_DIRECTORY }
        if fdflags & FdFlags.append != 0 { flags |= O_APPEND }
        if fdflags & FdFlags.dsync != 0 { flags |= O_DSYNC }
        if fdflags & FdFlags.sync != 0 { flags |= O_SYNC }
        if fdflags & FdFlags.rsync != 0 { flags |= O_RSYNC }

        var hostFD = openat(path.parent, path.name, flags, 0o666)
        if hostFD < 0 && errno == EISDIR && !wantsWrite {
            hostFD = openat(path.parent, path.name, (flags & ~O_ACCMODE) | O_RDONLY, 0o666)
        }
        if hostFD < 0 { throw WASIErrno.last }
        let type: WASIFileType
        do {
            type = WASIFileType(mode: try hostStat(hostFD).st_mode)
        } catch {
            hostClose(hostFD)
            throw error
        }
        // Non-blocking means nothing to regular files and directories; elsewhere it is cleared
        // unless the guest asked for it.
        if fdflags & FdFlags.nonblock == 0, type != .regularFile, type != .directory {
            _ = fcntl(hostFD, F_SETFL, fcntl(hostFD, F_GETFL) & ~O_NONBLOCK)
        }
        let descriptor = Descriptor(backing: .host(hostFD, owned: true), fileType: type,
                                    rights: requested.intersection(type == .directory ? .directory : .file),
                                    inheriting: requestedInheriting)
        descriptor.flags = fdflags
        let guestFD = try descriptors.insert(descriptor)
        do {
            try GuestMemory(caller).storeUInt32(guestFD, at: a.i32(8))
        } catch {
            try? descriptors.close(guestFD)
            throw error
        }
    }
}
