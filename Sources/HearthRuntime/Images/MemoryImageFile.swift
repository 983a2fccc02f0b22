#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable file of 64 KiB memory pages laid out to be mapped copy-on-write into a linear
/// memory: the unit a warm snapshot is made of.
///
/// Layout (little-endian):
///
///     0   magic "HEARTHIM", format version (u32), reserved (u32)
///     16  page count n (u64), data offset (u64), metadata length m (u64)
///     40  n entries: memory index (u32), memory page (u32), page checksum (u64)
///         m bytes of metadata (the owner's; e.g. the instance state of a runtime's first image)
///         header checksum (u64) over everything before it
///     data offset (a multiple of 64 KiB): the n pages, in entry order
///
/// Files are written once (to a temporary name, synced, then renamed into place, the folder
/// synced) and never modified afterwards: a private mapping of a file that changed under it
/// would see the change, and a truncated one would fault. Opening checks the structure (magic,
/// version, exact size, header checksum) without reading pages; `verify()` reads every page
/// against its checksum, which is the scrub's job, not the wake path's.
public final class MemoryImageFile {
    /// The page size of images: the WebAssembly page, which is a multiple of every system page
    /// size, so each page's offset in the file is a valid `mmap` offset.
    public static let pageSize = 65536
    static let magic: [UInt8] = Array("HEARTHIM".utf8)
    static let formatVersion: UInt32 = 1
    static let fixedHeaderBytes = 40
    static let entryBytes = 16

    /// Which page of which memory a page of the file holds.
    public struct PageTag: Equatable, Sendable {
        /// The memory's index in the instance.
        public var memory: Int
        /// The page's index in that memory.
        public var page: Int
        /// Page `page` of memory `memory`.
        public init(memory: Int, page: Int) {
            self.memory = memory
            self.page = page
        }

        /// `tags` grouped into runs of consecutive pages of one memory, in order: each run is
        /// one mapping (tags in memory, then page order give the fewest).
        public static func runs(_ tags: [PageTag]) -> [(memory: Int, page: Int, count: Int)] {
            var runs: [(memory: Int, page: Int, count: Int)] = []
            for tag in tags {
                if let last = runs.last, last.memory == tag.memory, last.page + last.count == tag.page {
                    runs[runs.count - 1].count += 1
                } else {
                    runs.append((tag.memory, tag.page, 1))
                }
            }
            return runs
        }
    }

    /// The image file's path.
    public let path: String
    /// The memory page each file page holds, in file order.
    public let tags: [PageTag]
    /// Each page's checksum (`PageChecksum`), in file order.
    public let checksums: [UInt64]
    /// The owner's metadata stored with the image.
    public let metadata: [UInt8]
    /// The header's checksum: changes with any page or metadata, so a manifest that records it
    /// refuses a file that was replaced by another.
    public let identity: UInt64
    /// Where page 0 starts in the file.
    let dataOffset: Int

    /// Pages in the file.
    public var pageCount: Int { tags.count }
    /// The file's size in bytes.
    public var byteCount: Int { dataOffset + tags.count * Self.pageSize }

    private init(path: String, tags: [PageTag], checksums: [UInt64], metadata: [UInt8], identity: UInt64, dataOffset: Int) {
        self.path = path
        self.tags = tags
        self.checksums = checksums
        self.metadata = metadata
        self.identity = identity
        self.dataOffset = dataOffset
    }

    // MARK: Writing

    /// Writes a new image durably at `path` (which must not exist): the pages named by `tags`,
    /// each read from `page(i)`, then `metadata`. The file appears under `path` only whole and
    /// synced; a failure (a full disk) leaves nothing behind and throws a `HearthError` (`snapshot`).
    public static func write(to path: String, tags: [PageTag], metadata: [UInt8] = [],
                             page: (Int) -> UnsafeRawPointer) throws -> MemoryImageFile {
        let temporary = path + ".partial"
        let descriptor = systemOpen(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HearthError.snapshot("cannot create snapshot image \(temporary): \(errnoText())") }
        var written = false
        defer {
            close(descriptor)
            if !written { unlink(temporary) }
        }
        var checksums: [UInt64] = []
        checksums.reserveCapacity(tags.count)
        let headerLength = fixedHeaderBytes + tags.count * entryBytes + metadata.count + 8
        let dataOffset = (headerLength + pageSize - 1) / pageSize * pageSize
        for (index, _) in tags.enumerated() {
            let source = page(index)
            checksums.append(PageChecksum.of(source, byteCount: pageSize))
            try writeAll(descriptor, source, count: pageSize, at: dataOffset + index * pageSize, path: temporary)
        }
        let header = encodeHeader(tags: tags, checksums: checksums, metadata: metadata, dataOffset: dataOffset)
        try header.bytes.withUnsafeBytes { try writeAll(descriptor, $0.baseAddress!, count: $0.count, at: 0, path: temporary) }
        // A file of no pages still spans its header page, so every image has a data offset.
        guard ftruncate(descriptor, off_t(dataOffset + tags.count * pageSize)) == 0 else {
            throw HearthError.snapshot("cannot size snapshot image \(temporary): \(errnoText())")
        }
        guard fsync(descriptor) == 0 else { throw HearthError.snapshot("cannot sync snapshot image \(temporary): \(errnoText())") }
        guard rename(temporary, path) == 0 else { throw HearthError.snapshot("cannot place snapshot image \(path): \(errnoText())") }
        written = true
        try syncFolder(of: path)
        return MemoryImageFile(path: path, tags: tags, checksums: checksums, metadata: metadata,
                               identity: header.identity, dataOffset: dataOffset)
    }

    private static func encodeHeader(tags: [PageTag], checksums: [UInt64], metadata: [UInt8],
                                     dataOffset: Int) -> (bytes: [UInt8], identity: UInt64) {
        var out = ByteWriter()
        out.bytes += magic
        out.u32(formatVersion)
        out.u32(0)
        out.u64(UInt64(tags.count))
        out.u64(UInt64(dataOffset))
        out.u64(UInt64(metadata.count))
        for (tag, checksum) in zip(tags, checksums) {
            out.u32(UInt32(tag.memory))
            out.u32(UInt32(tag.page))
            out.u64(checksum)
        }
        out.bytes += metadata
        let identity = PageChecksum.of(out.bytes)
        out.u64(identity)
        return (out.bytes, identity)
    }

    private static func writeAll(_ descriptor: Int32, _ source: UnsafeRawPointer, count: Int, at offset: Int, path: String) throws {
        var done = 0
        while done < count {
            let n = pwrite(descriptor, source + done, count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw HearthError.snapshot("cannot write snapshot image \(path): \(errnoText())") }
            done += n
        }
    }

    /// Makes a rename or link in the file's folder durable.
    static func syncFolder(of path: String) throws {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = systemOpen(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HearthError.snapshot("cannot open folder \(folder): \(errnoText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw HearthError.snapshot("cannot sync folder \(folder): \(errnoText())") }
    }

    /// Gives the image a second name (a hard link) without copying it; false when `path`
    /// exists already (then nothing changed). The link is durable when this returns.
    public func link(as path: String) throws -> Bool {
        if systemLink(self.path, path) != 0 {
            if errno == EEXIST { return false }
            throw HearthError.snapshot("cannot link snapshot image \(self.path) as \(path): \(Self.errnoText())")
        }
        try Self.syncFolder(of: path)
        return true
    }

    // MARK: Reading

    /// Opens an image, checking its structure without reading its pages: the magic, format
    /// version, header checksum and the exact file size. Throws a `HearthError` (`snapshot`) saying what is
    /// wrong with a missing, truncated, foreign or corrupt header.
    public static func open(_ path: String) throws -> MemoryImageFile {
        let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HearthError.snapshot("snapshot image \(path) cannot be opened: \(errnoText())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw HearthError.snapshot("snapshot image \(path): \(errnoText())") }
        let size = Int(status.st_size)
        func read(_ count: Int, at offset: Int) throws -> [UInt8] {
            guard count >= 0, offset + count <= size else { throw HearthError.snapshot("snapshot image \(path) is truncated") }
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
            guard n == count else { throw HearthError.snapshot("snapshot image \(path) cannot be read: \(errnoText())") }
            return bytes
        }
        let fixed = try read(fixedHeaderBytes, at: 0)
        var input = ByteReader(bytes: fixed)
        guard input.take(8) == magic else { throw HearthError.snapshot("\(path) is not a snapshot image") }
        guard input.u32() == formatVersion else { throw HearthError.snapshot("snapshot image \(path) has another format version") }
        _ = input.u32()
        let pageCount = input.u64(), dataOffset = input.u64(), metadataCount = input.u64()
        guard pageCount <= UInt64(size / pageSize), metadataCount <= UInt64(size), dataOffset <= UInt64(size),
              Int(dataOffset) % pageSize == 0,
              Int(dataOffset) + Int(pageCount) * pageSize == size else {
            throw HearthError.snapshot("snapshot image \(path) is truncated or its header is corrupt (\(size) bytes)")
        }
        let tableCount = Int(pageCount) * entryBytes + Int(metadataCount)
        guard fixedHeaderBytes + tableCount + 8 <= Int(dataOffset) else {
            throw HearthError.snapshot("snapshot image \(path) has a corrupt header")
        }
        let rest = try read(tableCount + 8, at: fixedHeaderBytes)
        let covered = fixed + rest.dropLast(8)
        var tail = ByteReader(bytes: Array(rest.suffix(8)))
        let identity = tail.u64()
        guard PageChecksum.of(Array(covered)) == identity else {
            throw HearthError.snapshot("snapshot image \(path) has a corrupt header (checksum mismatch)")
        }
        var table = ByteReader(bytes: rest)
        var tags: [PageTag] = [], checksums: [UInt64] = []
        tags.reserveCapacity(Int(pageCount))
        checksums.reserveCapacity(Int(pageCount))
        for _ in 0..<Int(pageCount) {
            tags.append(PageTag(memory: Int(table.u32()), page: Int(table.u32())))
            checksums.append(table.u64())
        }
        let metadata = table.take(Int(metadataCount))
        return MemoryImageFile(path: path, tags: tags, checksums: checksums, metadata: metadata, identity: identity,
                               dataOffset: Int(dataOffset))
    }

    /// Reads every page and compares it with its checksum (the scrub). Throws a `HearthError` (`snapshot`)
    /// naming the first bad page. Reads through a small buffer: it costs I/O, not memory.
    public func verify() throws {
        let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HearthError.snapshot("snapshot image \(path) cannot be opened: \(Self.errnoText())") }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.pageSize, alignment: 16)
        defer { buffer.deallocate() }
        for index in 0..<pageCount {
            let n = pread(descriptor, buffer, Self.pageSize, off_t(dataOffset + index * Self.pageSize))
            guard n == Self.pageSize else { throw HearthError.snapshot("snapshot image \(path) is truncated at page \(index)") }
            guard PageChecksum.of(buffer, byteCount: Self.pageSize) == checksums[index] else {
                throw HearthError.snapshot("snapshot image \(path) is corrupt: page \(index) does not match its checksum")
            }
        }
    }

    /// Maps `count` pages of the file from `filePage` at `address`, private and writable:
    /// reads come from the page cache, a write copies the page.
    func map(filePage: Int, count: Int, at address: UnsafeMutableRawPointer) throws {
        let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw HearthError.snapshot("snapshot image \(path) cannot be opened: \(Self.errnoText())") }
        defer { close(descriptor) }
        let mapped = mmap(address, count * Self.pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, descriptor,
                          off_t(dataOffset + filePage * Self.pageSize))
        guard mapped == address else { throw HearthError.snapshot("cannot map snapshot image \(path): \(Self.errnoText())") }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

// The C functions, under names the class's own `open` and `link` do not shadow.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { open(path, flags, mode) }
private func systemLink(_ from: String, _ to: String) -> Int32 { link(from, to) }

private struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
}

/// Reads within bytes already checked to be long enough.
private struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    mutating func take(_ n: Int) -> [UInt8] {
        defer { position += n }
        return Array(bytes[position..<position + n])
    }
    mutating func u32() -> UInt32 { take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() -> UInt64 { take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
}
