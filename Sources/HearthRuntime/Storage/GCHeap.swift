/// A store's garbage-collected heap: the struct and array objects of Wasm GC.
///
/// Objects are individually allocated, zeroed blocks (see `ObjectLayout`); a reference to one
/// is its address, which is 8-aligned and so never confused with an `i31` (low bit 1) or a host
/// reference (low bits 10). Collection is mark and sweep. It runs only at allocation sites in
/// guest code, where every root is known: the value stack up to the allocating instruction's
/// operands (scanned conservatively: any word equal to an object's address keeps it, since
/// slots carry no types), globals, tables and element segments (also scanned as words), and the
/// objects the host holds through `GCObject` handles. Fields of objects are traced precisely
/// through their type's layout. Allocations made by the host or by constant expressions never
/// collect, so their in-flight values need no rooting.
final class GCHeap {
    /// The address of every live object.
    private(set) var objects: Set<UInt> = []
    /// Bytes allocated since the last collection, and the amount that triggers the next one.
    private var allocatedSinceCollection = 0
    private var threshold = GCHeap.minimumThreshold
    private(set) var liveBytes = 0
    /// Objects referenced by host handles, with how many handles hold each.
    private var hostRoots: [UInt: Int] = [:]
    private(set) var collections = 0

    static let minimumThreshold = 1 << 20
    /// The heap's cap when the engine sets no memory cap: 4 GiB, a 32-bit linear memory's most.
    static let defaultLimit = 1 << 32

    /// The most bytes live objects may take: guest code allocating past it (after a collection)
    /// traps instead of exhausting the host.
    let limit: Int

    init(limit: Int = GCHeap.defaultLimit) {
        self.limit = limit
    }

    deinit {
        for address in objects { UnsafeMutableRawPointer(bitPattern: address)!.deallocate() }
    }

    /// Whether the next allocation from guest code should collect first.
    var shouldCollect: Bool { allocatedSinceCollection >= threshold }

    /// Whether an object of `payloadBytes` fits under the cap.
    func fits(payloadBytes: Int) -> Bool { liveBytes + ObjectLayout.headerBytes + payloadBytes <= limit }

    /// A zeroed object of `type` with room for `payloadBytes`; `length` goes in the header
    /// (arrays). Never collects.
    func allocate(_ type: UnsafeMutablePointer<RuntimeType>, payloadBytes: Int, length: UInt32) -> UnsafeMutableRawPointer {
        let size = ObjectLayout.headerBytes + payloadBytes
        let object = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        object.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        object.storeBytes(of: UInt(bitPattern: type), as: UInt.self)
        object.storeBytes(of: UInt64(length), toByteOffset: 8, as: UInt64.self)
        objects.insert(UInt(bitPattern: object))
        allocatedSinceCollection += size
        liveBytes += size
        return object
    }

    // MARK: Host handles

    func retainFromHost(_ address: UInt) { hostRoots[address, default: 0] += 1 }

    func releaseFromHost(_ address: UInt) {
        guard let n = hostRoots[address] else { return }
        if n <= 1 { hostRoots[address] = nil } else { hostRoots[address] = n - 1 }
    }

    /// Whether `word` is the address of a live object.
    @inline(__always)
    func isObject(_ word: UInt64) -> Bool {
        word & 7 == 0 && word != 0 && objects.contains(UInt(word))
    }

    // MARK: Collection

    /// Marks everything reachable from `roots` (which calls its argument with each root range)
    /// and frees the rest.
    func collect(roots: ((UnsafePointer<UInt64>, Int) -> Void) -> Void) {
        var work: [UInt] = []
        func visit(_ word: UInt64) {
            guard isObject(word) else { return }
            let header = UnsafeMutableRawPointer(bitPattern: UInt(word))!.advanced(by: 8).assumingMemoryBound(to: UInt64.self)
            guard header.pointee & ObjectLayout.markBit == 0 else { return }
            header.pointee |= ObjectLayout.markBit
            work.append(UInt(word))
        }
        roots { words, count in
            for i in 0..<count { visit(words[i]) }
        }
        for address in hostRoots.keys { visit(UInt64(address)) }
        while let address = work.popLast() {
            let object = UnsafeMutableRawPointer(bitPattern: address)!
            let type = object.load(as: UnsafeMutablePointer<RuntimeType>.self).pointee
            let payload = object + ObjectLayout.headerBytes
            if type.kind == .array {
                guard type.fields[0].kind == .reference else { continue }
                let length = Int(object.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF)
                let elements = payload.assumingMemoryBound(to: UInt64.self)
                for i in 0..<length { visit(elements[i]) }
            } else {
                for f in 0..<type.fieldCount where type.fields[f].kind == .reference {
                    visit(payload.load(fromByteOffset: Int(type.fields[f].offset), as: UInt64.self))
                }
            }
        }
        sweep()
        collections += 1
        allocatedSinceCollection = 0
        threshold = max(Self.minimumThreshold, liveBytes)
    }

    private func sweep() {
        var survivors = Set<UInt>(minimumCapacity: objects.count)
        var bytes = 0
        for address in objects {
            let object = UnsafeMutableRawPointer(bitPattern: address)!
            let header = object.advanced(by: 8).assumingMemoryBound(to: UInt64.self)
            if header.pointee & ObjectLayout.markBit != 0 {
                header.pointee &= ~ObjectLayout.markBit
                survivors.insert(address)
                bytes += Self.size(of: object)
            } else {
                object.deallocate()
            }
        }
        objects = survivors
        liveBytes = bytes
    }

    static func size(of object: UnsafeMutableRawPointer) -> Int {
        let type = object.load(as: UnsafeMutablePointer<RuntimeType>.self).pointee
        if type.kind == .array {
            let length = Int(object.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF)
            return ObjectLayout.headerBytes + length * type.fields[0].kind.size
        }
        return ObjectLayout.headerBytes + type.payloadBytes
    }
}
