#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Closes a host descriptor (a free function so types with their own `close()` can call it).
func hostClose(_ fd: Int32) {
    _ = close(fd)
}

/// `readlinkat` into a String; nil when `name` is not a symbolic link.
func hostReadlink(_ directory: Int32, _ name: String) throws -> [UInt8]? {
    var capacity = 256
    while true {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let n = buffer.withUnsafeMutableBufferPointer { readlinkat(directory, name, $0.baseAddress!, capacity) }
        if n < 0 {
            if errno == EINVAL { return nil }
            throw WASIErrno.last
        }
        if n < capacity { return Array(buffer[..<n]) }
        capacity *= 4
    }
}

/// `fstatat` without following a final symlink.
func hostStat(_ directory: Int32, _ name: String, follow: Bool = false) throws -> stat {
    var info = stat()
    try posixCall { fstatat(directory, name, &info, follow ? 0 : AT_SYMLINK_NOFOLLOW) }
    return info
}

func hostStat(_ fd: Int32) throws -> stat {
    var info = stat()
    try posixCall { fstat(fd, &info) }
    return info
}

extension WASIFileType {
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socketStream
        default: self = .unknown
        }
    }
}

// Linux values the Glibc module does not import (they are macros behind _GNU_SOURCE or
// expressions Swift cannot import).
/// `O_PATH`: a descriptor usable only as a `*at` anchor, needing no read permission.
let hostOPath: Int32 = 0o10000000
/// `UTIME_NOW` and `UTIME_OMIT` for `utimensat`/`futimens`.
let hostUtimeNow = (1 << 30) - 1
let hostUtimeOmit = (1 << 30) - 2
