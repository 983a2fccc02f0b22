#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a run of memory pages gets its bytes from when mapped.
public enum PageSource {
    /// Fresh zero pages (anonymous memory: costs nothing until written).
    case zero
    /// Pages of an image file from `page` on, mapped copy-on-write.
    case image(MemoryImageFile, page: Int)
}

/// Page-table operations on an instance's linear memories, for snapshots that are mapped, not
/// copied: a wake maps image files over the memory's reserved range (its base never moves),
/// and a save asks the kernel which pages were written since.
///
/// Pages here are 64 KiB WebAssembly pages; memories with a custom page size are refused.
/// None of these may be called while the instance's code runs.
extension Instance {
    /// Memories in the instance's index space, imported ones included.
    public var memoryCount: Int { storage.memories.count }

    /// The size of memory `index` in 64 KiB pages.
    public func memoryPageCount(_ index: Int) -> Int { storage.memories[index].cell.pointee.pageCount }

    private func mappableCell(_ index: Int) throws -> UnsafeMutablePointer<MemoryCell> {
        guard index >= 0, index < storage.memories.count else { throw HearthError.snapshot("no memory \(index)") }
        let cell = storage.memories[index].cell
        guard cell.pointee.pageSizeLog2 == 16 else { throw HearthError.snapshot("unsupported: a memory with a custom page size") }
        return cell
    }

    /// Brings memory `index` to `pages` pages: grown, or shrunk with the pages past the end
    /// given back (a snapshot's size, restored into an instance that ran on).
    public func resizeMemory(_ index: Int, toPages pages: Int) throws {
        let cell = try mappableCell(index)
        guard cell.pointee.shrink(to: min(pages, cell.pointee.pageCount)) else {
            throw HearthError.snapshot("cannot shrink memory \(index) to the snapshot's \(pages) pages")
        }
        let current = cell.pointee.pageCount
        if current < pages, cell.pointee.grow(by: pages - current) < 0 {
            throw HearthError.snapshot("cannot grow memory \(index) to the snapshot's \(pages) pages")
        }
    }

    /// Replaces pages `first ..< first + count` of memory `index` by `source`: no bytes are
    /// copied, only page tables change. Whatever those pages held is gone.
    public func mapPages(ofMemory index: Int, from first: Int, count: Int, source: PageSource) throws {
        let cell = try mappableCell(index)
        guard first >= 0, count >= 0, first <= cell.pointee.pageCount - count else {
            throw HearthError.snapshot("pages \(first)..<\(first + count) are outside memory \(index)")
        }
        guard count > 0 else { return }
        let address = cell.pointee.base + first * MemoryImageFile.pageSize
        switch source {
        case .zero:
            let mapped = mmap(address, count * MemoryImageFile.pageSize, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
            guard mapped == address else { throw HearthError.snapshot("cannot map zero pages: \(MemoryImageFile.errnoText())") }
        case .image(let image, let page):
            guard page >= 0, page <= image.pageCount - count else {
                throw HearthError.snapshot("pages \(page)..<\(page + count) are outside snapshot image \(image.path)")
            }
            try image.map(filePage: page, count: count, at: address)
        }
    }

    /// The start of page `page` of memory `index` (for writing it to an image).
    public func pageAddress(memory index: Int, page: Int) -> UnsafeRawPointer {
        let cell = storage.memories[index].cell
        precondition(page >= 0 && page < cell.pointee.pageCount, "page outside the memory")
        return UnsafeRawPointer(cell.pointee.base + page * MemoryImageFile.pageSize)
    }

    /// Whether page `page` of memory `index` holds only zeros.
    public func isZeroPage(memory index: Int, page: Int) -> Bool {
        let words = pageAddress(memory: index, page: page).assumingMemoryBound(to: UInt64.self)
        var accumulated: UInt64 = 0
        // Eight words per step, checked per step: stops early on data, stays cheap on zeros.
        for block in stride(from: 0, to: MemoryImageFile.pageSize / 8, by: 8) {
            for i in block..<block + 8 { accumulated |= words[i] }
            if accumulated != 0 { return false }
        }
        return true
    }

    /// The pages of memory `index` that may differ from what was last mapped there: written
    /// since (a private file page the kernel has copied), or touched in anonymous memory.
    /// Untouched pages and pages still shared with their image file are left out. Nil when the
    /// kernel cannot tell (no `/proc/self/pagemap`): then every page must count as modified.
    public func modifiedPages(ofMemory index: Int) -> [Int]? {
        guard let cell = try? mappableCell(index), PageMap.descriptor >= 0 else { return nil }
        let systemPage = MemoryCell.systemPageSize
        let perPage = MemoryImageFile.pageSize / systemPage
        let firstEntry = Int(bitPattern: cell.pointee.base) / systemPage
        let entries = cell.pointee.pageCount * perPage
        var modified: [Int] = []
        let batch = 1 << 16
        var buffer = [UInt64](repeating: 0, count: min(batch, entries))
        var done = 0
        while done < entries {
            let count = min(batch, entries - done)
            let bytes = buffer.withUnsafeMutableBytes {
                pread(PageMap.descriptor, $0.baseAddress, count * 8, off_t((firstEntry + done) * 8))
            }
            guard bytes == count * 8 else { return nil }
            for i in 0..<count {
                let entry = buffer[i]
                // Bit 63: present; 62: swapped (only anonymous pages swap); 61: a file page
                // (or shared anonymous). A present page that is not a file page was copied on
                // write, or is anonymous memory the guest touched.
                let touched = entry >> 62 & 1 == 1 || (entry >> 63 & 1 == 1 && entry >> 61 & 1 == 0)
                guard touched else { continue }
                let page = (done + i) / perPage
                if modified.last != page { modified.append(page) }
            }
            done += count
        }
        return modified
    }
}

/// `/proc/self/pagemap`, opened once; -1 where there is none.
private enum PageMap {
    static let descriptor: Int32 = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
}

extension Instance {
    /// Makes the instance's memories hold exactly the pages of `image` (every other page zero):
    /// for an image that holds whole memories, such as one written by `MemoryImageFile.write(
    /// of:to:)`. The memories must already have their sizes (`restore(_:memoryContents: false)`).
    public func mapImage(_ image: MemoryImageFile) throws {
        for index in 0..<memoryCount {
            try mapPages(ofMemory: index, from: 0, count: memoryPageCount(index), source: .zero)
        }
        var k = 0
        for run in MemoryImageFile.PageTag.runs(image.tags) {
            try mapPages(ofMemory: run.memory, from: run.page, count: run.count, source: .image(image, page: k))
            k += run.count
        }
    }
}

extension MemoryImageFile {
    /// Writes the non-zero pages of a snapshot's memories (`InstanceSnapshot` taken with their
    /// contents) as an image, so that instances can map them instead of copying them.
    public static func write(of snapshot: InstanceSnapshot, to path: String) throws -> MemoryImageFile {
        var tags: [PageTag] = []
        for (index, memory) in snapshot.memories.enumerated() {
            var page = 0
            for run in memory.runs {
                if case .bytes = run { tags += (0..<run.pageCount).map { PageTag(memory: index, page: page + $0) } }
                page += run.pageCount
            }
        }
        let pages = UnsafeMutableRawPointer.allocate(byteCount: max(tags.count, 1) * pageSize, alignment: 16)
        defer { pages.deallocate() }
        var offset = 0
        for memory in snapshot.memories {
            for case .bytes(let bytes) in memory.runs {
                bytes.withUnsafeBytes { (pages + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                offset += bytes.count
            }
        }
        return try write(to: path, tags: tags) { UnsafeRawPointer(pages + $0 * pageSize) }
    }
}
