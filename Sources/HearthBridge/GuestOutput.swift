import HearthRuntime

/// How an export hands a byte buffer back to the host. Guests use different conventions; these
/// are the common malloc-based ones.
public enum GuestOutput {
    /// No buffer: the result values are ignored and no bytes come back.
    case none
    /// The export returns a pointer; the length comes from `lengthExport(pointer)` and the buffer
    /// is released with `freeExport(pointer)` (the bridge ABI's `get_result_length`/`free_result`).
    case pointerWithLengthExport(lengthExport: String, freeExport: String?)
    /// The export returns a pointer to a little-endian u32 length followed by the bytes; the
    /// block is released with `freeExport(pointer)` if given.
    case lengthPrefixed(freeExport: String?)
    /// The export returns one i64: pointer in the high 32 bits, length in the low 32 bits
    /// (a common Rust convention); released with `freeExport(pointer, length)` if given.
    case packedPointerLength(freeExport: String?)

    func collect(_ results: [Value], from guest: GuestInstance, export: String) throws -> [UInt8] {
        switch self {
        case .none:
            return []
        case .pointerWithLengthExport(let lengthExport, let freeExport):
            let pointer = try Self.i32(results, export)
            let rawLength = try guest.callI32(lengthExport, [pointer], parameterCount: 1)
            defer { if let freeExport { _ = try? guest.callI32(freeExport, [pointer], parameterCount: 1, hasResult: false) } }
            return try guest.read(pointer: pointer, length: Int64(Int32(bitPattern: rawLength)), export: export)
        case .lengthPrefixed(let freeExport):
            let pointer = try Self.i32(results, export)
            defer { if let freeExport { _ = try? guest.callI32(freeExport, [pointer], parameterCount: 1, hasResult: false) } }
            let header = try guest.read(pointer: pointer, length: 4, export: export)
            let length = header.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return try guest.read(pointer: pointer &+ 4, length: Int64(length), export: export)
        case .packedPointerLength(let freeExport):
            guard case .i64(let packed)? = results.first, results.count == 1 else {
                throw BridgeError.missingExport(name: export, expected: "a function returning one i64")
            }
            let pointer = UInt32(truncatingIfNeeded: packed >> 32), length = UInt32(truncatingIfNeeded: packed)
            defer {
                if let freeExport { _ = try? guest.callI32(freeExport, [pointer, length], parameterCount: 2, hasResult: false) }
            }
            return try guest.read(pointer: pointer, length: Int64(length), export: export)
        }
    }

    private static func i32(_ results: [Value], _ export: String) throws -> UInt32 {
        guard case .i32(let pointer)? = results.first, results.count == 1 else {
            throw BridgeError.missingExport(name: export, expected: "a function returning one i32 pointer")
        }
        return pointer
    }
}
