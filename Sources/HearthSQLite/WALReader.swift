import Foundation

/// Where a reader of a write-ahead log stopped: the log generation (its header's salts) and the
/// byte offset just past the last committed frame read, with the running checksum there. A WAL
/// that was reset since (a checkpoint restarted it) has new salts, so reading starts over.
public struct WALPosition: Equatable, Sendable {
    /// The log header's two salts; a restarted log has new ones.
    public var salt1: UInt32
    /// The second salt; both must match the header for `offset` to still mean anything.
    public var salt2: UInt32
    /// Offset just past the last frame consumed.
    public var offset: Int64
    /// The cumulative frame checksum at `offset` (the next frame's checksum continues from it).
    public var checksum1: UInt32
    /// The second word of that checksum.
    public var checksum2: UInt32

    /// A position from its parts, such as one stored from an earlier `WALCommits.position`.
    public init(salt1: UInt32, salt2: UInt32, offset: Int64, checksum1: UInt32, checksum2: UInt32) {
        self.salt1 = salt1
        self.salt2 = salt2
        self.offset = offset
        self.checksum1 = checksum1
        self.checksum2 = checksum2
    }
}

/// The committed transactions a reader found in a WAL past a position: every page they wrote
/// (the latest image of each page number), the database size in pages after the last of them,
/// and the position to continue from.
public struct WALCommits: Sendable {
    /// Page number → page image, for every page written by the transactions read.
    public var pages: [UInt32: [UInt8]]
    /// The database size in pages after the last transaction read.
    public var databasePages: UInt32
    /// Where the next read continues.
    public var position: WALPosition
    /// The database page size in bytes, from the log header (a power of two from 512 to 65,536).
    public var pageSize: Int
}

/// Reads committed transactions out of an SQLite write-ahead log file (format: sqlite.org
/// "fileformat2", section "The WAL File Format"). A frame counts only if its salts match the
/// header and its cumulative checksum is right, and only frames up to the last commit frame are
/// taken: exactly the frames SQLite's own recovery would treat as committed.
public enum WALReader {
    static let headerBytes = 32
    static let frameHeaderBytes = 24

    /// The transactions committed to the WAL at `walPath` after `position` (from the start of
    /// the log if `position` is nil or belongs to an earlier generation). Nil if nothing new
    /// was committed (or there is no log).
    public static func commits(walPath: String, after position: WALPosition?) throws -> WALCommits? {
        let fd = open(walPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        let size = Int64(status.st_size)
        guard size >= Int64(headerBytes) else { return nil }
        var header = [UInt8](repeating: 0, count: headerBytes)
        guard read(fd, into: &header, at: 0) else { return nil }
        let magic = bigEndian(header, 0)
        guard magic & ~1 == 0x377f_0682 else { throw SQLiteError(extendedCode: 26, message: "\(walPath): not a write-ahead log") }
        let wordsAreBigEndian = magic & 1 == 1
        let pageSize = Int(bigEndian(header, 8))
        guard pageSize >= 512, pageSize <= 65_536, pageSize & (pageSize - 1) == 0 else {
            throw SQLiteError(extendedCode: 26, message: "\(walPath): bad page size \(pageSize)")
        }
        let salt1 = bigEndian(header, 16), salt2 = bigEndian(header, 20)
        var start: WALPosition
        if let position, position.salt1 == salt1, position.salt2 == salt2 {
            start = position
        } else {
            var sums = (UInt32(0), UInt32(0))
            checksum(header, 0..<24, bigEndianWords: wordsAreBigEndian, into: &sums)
            guard sums.0 == bigEndian(header, 24), sums.1 == bigEndian(header, 28) else { return nil }
            start = WALPosition(salt1: salt1, salt2: salt2, offset: Int64(headerBytes), checksum1: sums.0, checksum2: sums.1)
        }
        let frameBytes = frameHeaderBytes + pageSize
        var offset = start.offset
        var sums = (start.checksum1, start.checksum2)
        var pending: [UInt32: [UInt8]] = [:]
        var committed: [UInt32: [UInt8]] = [:]
        var last: WALPosition?
        var databasePages: UInt32 = 0
        var frame = [UInt8](repeating: 0, count: frameBytes)
        while offset + Int64(frameBytes) <= size, read(fd, into: &frame, at: offset) {
            guard bigEndian(frame, 8) == salt1, bigEndian(frame, 12) == salt2 else { break }
            checksum(frame, 0..<8, bigEndianWords: wordsAreBigEndian, into: &sums)
            checksum(frame, frameHeaderBytes..<frameBytes, bigEndianWords: wordsAreBigEndian, into: &sums)
            guard sums.0 == bigEndian(frame, 16), sums.1 == bigEndian(frame, 20) else { break }
            offset += Int64(frameBytes)
            pending[bigEndian(frame, 0)] = Array(frame[frameHeaderBytes...])
            let commitSize = bigEndian(frame, 4)
            if commitSize != 0 {
                committed.merge(pending) { $1 }
                pending.removeAll(keepingCapacity: true)
                databasePages = commitSize
                last = WALPosition(salt1: salt1, salt2: salt2, offset: offset, checksum1: sums.0, checksum2: sums.1)
            }
        }
        guard let last else { return nil }
        // Pages past the final size were cut off by a later transaction of the batch.
        committed = committed.filter { $0.key <= databasePages }
        return WALCommits(pages: committed, databasePages: databasePages, position: last, pageSize: pageSize)
    }

    /// Fills `buffer` from `offset`; false on a short read or an error.
    private static func read(_ fd: Int32, into buffer: inout [UInt8], at offset: Int64) -> Bool {
        let count = buffer.count
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes.withUnsafeBufferPointer { bigEndian($0, at) }
    }

    /// SQLite's WAL checksum: over 32-bit words taken in pairs, each sum feeding the other.
    private static func checksum(_ bytes: [UInt8], _ range: Range<Int>, bigEndianWords: Bool, into sums: inout (UInt32, UInt32)) {
        var (s0, s1) = sums
        bytes.withUnsafeBufferPointer { buffer in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let x0: UInt32, x1: UInt32
                if bigEndianWords {
                    x0 = bigEndian(buffer, i); x1 = bigEndian(buffer, i + 4)
                } else {
                    x0 = littleEndian(buffer, i); x1 = littleEndian(buffer, i + 4)
                }
                s0 = s0 &+ x0 &+ s1
                s1 = s1 &+ x1 &+ s0
                i += 8
            }
        }
        sums = (s0, s1)
    }

    private static func bigEndian(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func littleEndian(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
