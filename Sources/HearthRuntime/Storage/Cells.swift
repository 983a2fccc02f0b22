#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary

/// Runtime objects as plain structs in raw memory, so handlers reach them through immediates
/// without reference counting. The store owns (allocates and frees) every cell.

/// A function as the machine sees it. `code` is where a call jumps: at first the two-word stub
/// inside the record (lazy translation or host call), later the translated code.
struct FunctionRecord {
    var code: PC
    /// Memory 0 of the function's instance (loaded into the memory register on entry).
    var memory: UnsafeMutablePointer<MemoryCell>
    /// Engine-wide id of the function type, compared by `call_indirect`.
    var typeID: Int
    /// The same type with its supertypes, for the subtype check when the ids differ.
    var runtimeType: UnsafeMutablePointer<RuntimeType>
    /// Unretained `FunctionEntity` (the store keeps it alive).
    var entity: UnsafeMutableRawPointer
    var stubHandler: UInt64
    var stubOperand: UInt64
}

/// A linear memory. The whole maximum is reserved up front (PROT_NONE costs no memory) and
/// made accessible as it grows, so the base never moves and existing bytes stay in place.
struct MemoryCell {
    var base: MB
    var byteCount: Int
    var maxPages: Int
    var reservedBytes: Int
    /// log2 of the page size: 16, or 0 with custom page sizes (`memory.size` and `memory.grow`
    /// count in these pages).
    var pageSizeLog2: Int
    /// Bytes made accessible so far: `byteCount` rounded up to the system page, which a
    /// 1-byte page size does not keep aligned.
    var committedBytes: Int

    static let pageSize = 65536
    /// The most bytes a memory can reach here (4 GiB, the 32-bit address space).
    static let maxBytes = Int(MemoryType.maxPages32) * pageSize
    static let systemPageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    static func allocate(type: MemoryType, cap: Int? = nil) throws -> UnsafeMutablePointer<MemoryCell> {
        let log2 = Int(type.pageSizeLog2)
        // Pages of this memory in 4 GiB (a 1-byte page size stops one short, as 32-bit sizes must).
        let addressable = UInt64(min(maxBytes >> log2, Int(UInt32.max)))
        var limit = Int(min(type.limits.max ?? addressable, addressable))
        let minPages = Int(min(type.limits.min, UInt64(Int.max >> 16)))
        guard minPages <= limit else { throw HearthError.trap(.hostError, "memory size exceeds its limit") }
        if let cap {
            // The engine's cap counts 64 KiB pages.
            let capPages = max(cap, 0) * pageSize >> log2
            guard minPages <= capPages else {
                throw HearthError.trap(.hostError, "memory of \(minPages) pages exceeds the engine's cap of \(cap) pages")
            }
            limit = min(limit, capPages)
        }
        // Reserve at least one page so the base is a real, unique mapping.
        let reserve = max(roundUpToSystemPage(limit << log2), pageSize)
        guard let raw = mmap(nil, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              raw != MAP_FAILED else {
            throw HearthError.trap(.hostError, "cannot reserve \(reserve) bytes for a memory")
        }
        let cell = UnsafeMutablePointer<MemoryCell>.allocate(capacity: 1)
        cell.initialize(to: MemoryCell(base: raw, byteCount: 0, maxPages: limit, reservedBytes: reserve,
                                       pageSizeLog2: log2, committedBytes: 0))
        if minPages > 0 {
            guard cell.pointee.grow(by: minPages) >= 0 else {
                cell.pointee.release(); cell.deallocate()
                throw HearthError.trap(.hostError, "cannot allocate \(minPages) pages of memory")
            }
        }
        return cell
    }

    var pageCount: Int { byteCount >> pageSizeLog2 }

    static func roundUpToSystemPage(_ bytes: Int) -> Int {
        (bytes + systemPageSize - 1) / systemPageSize * systemPageSize
    }

    /// Grows by `pages`; returns the old page count, or -1 (memory unchanged) on failure.
    mutating func grow(by pages: Int) -> Int {
        let old = pageCount
        guard pages >= 0, pages <= maxPages - old else { return -1 }
        if pages == 0 { return old }
        let newBytes = (old + pages) << pageSizeLog2
        let committed = MemoryCell.roundUpToSystemPage(newBytes)
        if committed > committedBytes {
            guard mprotect(base + committedBytes, committed - committedBytes, PROT_READ | PROT_WRITE) == 0 else { return -1 }
            committedBytes = committed
        }
        byteCount = newBytes
        return old
    }

    /// Shrinks to `pages` (fewer than now), as only a restore may: the pages past the new end
    /// are given back (mapped inaccessible again) and the bytes of a partly kept system page
    /// are zeroed, so that growing later shows zeros as a fresh memory would.
    mutating func shrink(to pages: Int) -> Bool {
        guard pages >= 0, pages < pageCount else { return pages == pageCount }
        let newBytes = pages << pageSizeLog2
        let committed = MemoryCell.roundUpToSystemPage(newBytes)
        if committed > newBytes { memset(base + newBytes, 0, committed - newBytes) }
        if committedBytes > committed {
            let tail = base + committed
            guard mmap(tail, committedBytes - committed, PROT_NONE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0) == tail else { return false }
            committedBytes = committed
        }
        byteCount = newBytes
        return true
    }

    func release() { munmap(base, reservedBytes) }
}

/// A table: reference words (0 = null, function records as addresses, extern handles + 1).
struct TableCell {
    var elements: UnsafeMutablePointer<UInt64>
    var count: Int
    var capacity: Int
    var max: Int
    var elementType: ReferenceType

    /// Tables above this many elements are refused (grow returns -1) to keep hosts alive.
    static let implementationLimit = 10_000_000

    static func allocate(type: TableType, initial: UInt64) throws -> UnsafeMutablePointer<TableCell> {
        let limit = Int(min(type.limits.max ?? UInt64(implementationLimit), UInt64(implementationLimit)))
        guard type.limits.min <= UInt64(limit) else { throw HearthError.trap(.hostError, "table size exceeds the implementation limit") }
        let count = Int(type.limits.min)
        let capacity = Swift.max(count, 1)
        let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        elements.initialize(repeating: initial, count: capacity)
        let cell = UnsafeMutablePointer<TableCell>.allocate(capacity: 1)
        cell.initialize(to: TableCell(elements: elements, count: count, capacity: capacity, max: limit,
                                      elementType: type.elementType))
        return cell
    }

    /// Grows by `delta` elements set to `value`; returns the old size or -1.
    mutating func grow(by delta: Int, value: UInt64) -> Int {
        let old = count
        guard delta >= 0, delta <= max - old else { return -1 }
        let newCount = old + delta
        if newCount > capacity {
            let newCapacity = Swift.min(Swift.max(newCount, capacity * 2), max)
            let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: elements, count: old)
            elements.deallocate()
            elements = fresh
            capacity = newCapacity
        }
        (elements + old).initialize(repeating: value, count: delta)
        count = newCount
        return old
    }

    func release() { elements.deallocate() }
}

/// The bytes of a data segment for `memory.init`; `data.drop` sets `count` to 0.
struct DataCell {
    var bytes: UnsafeMutablePointer<UInt8>
    var count: Int
    /// The bytes held, however many `count` still shows (a restore may undo a drop).
    var length: Int

    init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
        length = count
    }
}

/// The evaluated references of an element segment for `table.init`; `elem.drop` empties it.
struct ElementCell {
    var elements: UnsafeMutablePointer<UInt64>
    var count: Int
    /// The references held, however many `count` still shows (a restore may undo a drop of
    /// function references, which live as long as the instance).
    var length: Int

    init(elements: UnsafeMutablePointer<UInt64>, count: Int) {
        self.elements = elements
        self.count = count
        length = count
    }
}
