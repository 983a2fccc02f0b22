#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// `fd_readdir`: directory entries as `dirent` records, resumable by cookie.
///
/// A cookie is the index of the next entry in a snapshot of the directory taken when reading
/// starts at cookie 0, so a guest paging through a directory sees each entry exactly once even
/// if it changes the directory meanwhile.
extension WASIHost {
    func readDirectory(_ caller: borrowing Caller, _ a: HostCallFrame) throws {
        let d = try descriptors.get(a.i32(0))
        let fd = try d.directory(.fdReaddir)
        let memory = try GuestMemory(caller)
        let buffer = a.i32(1), capacity = Int(a.i32(2)), cookie = a.i64(3)
        try memory.storeUInt32(0, at: a.i32(4))
        if cookie == 0 || d.listing == nil { d.listing = try Self.list(fd) }
        let entries = d.listing!

        var output: [UInt8] = []
        output.reserveCapacity(min(capacity, 1 << 16))
        var index = Int(clamping: cookie)
        while index < entries.count && output.count < capacity {
            let entry = entries[index]
            index += 1
            var record = [UInt8](repeating: 0, count: 24)
            Self.put(UInt64(index), into: &record, at: 0)
            Self.put(entry.inode, into: &record, at: 8)
            Self.put(UInt64(entry.name.count), into: &record, at: 16) // d_namlen (u32) + zeroed padding
            record[20] = entry.type.rawValue
            output += record
            output += entry.name
        }
        // A partly fitting last entry is cut off: the guest sees a full buffer and retries with a
        // larger one from that entry's cookie.
        if output.count > capacity { output.removeLast(output.count - capacity) }
        try memory.write(output, at: buffer)
        try memory.storeUInt32(UInt32(output.count), at: a.i32(4))
    }

    private static func put(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    /// All entries of the directory open as `fd`, "." and ".." included.
    static func list(_ fd: Int32) throws -> [DirectoryEntry] {
        // A separate descriptor: `fdopendir` takes ownership and moves the position.
        let own = try posixCall { openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard let stream = fdopendir(own) else {
            hostClose(own)
            throw WASIErrno.last
        }
        defer { closedir(stream) }
        var entries: [DirectoryEntry] = []
        while let pointer = readdir(stream) {
            let name: [UInt8] = withUnsafeBytes(of: pointer.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            let type: WASIFileType
            switch Int32(pointer.pointee.d_type) {
            case Int32(DT_REG): type = .regularFile
            case Int32(DT_DIR): type = .directory
            case Int32(DT_LNK): type = .symbolicLink
            case Int32(DT_CHR): type = .characterDevice
            case Int32(DT_BLK): type = .blockDevice
            case Int32(DT_SOCK): type = .socketStream
            default:
                let info = try? hostStat(fd, String(decoding: name, as: UTF8.self))
                type = info.map { WASIFileType(mode: $0.st_mode) } ?? .unknown
            }
            entries.append(DirectoryEntry(name: name, inode: UInt64(pointer.pointee.d_ino), type: type))
        }
        return entries
    }
}
