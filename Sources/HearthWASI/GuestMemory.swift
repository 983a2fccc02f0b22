import HearthRuntime

/// Little-endian access to the calling guest's linear memory, turning every out-of-range pointer
/// into `EFAULT` instead of a host crash.
struct GuestMemory {
    let memory: Memory

    init(_ caller: borrowing Caller) throws {
        guard let memory = caller.memory else { throw WASIErrno.fault }
        self.memory = memory
    }

    private func check(_ address: UInt32, _ count: UInt32) throws {
        guard UInt64(address) + UInt64(count) <= UInt64(memory.byteCount) else { throw WASIErrno.fault }
    }

    func bytes(at address: UInt32, count: UInt32) throws -> [UInt8] {
        try check(address, count)
        return try memory.read(Int(address), count: Int(count))
    }

    func write(_ bytes: [UInt8], at address: UInt32) throws {
        try check(address, UInt32(clamping: bytes.count))
        try memory.write(bytes, at: Int(address))
    }

    /// Runs `body` on the guest bytes `address..<address+count` in place (no copy), so reads
    /// from host files land directly in guest memory.
    func withRegion<R>(at address: UInt32, count: UInt32, _ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        try check(address, count)
        return try memory.withUnsafeMutableBytes { all in
            try body(UnsafeMutableRawBufferPointer(rebasing: all[Int(address)..<Int(address) + Int(count)]))
        }
    }

    /// A path or other string argument; WASI strings must be valid UTF-8 without NUL.
    func string(at address: UInt32, length: UInt32) throws -> String {
        let raw = try bytes(at: address, count: length)
        guard !raw.contains(0), let string = String(validating: raw, as: UTF8.self) else { throw WASIErrno.ilseq }
        return string
    }

    func loadUInt8(at address: UInt32) throws -> UInt8 {
        try check(address, 1)
        return try memory.load(Int(address))
    }

    func loadUInt16(at address: UInt32) throws -> UInt16 {
        try check(address, 2)
        return try memory.load(Int(address))
    }

    func loadUInt32(at address: UInt32) throws -> UInt32 {
        try check(address, 4)
        return try memory.load(Int(address))
    }

    func loadUInt64(at address: UInt32) throws -> UInt64 {
        try check(address, 8)
        return try memory.load(Int(address))
    }

    func storeUInt8(_ value: UInt8, at address: UInt32) throws {
        try check(address, 1)
        try memory.store(value, at: Int(address))
    }

    func storeUInt16(_ value: UInt16, at address: UInt32) throws {
        try check(address, 2)
        try memory.store(value, at: Int(address))
    }

    func storeUInt32(_ value: UInt32, at address: UInt32) throws {
        try check(address, 4)
        try memory.store(value, at: Int(address))
    }

    func storeUInt64(_ value: UInt64, at address: UInt32) throws {
        try check(address, 8)
        try memory.store(value, at: Int(address))
    }

    /// Reads an `iovec`/`ciovec` array: (pointer, length) pairs, each checked to lie in memory.
    func ioVectors(at address: UInt32, count: UInt32) throws -> [(base: UInt32, length: UInt32)] {
        // IOV_MAX on Linux; more would need splitting the host call.
        guard count <= 1024 else { throw WASIErrno.inval }
        try check(address, count &* 8)
        var vectors: [(base: UInt32, length: UInt32)] = []
        vectors.reserveCapacity(Int(count))
        for i in 0..<count {
            let entry = address &+ i &* 8
            let vector = (base: try loadUInt32(at: entry), length: try loadUInt32(at: entry &+ 4))
            try check(vector.base, vector.length)
            vectors.append(vector)
        }
        return vectors
    }
}
