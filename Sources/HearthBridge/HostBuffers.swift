import HearthRuntime

/// The byte-exchange conventions of the bridge's host imports, for other layers that define
/// imports of their own (e.g. the objects layer's `hearth` storage module): arguments arrive as
/// (pointer, length) pairs of i32s, and answers go back as a block allocated with the calling
/// guest's `malloc` — a little-endian u32 byte count, then the bytes — which the guest frees.
public enum HostBuffers {
    /// The bytes of the (pointer, length) pair of arguments `index` and `index + 1` of `frame`,
    /// range-checked against the caller's memory.
    public static func read(_ caller: borrowing Caller, _ frame: HostCallFrame, at index: Int, import name: String) throws -> [UInt8] {
        let (pointer, length) = (frame.i32(index), frame.i32(index + 1))
        guard let memory = caller.memory else {
            throw BridgeError.hostFailure(export: name, message: "the caller has no memory")
        }
        guard UInt64(pointer) + UInt64(length) <= UInt64(memory.byteCount) else {
            throw BridgeError.badGuestBuffer(export: name, pointer: pointer, length: Int64(length), memorySize: memory.byteCount)
        }
        return try memory.read(Int(pointer), count: Int(length))
    }

    /// Copies `bytes` into a length-prefixed block from the caller's `malloc` (a re-entrant
    /// call); 0 if it failed.
    public static func copyIntoGuest(_ bytes: [UInt8], _ caller: borrowing Caller) throws -> UInt32 {
        guard let malloc = caller.instance?.function("malloc"), let memory = caller.memory else {
            throw BridgeError.missingExport(name: "malloc", expected: "a function (i32) -> (i32), needed by js_fetch")
        }
        guard case .i32(let pointer)? = try malloc.invoke([.i32(UInt32(4 + bytes.count))]).first else {
            throw BridgeError.missingExport(name: "malloc", expected: "a function (i32) -> (i32)")
        }
        if pointer == 0 { return 0 }
        guard UInt64(pointer) + UInt64(4 + bytes.count) <= UInt64(memory.byteCount) else {
            throw BridgeError.badGuestBuffer(export: "malloc", pointer: pointer, length: Int64(4 + bytes.count), memorySize: memory.byteCount)
        }
        try memory.store(UInt32(bytes.count), at: Int(pointer))
        try memory.write(bytes, at: Int(pointer) + 4)
        return pointer
    }
}
