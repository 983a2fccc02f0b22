import HearthRuntime

/// The byte-exchange conventions of the bridge's host imports, for other layers that define
/// imports of their own (e.g. the objects layer's `hearth` storage module): arguments arrive as
/// (pointer, length) pairs of i32s, and answers go back as a block allocated with the calling
/// guest's `malloc` — a little-endian u32 byte count, then the bytes — which the guest frees.
public enum HostBuffers {
    /// The bytes of the (pointer, length) pair of arguments `index` and `index + 1` of `frame`,
    /// range-checked against the caller's memory.
    public static func read(_ caller: Caller, _ frame: HostCallFrame, at index: Int, import name: String) throws -> [UInt8] {
        try EnvironmentImports.guestBytes(caller, pointer: frame.i32(index), length: frame.i32(index + 1), import: name)
    }

    /// Copies `bytes` into a length-prefixed block from the caller's `malloc`; 0 if it failed.
    public static func copyIntoGuest(_ bytes: [UInt8], _ caller: Caller) throws -> UInt32 {
        try EnvironmentImports.copyIntoGuest(bytes, caller)
    }
}
