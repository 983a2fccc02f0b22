#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary

/// The mutable state of an instance — memories, mutable globals, tables, and which data and
/// element segments were dropped — captured so that a fresh instance of the same module, linked
/// the same way, can be brought back to exactly that state without re-running its code (a
/// language runtime's `_initialize` can take seconds; restoring takes a copy).
///
/// Every entity of the instance's index spaces is covered, imported ones included (they are
/// restored into whatever the new instance imports at the same index). Function references are
/// kept as indices into the instance's function index space, so they stay meaningful in the new
/// instance; a reference to a function outside that space cannot be, and is refused.
public struct InstanceSnapshot: Equatable, Sendable {
    /// One linear memory: its size and its pages as runs, all-zero pages stored as counts only.
    public struct MemoryImage: Equatable, Sendable {
        /// The memory's size in pages when captured.
        public var pageCount: Int
        /// The captured contents: runs of pages, all-zero pages left out.
        public var runs: [PageRun]
    }

    /// A run of consecutive pages of a memory image.
    public enum PageRun: Equatable, Sendable {
        /// `pages` pages of zeros.
        case zero(pages: Int)
        /// Whole pages of bytes (a multiple of the 64 KiB page size).
        case bytes([UInt8])

        /// Pages in the run.
        public var pageCount: Int {
            switch self {
            case .zero(let pages): return pages
            case .bytes(let bytes): return bytes.count / MemoryCell.pageSize
            }
        }
    }

    /// A reference as stored in a table or a reference-typed global.
    public enum StoredReference: Equatable, Sendable {
        case null
        /// A function, by its index in the instance's function index space.
        case function(index: Int)
    }

    /// The memories, in index-space order.
    public var memories: [MemoryImage]
    /// Mutable globals by index (immutable ones cannot change, so they are not stored): the raw
    /// bits for numeric globals, references for reference-typed ones.
    public var globals: [(index: Int, bits: UInt64)]
    /// Globals holding references, by global index, as stored references.
    public var referenceGlobals: [(index: Int, reference: StoredReference)]
    /// The tables, in index-space order, element by element.
    public var tables: [[StoredReference]]
    /// Per data segment: whether it was dropped (`data.drop`, or active and applied).
    public var droppedData: [Bool]
    /// Per element segment: whether it was dropped.
    public var droppedElements: [Bool]

    public static func == (a: InstanceSnapshot, b: InstanceSnapshot) -> Bool {
        a.memories == b.memories && a.tables == b.tables && a.droppedData == b.droppedData
            && a.droppedElements == b.droppedElements
            && a.globals.map(\.index) == b.globals.map(\.index) && a.globals.map(\.bits) == b.globals.map(\.bits)
            && a.referenceGlobals.map(\.index) == b.referenceGlobals.map(\.index)
            && a.referenceGlobals.map(\.reference) == b.referenceGlobals.map(\.reference)
    }

    /// The same state with the memories recorded by size only (their pages kept elsewhere,
    /// e.g. in a `MemoryImageFile`), as `snapshot(memoryContents: false)` captures it.
    public func withoutMemoryContents() -> InstanceSnapshot {
        var copy = self
        copy.memories = memories.map { MemoryImage(pageCount: $0.pageCount, runs: $0.pageCount > 0 ? [.zero(pages: $0.pageCount)] : []) }
        return copy
    }

    /// Bytes of memory contents actually stored (zero runs cost nothing).
    public var storedMemoryBytes: Int {
        memories.reduce(0) { total, image in
            total + image.runs.reduce(0) { if case .bytes(let b) = $1 { return $0 + b.count } else { return $0 } }
        }
    }
}

extension Instance {
    /// Captures the instance's mutable state. Must not be called while its code runs.
    /// With `memoryContents: false` the memories are recorded by size only (as zero pages):
    /// their bytes are saved separately, as mappable image files (`MemoryImageFile`).
    public func snapshot(memoryContents: Bool = true) throws -> InstanceSnapshot {
        var functionIndex: [UInt: Int] = [:]
        for (index, function) in storage.functions.enumerated() {
            functionIndex[UInt(bitPattern: function.record)] = index
        }
        func stored(_ word: UInt64, heapType: HeapType, _ place: String) throws -> InstanceSnapshot.StoredReference {
            if word == 0 { return .null }
            guard case .function = heapType else {
                throw HearthError.snapshot("unsupported: \(place) holds a non-null externref (host values cannot be saved)")
            }
            guard let index = functionIndex[UInt(word)] else {
                throw HearthError.snapshot("unsupported: \(place) holds a reference to a function of another instance")
            }
            return .function(index: index)
        }

        // Images count 64 KiB pages.
        if storage.memories.contains(where: { $0.cell.pointee.pageSizeLog2 != 16 }) {
            throw HearthError.snapshot("unsupported: a memory with a custom page size")
        }
        let memories = storage.memories.map { memory -> InstanceSnapshot.MemoryImage in
            let pages = memory.cell.pointee.pageCount
            return memoryContents ? Self.image(of: memory.cell.pointee)
                                  : InstanceSnapshot.MemoryImage(pageCount: pages, runs: pages > 0 ? [.zero(pages: pages)] : [])
        }
        var globals: [(index: Int, bits: UInt64)] = []
        var referenceGlobals: [(index: Int, reference: InstanceSnapshot.StoredReference)] = []
        for (index, global) in storage.globals.enumerated() where global.type.isMutable {
            if global.type.valueType == .v128 {
                // The snapshot format keeps one word per global.
                throw HearthError.snapshot("unsupported: global \(index) is a mutable v128")
            }
            if case .ref(let type) = global.type.valueType {
                referenceGlobals.append((index, try stored(global.cell.pointee, heapType: type.heapType, "global \(index)")))
            } else {
                globals.append((index, global.cell.pointee))
            }
        }
        var tables: [[InstanceSnapshot.StoredReference]] = []
        for (index, table) in storage.tables.enumerated() {
            let cell = table.cell.pointee
            tables.append(try (0..<cell.count).map {
                try stored(cell.elements[$0], heapType: cell.elementType.heapType, "table \(index)")
            })
        }
        return InstanceSnapshot(memories: memories, globals: globals, referenceGlobals: referenceGlobals, tables: tables,
                                droppedData: storage.data.map { $0.pointee.count == 0 },
                                droppedElements: storage.elements.map { $0.pointee.count == 0 })
    }

    /// Brings the instance to the state of `snapshot`, which must come from an instance of the
    /// same module linked the same way: a fresh one, or this one after it ran on (an instance
    /// reset for its next request keeps its translated code). Memories and tables grow or
    /// shrink to the saved sizes, and segments dropped since are restored. Must not be called
    /// while its code runs. With `memoryContents: false` memories are only brought to the
    /// saved sizes, their bytes left as they are for the caller to map (`mapPages`).
    public func restore(_ snapshot: InstanceSnapshot, memoryContents: Bool = true) throws {
        try checkShape(of: snapshot)
        for (memory, image) in zip(storage.memories, snapshot.memories) {
            guard memory.cell.pointee.shrink(to: min(image.pageCount, memory.cell.pointee.pageCount)) else {
                throw HearthError.snapshot("cannot shrink a memory to the snapshot's \(image.pageCount) pages")
            }
            if memoryContents {
                try Self.apply(image, to: memory.cell)
            } else {
                let current = memory.cell.pointee.pageCount
                if current < image.pageCount, memory.cell.pointee.grow(by: image.pageCount - current) < 0 {
                    throw HearthError.snapshot("cannot grow a memory to the snapshot's \(image.pageCount) pages")
                }
            }
        }
        for (index, bits) in snapshot.globals { storage.globals[index].cell.pointee = bits }
        for (index, reference) in snapshot.referenceGlobals { storage.globals[index].cell.pointee = word(of: reference) }
        for (table, elements) in zip(storage.tables, snapshot.tables) {
            let cell = table.cell
            cell.pointee.count = min(cell.pointee.count, elements.count)
            if cell.pointee.count < elements.count {
                guard cell.pointee.grow(by: elements.count - cell.pointee.count, value: 0) >= 0 else {
                    throw HearthError.snapshot("cannot grow a table to the snapshot's \(elements.count) elements")
                }
            }
            for (i, reference) in elements.enumerated() { cell.pointee.elements[i] = word(of: reference) }
        }
        // A dropped segment behaves as an empty one, which is all `data.drop`/`elem.drop` do;
        // their contents stay, so a drop since the snapshot is undone by the count alone.
        for (cell, dropped) in zip(storage.data, snapshot.droppedData) { cell.pointee.count = dropped ? 0 : cell.pointee.length }
        for (cell, dropped) in zip(storage.elements, snapshot.droppedElements) {
            cell.pointee.count = dropped ? 0 : cell.pointee.length
        }
    }

    private func word(of reference: InstanceSnapshot.StoredReference) -> UInt64 {
        switch reference {
        case .null: return 0
        case .function(let index): return UInt64(UInt(bitPattern: storage.functions[index].record))
        }
    }

    private func checkShape(of snapshot: InstanceSnapshot) throws {
        func mismatch(_ what: String, _ expected: Int, _ actual: Int) -> HearthError {
            HearthError.snapshot("snapshot does not fit this instance: \(actual) \(what), the snapshot has \(expected)")
        }
        guard snapshot.memories.count == storage.memories.count else { throw mismatch("memories", snapshot.memories.count, storage.memories.count) }
        guard snapshot.tables.count == storage.tables.count else { throw mismatch("tables", snapshot.tables.count, storage.tables.count) }
        guard snapshot.droppedData.count == storage.data.count else { throw mismatch("data segments", snapshot.droppedData.count, storage.data.count) }
        guard snapshot.droppedElements.count == storage.elements.count else {
            throw mismatch("element segments", snapshot.droppedElements.count, storage.elements.count)
        }
        for (index, _) in snapshot.globals {
            guard index < storage.globals.count, storage.globals[index].type.isMutable,
                  !storage.globals[index].type.valueType.isReference else {
                throw HearthError.snapshot("snapshot does not fit this instance: global \(index) is not a mutable numeric global")
            }
        }
        for (index, reference) in snapshot.referenceGlobals {
            guard index < storage.globals.count, storage.globals[index].type.isMutable,
                  storage.globals[index].type.valueType.isReference else {
                throw HearthError.snapshot("snapshot does not fit this instance: global \(index) is not a mutable reference global")
            }
            if case .function(let f) = reference, f >= storage.functions.count {
                throw HearthError.snapshot("snapshot does not fit this instance: no function \(f)")
            }
        }
        for image in snapshot.memories {
            guard image.runs.reduce(0, { $0 + $1.pageCount }) == image.pageCount else {
                throw HearthError.snapshot("corrupt snapshot: memory runs do not add up to \(image.pageCount) pages")
            }
        }
        var records: Set<UInt64>?
        for (index, (cell, dropped)) in zip(storage.elements, snapshot.droppedElements).enumerated()
        where !dropped && cell.pointee.count < cell.pointee.length {
            // Only references that live as long as the instance may come back: a dropped
            // segment's GC objects are no longer traced, so they may be gone.
            if records == nil { records = Set(storage.functions.map { UInt64(UInt(bitPattern: $0.record)) }) }
            for i in 0..<cell.pointee.length where cell.pointee.elements[i] != 0 && !records!.contains(cell.pointee.elements[i]) {
                throw HearthError.snapshot("unsupported: element segment \(index) was dropped and holds references that cannot be restored")
            }
        }
        for elements in snapshot.tables {
            for case .function(let f) in elements where f >= storage.functions.count {
                throw HearthError.snapshot("snapshot does not fit this instance: no function \(f)")
            }
        }
    }

    /// Splits a memory into runs of zero pages and runs of non-zero pages.
    private static func image(of cell: MemoryCell) -> InstanceSnapshot.MemoryImage {
        let pageSize = MemoryCell.pageSize
        let words = cell.base.assumingMemoryBound(to: UInt64.self)
        let wordsPerPage = pageSize / 8
        func isZero(_ page: Int) -> Bool {
            let start = words + page * wordsPerPage
            for i in 0..<wordsPerPage where start[i] != 0 { return false }
            return true
        }
        var runs: [InstanceSnapshot.PageRun] = []
        var page = 0
        while page < cell.pageCount {
            let zero = isZero(page)
            var end = page + 1
            while end < cell.pageCount, isZero(end) == zero { end += 1 }
            if zero {
                runs.append(.zero(pages: end - page))
            } else {
                let start = cell.base.assumingMemoryBound(to: UInt8.self) + page * pageSize
                runs.append(.bytes(Array(UnsafeBufferPointer(start: start, count: (end - page) * pageSize))))
            }
            page = end
        }
        return InstanceSnapshot.MemoryImage(pageCount: cell.pageCount, runs: runs)
    }

    private static func apply(_ image: InstanceSnapshot.MemoryImage, to cell: UnsafeMutablePointer<MemoryCell>) throws {
        let current = cell.pointee.pageCount
        if current < image.pageCount, cell.pointee.grow(by: image.pageCount - current) < 0 {
            throw HearthError.snapshot("cannot grow a memory to the snapshot's \(image.pageCount) pages")
        }
        let pageSize = MemoryCell.pageSize
        var page = 0
        for run in image.runs {
            let start = cell.pointee.base + page * pageSize
            switch run {
            case .zero(let pages):
                // Fresh anonymous pages read back as zeros and return the memory they held,
                // which matters for a runtime with a large, mostly empty heap. (Discarding with
                // madvise would not do: pages mapped from an image would revert to the image.)
                let mapped = mmap(start, pages * pageSize, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
                if mapped != start { memset(start, 0, pages * pageSize) }
            case .bytes(let bytes):
                bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
            page += run.pageCount
        }
    }
}

// MARK: Serialized form

extension InstanceSnapshot {
    private static let magic: [UInt8] = Array("HSNP".utf8)
    private static let version: UInt32 = 1

    /// A self-contained binary form (little-endian), for storing next to a content hash.
    public func serialized() -> [UInt8] {
        var out = SnapshotWriter()
        out.bytes += Self.magic
        out.u32(Self.version)
        out.u32(UInt32(memories.count))
        for image in memories {
            out.u32(UInt32(image.pageCount))
            out.u32(UInt32(image.runs.count))
            for run in image.runs {
                switch run {
                case .zero(let pages): out.bytes.append(0); out.u32(UInt32(pages))
                case .bytes(let bytes): out.bytes.append(1); out.u32(UInt32(bytes.count / MemoryCell.pageSize)); out.bytes += bytes
                }
            }
        }
        out.u32(UInt32(globals.count))
        for (index, bits) in globals { out.u32(UInt32(index)); out.u64(bits) }
        out.u32(UInt32(referenceGlobals.count))
        for (index, reference) in referenceGlobals { out.u32(UInt32(index)); out.reference(reference) }
        out.u32(UInt32(tables.count))
        for table in tables {
            out.u32(UInt32(table.count))
            for reference in table { out.reference(reference) }
        }
        for flags in [droppedData, droppedElements] {
            out.u32(UInt32(flags.count))
            out.bytes += flags.map { $0 ? 1 : 0 }
        }
        return out.bytes
    }

    /// Reads the form written by `serialized()`; throws a `HearthError` (`snapshot`) if it is not one.
    public init(serialized bytes: [UInt8]) throws {
        var input = SnapshotReader(bytes: bytes)
        guard try input.take(4) == Self.magic, try input.u32() == Self.version else {
            throw HearthError.snapshot("not a Hearth instance snapshot (or another format version)")
        }
        var memories: [MemoryImage] = []
        for _ in 0..<(try input.count()) {
            let pageCount = Int(try input.u32())
            var runs: [PageRun] = []
            for _ in 0..<(try input.count()) {
                let kind = try input.take(1)[0]
                let pages = Int(try input.u32())
                switch kind {
                case 0: runs.append(.zero(pages: pages))
                case 1: runs.append(.bytes(try input.take(pages * MemoryCell.pageSize)))
                default: throw HearthError.snapshot("corrupt snapshot: unknown page run kind \(kind)")
                }
            }
            memories.append(MemoryImage(pageCount: pageCount, runs: runs))
        }
        var globals: [(index: Int, bits: UInt64)] = []
        for _ in 0..<(try input.count()) { globals.append((Int(try input.u32()), try input.u64())) }
        var referenceGlobals: [(index: Int, reference: StoredReference)] = []
        for _ in 0..<(try input.count()) { referenceGlobals.append((Int(try input.u32()), try input.reference())) }
        var tables: [[StoredReference]] = []
        for _ in 0..<(try input.count()) {
            tables.append(try (0..<(try input.count())).map { _ in try input.reference() })
        }
        let droppedData = try input.take(try input.count()).map { $0 != 0 }
        let droppedElements = try input.take(try input.count()).map { $0 != 0 }
        guard input.isAtEnd else { throw HearthError.snapshot("corrupt snapshot: trailing bytes") }
        self.init(memories: memories, globals: globals, referenceGlobals: referenceGlobals, tables: tables,
                  droppedData: droppedData, droppedElements: droppedElements)
    }
}

private struct SnapshotWriter {
    var bytes: [UInt8] = []
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
    /// 0 for null, index + 1 for a function.
    mutating func reference(_ r: InstanceSnapshot.StoredReference) {
        switch r {
        case .null: u32(0)
        case .function(let index): u32(UInt32(index + 1))
        }
    }
}

private struct SnapshotReader {
    let bytes: [UInt8]
    var position = 0
    var isAtEnd: Bool { position == bytes.count }

    mutating func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= bytes.count - position else { throw HearthError.snapshot("corrupt snapshot: truncated") }
        defer { position += n }
        return Array(bytes[position..<position + n])
    }
    mutating func u32() throws -> UInt32 { try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() throws -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    /// A count, checked against the bytes left so a corrupt count cannot make us allocate wildly.
    mutating func count() throws -> Int {
        let n = Int(try u32())
        guard n <= bytes.count - position else { throw HearthError.snapshot("corrupt snapshot: count \(n) exceeds the data") }
        return n
    }
    mutating func reference() throws -> InstanceSnapshot.StoredReference {
        let raw = try u32()
        return raw == 0 ? .null : .function(index: Int(raw) - 1)
    }
}
