#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// The `fd_*` family except `fd_readdir`: reads and writes, seeking, flags, rights, metadata.
extension WASIHost {
    func descriptorFunctions() -> [WASIFunction] {
        [
            WASIFunction("fd_read") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdRead)
                try transfer(d, c, a, offset: nil, write: false)
            },
            WASIFunction("fd_pread") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require([.fdRead, .fdSeek])
                try transfer(d, c, a, offset: try Self.fileOffset(a.i64(3)), write: false)
            },
            WASIFunction("fd_write") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdWrite)
                try transfer(d, c, a, offset: nil, write: true)
            },
            WASIFunction("fd_pwrite") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require([.fdWrite, .fdSeek])
                try transfer(d, c, a, offset: try Self.fileOffset(a.i64(3)), write: true)
            },
            WASIFunction("fd_seek") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                let offset = Int64(bitPattern: a.i64(1)), whence = a.i32(2)
                // Asking for the current position only needs the tell right.
                try d.require(whence == 1 && offset == 0 ? .fdTell : .fdSeek)
                let host: Int32
                switch whence {
                case 0: host = SEEK_SET
                case 1: host = SEEK_CUR
                case 2: host = SEEK_END
                default: throw WASIErrno.inval
                }
                let fd = try Self.seekable(d)
                let position = try posixCall { lseek(fd, off_t(offset), host) }
                try GuestMemory(c).storeUInt64(UInt64(position), at: a.i32(3))
            },
            WASIFunction("fd_tell") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdTell)
                let fd = try Self.seekable(d)
                let position = try posixCall { lseek(fd, 0, SEEK_CUR) }
                try GuestMemory(c).storeUInt64(UInt64(position), at: a.i32(1))
            },
            WASIFunction("fd_close") { [self] _, a in try descriptors.close(a.i32(0)) },
            WASIFunction("fd_renumber") { [self] _, a in try descriptors.renumber(a.i32(0), to: a.i32(1)) },
            WASIFunction("fd_sync") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdSync)
                if let fd = d.hostFD { try posixCall { fsync(fd) } }
            },
            WASIFunction("fd_datasync") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdDatasync)
                if let fd = d.hostFD { try posixCall { fdatasync(fd) } }
            },
            WASIFunction("fd_advise") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdAdvise)
                let advice = a.i32(3)
                guard advice <= 5 else { throw WASIErrno.inval }
                guard let fd = d.hostFD else { throw WASIErrno.badf }
                // WASI advice 0...5 is normal, sequential, random, willneed, dontneed, noreuse.
                let hostAdvice = [POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                  POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE][Int(advice)]
                let result = posix_fadvise(fd, off_t(Int64(bitPattern: a.i64(1))), off_t(Int64(bitPattern: a.i64(2))), hostAdvice)
                if result != 0 { throw WASIErrno(posix: result) }
            },
            WASIFunction("fd_allocate") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdAllocate)
                guard let fd = d.hostFD, d.fileType == .regularFile else { throw WASIErrno.badf }
                let offset = Int64(bitPattern: a.i64(1)), length = Int64(bitPattern: a.i64(2))
                guard offset >= 0, length > 0 else { throw WASIErrno.inval }
                let result = posix_fallocate(fd, off_t(offset), off_t(length))
                if result != 0 { throw WASIErrno(posix: result) }
            },
            WASIFunction("fd_fdstat_get") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                let memory = try GuestMemory(c), base = a.i32(1)
                try memory.write([UInt8](repeating: 0, count: 24), at: base)
                try memory.storeUInt8(d.fileType.rawValue, at: base)
                try memory.storeUInt16(d.flags, at: base &+ 2)
                try memory.storeUInt64(d.rights.rawValue, at: base &+ 8)
                try memory.storeUInt64(d.inheriting.rawValue, at: base &+ 16)
            },
            WASIFunction("fd_fdstat_set_flags") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdFdstatSetFlags)
                try setFlags(d, UInt16(truncatingIfNeeded: a.i32(1)))
            },
            WASIFunction("fd_fdstat_set_rights") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                let rights = WASIRights(rawValue: a.i64(1)), inheriting = WASIRights(rawValue: a.i64(2))
                // Rights can only ever be dropped.
                guard d.rights.isSuperset(of: rights), d.inheriting.isSuperset(of: inheriting) else {
                    throw WASIErrno.notcapable
                }
                d.rights = rights
                d.inheriting = inheriting
            },
            WASIFunction("fd_filestat_get") { [self] c, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdFilestatGet)
                let memory = try GuestMemory(c)
                guard let fd = d.hostFD else {
                    // An in-memory stream: only its type is meaningful.
                    try memory.write([UInt8](repeating: 0, count: 64), at: a.i32(1))
                    try memory.storeUInt8(d.fileType.rawValue, at: a.i32(1) &+ 16)
                    return
                }
                try Self.storeFilestat(try hostStat(fd), memory, at: a.i32(1))
            },
            WASIFunction("fd_filestat_set_size") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdFilestatSetSize)
                guard let fd = d.hostFD else { throw WASIErrno.badf }
                let size = Int64(bitPattern: a.i64(1))
                guard size >= 0 else { throw WASIErrno.inval }
                try posixCall { ftruncate(fd, off_t(size)) }
            },
            WASIFunction("fd_filestat_set_times") { [self] _, a in
                let d = try descriptors.get(a.i32(0))
                try d.require(.fdFilestatSetTimes)
                guard let fd = d.hostFD else { throw WASIErrno.badf }
                var times = try Self.timespecs(atim: a.i64(1), mtim: a.i64(2), flags: a.i32(3))
                try posixCall { futimens(fd, &times) }
            },
            WASIFunction("fd_prestat_get") { [self] c, a in
                guard let name = try descriptors.get(a.i32(0)).preopenName else { throw WASIErrno.badf }
                let memory = try GuestMemory(c)
                try memory.storeUInt32(0, at: a.i32(1)) // tag 0 (dir) and padding
                try memory.storeUInt32(UInt32(name.utf8.count), at: a.i32(1) &+ 4)
            },
            WASIFunction("fd_prestat_dir_name") { [self] c, a in
                guard let name = try descriptors.get(a.i32(0)).preopenName else { throw WASIErrno.badf }
                let bytes = Array(name.utf8)
                guard a.i32(2) >= UInt32(bytes.count) else { throw WASIErrno.nametoolong }
                try GuestMemory(c).write(bytes, at: a.i32(1))
            },
            WASIFunction("fd_readdir") { [self] c, a in try readDirectory(c, a) },
        ]
    }

    /// A guest file offset (u64) as a host offset; beyond `off_t` is `EINVAL`.
    static func fileOffset(_ value: UInt64) throws -> off_t {
        guard value <= UInt64(Int64.max) else { throw WASIErrno.inval }
        return off_t(value)
    }

    /// The host fd of something with a file position; directories and streams have none.
    static func seekable(_ d: Descriptor) throws -> Int32 {
        guard let fd = d.hostFD else { throw WASIErrno.spipe }
        guard d.fileType != .directory else { throw WASIErrno.badf }
        return fd
    }

    /// `fd_read`/`fd_write`/`fd_pread`/`fd_pwrite`: moves bytes between the guest's iovecs and
    /// the descriptor, straight from/to guest memory, and stores the byte count.
    /// Runs `body`, a write to a pipe, socket or terminal, with SIGPIPE blocked on this thread
    /// and takes the SIGPIPE it raised, so a reader that has gone answers the guest EPIPE
    /// instead of ending the host process. errno is kept as `body` left it.
    static func withoutSIGPIPE(_ body: () -> Int) -> Int {
        var pipeSignal = sigset_t(), previous = sigset_t(), pending = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        sigpending(&pending)
        let pendingBefore = sigismember(&pending, SIGPIPE) == 1
        let result = body()
        let error = errno
        sigemptyset(&pending)
        sigpending(&pending)
        if !pendingBefore, sigismember(&pending, SIGPIPE) == 1 {
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &now)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        errno = error
        return result
    }

    private func transfer(_ d: Descriptor, _ caller: borrowing Caller, _ a: HostCallFrame, offset: off_t?, write: Bool) throws {
        let memory = try GuestMemory(caller)
        let vectors = try memory.ioVectors(at: a.i32(1), count: a.i32(2))
        let resultAddress = a.i32(offset == nil ? 3 : 4)
        try memory.storeUInt32(0, at: resultAddress) // checks the result pointer before any effect
        var count = 0
        switch d.backing {
        case .host(let fd, let owned):
            guard d.fileType != .directory else { throw WASIErrno.isdir }
            // Append asked of the host's own stream bound to a regular file: writes go to its
            // end, as O_APPEND would put them, without changing the host's flags.
            if !owned, write, d.flags & FdFlags.append != 0, d.fileType == .regularFile { lseek(fd, 0, SEEK_END) }
            count = try memory.memory.withUnsafeMutableBytes { all -> Int in
                var iov = vectors.map { iovec(iov_base: all.baseAddress! + Int($0.base), iov_len: Int($0.length)) }
                // On the host's own stream the guest's blocking mode is kept apart from the host's.
                return try Self.inGuestBlockingMode(d, fd: fd, events: Int16(write ? POLLOUT : POLLIN),
                                                    withoutWaitFlag: nil, alwaysWaits: write) { _ in
                    switch (write, offset) {
                    case (false, nil): return readv(fd, &iov, Int32(iov.count))
                    case (true, nil) where d.fileType == .regularFile: return writev(fd, &iov, Int32(iov.count))
                    case (true, nil): return Self.withoutSIGPIPE { writev(fd, &iov, Int32(iov.count)) }
                    case (false, let at?): return preadv(fd, &iov, Int32(iov.count), at)
                    case (true, let at?): return pwritev(fd, &iov, Int32(iov.count), at)
                    }
                }
            }
        case .input(let bytes, var position):
            guard !write else { throw WASIErrno.badf }
            guard offset == nil else { throw WASIErrno.spipe }
            for vector in vectors where position < bytes.count {
                let n = min(Int(vector.length), bytes.count - position)
                try memory.write(Array(bytes[position..<position + n]), at: vector.base)
                position += n
                count += n
            }
            d.backing = .input(bytes, position: position)
        case .output(let buffer):
            guard write else { throw WASIErrno.badf }
            guard offset == nil else { throw WASIErrno.spipe }
            for vector in vectors {
                try memory.withRegion(at: vector.base, count: vector.length) { try buffer.append(UnsafeRawBufferPointer($0)) }
                count += Int(vector.length)
            }
        }
        try memory.storeUInt32(UInt32(count), at: resultAddress)
    }

    /// `fd_fdstat_set_flags`: append and nonblock map to the status flags of a host fd the guest
    /// opened itself; the synchronous-I/O flags cannot be changed on an open file (Linux ignores
    /// them in F_SETFL). A descriptor handed in (the process's standard streams, sockets) is the
    /// host's: its status flags are shared with the host process (and whoever else holds the open
    /// file, the terminal say), so they are only recorded for the guest, and non-blocking reads
    /// are emulated (`transfer`). Every Go program sets stdout non-blocking at start.
    private func setFlags(_ d: Descriptor, _ flags: UInt16) throws {
        guard flags & ~FdFlags.all == 0 else { throw WASIErrno.inval }
        let syncFlags = FdFlags.dsync | FdFlags.rsync | FdFlags.sync
        guard flags & syncFlags == d.flags & syncFlags else { throw WASIErrno.notsup }
        if case .host(let fd, owned: true) = d.backing {
            var status = try posixCall { fcntl(fd, F_GETFL) }
            status &= ~(O_APPEND | O_NONBLOCK)
            if flags & FdFlags.append != 0 { status |= O_APPEND }
            if flags & FdFlags.nonblock != 0 { status |= O_NONBLOCK }
            try posixCall { fcntl(fd, F_SETFL, status) }
        }
        d.flags = flags
    }

    /// Whether `fd` has `events` pending now (a zero-timeout poll).
    static func isReady(_ fd: Int32, events: Int16) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        return poll(&entry, 1, 0) > 0
    }

    /// Waits until `fd` has `events` (or an error or hang-up, which the call then reports).
    static func waitUntilReady(_ fd: Int32, events: Int16) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while poll(&entry, 1, -1) < 0 && errno == EINTR {}
    }

    /// Writes a 64-byte `filestat`.
    static func storeFilestat(_ info: stat, _ memory: GuestMemory, at base: UInt32) throws {
        try memory.storeUInt64(UInt64(info.st_dev), at: base)
        try memory.storeUInt64(UInt64(info.st_ino), at: base &+ 8)
        try memory.storeUInt64(UInt64(WASIFileType(mode: info.st_mode).rawValue), at: base &+ 16)
        try memory.storeUInt64(UInt64(info.st_nlink), at: base &+ 24)
        try memory.storeUInt64(UInt64(info.st_size), at: base &+ 32)
        try memory.storeUInt64(nanoseconds(info.st_atim), at: base &+ 40)
        try memory.storeUInt64(nanoseconds(info.st_mtim), at: base &+ 48)
        try memory.storeUInt64(nanoseconds(info.st_ctim), at: base &+ 56)
    }

    /// The two `timespec`s of `utimensat`/`futimens` for WASI times and `fstflags`.
    static func timespecs(atim: UInt64, mtim: UInt64, flags: UInt32) throws -> [timespec] {
        guard flags & ~UInt32(15) == 0 else { throw WASIErrno.inval }
        let f = UInt16(flags)
        func one(_ value: UInt64, set: UInt16, now: UInt16) throws -> timespec {
            if f & set != 0 && f & now != 0 { throw WASIErrno.inval }
            if f & now != 0 { return timespec(tv_sec: 0, tv_nsec: hostUtimeNow) }
            if f & set != 0 {
                return timespec(tv_sec: time_t(value / 1_000_000_000), tv_nsec: Int(value % 1_000_000_000))
            }
            return timespec(tv_sec: 0, tv_nsec: hostUtimeOmit)
        }
        return [try one(atim, set: FstFlags.atim, now: FstFlags.atimNow),
                try one(mtim, set: FstFlags.mtim, now: FstFlags.mtimNow)]
    }
}
