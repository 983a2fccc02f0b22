/// Which edition of the WebAssembly rules a module is decoded and validated against.
///
/// The 2.0 and 3.0 testsuites disagree on a few cases (3.0 lets constant expressions read any
/// earlier immutable global), so the version is a real switch, not just a list of proposals.
public struct FeatureSet: Hashable, Sendable {
    /// An edition of the WebAssembly specification: 2.0 or 3.0.
    public enum Version: Hashable, Sendable { case wasm2, wasm3 }

    /// Which edition's rules apply; 3.0 adds its opcodes (tail calls, GC, exceptions, atomics...).
    public var version: Version
    /// Fixed-width SIMD (`v128`, the 0xFD prefix).
    public var simd: Bool
    /// More than one memory in a module (3.0's multi-memory; off in 2.0).
    public var multipleMemories: Bool
    /// More than one table in a module (2.0's reference types). Off only to emulate a Wasm 1.0
    /// module shape, as the threads proposal's scripts expect.
    public var multipleTables: Bool
    /// 64-bit memories and tables, and with them the 3.0 text format's u64 limits and offsets
    /// (off in 2.0; off in 3.0 to run scripts written before memory64, like the threads ones).
    public var memory64: Bool
    /// The custom-page-sizes proposal (a memory of 1-byte pages); not part of 3.0, so off
    /// unless asked for (`--features 3.0,custom-page-sizes`).
    public var customPageSizes = false

    /// The rules of `version`, with or without SIMD; multi-memory and memory64 follow the
    /// version, multiple tables are on and custom page sizes off.
    public init(version: Version, simd: Bool) {
        self.version = version
        self.simd = simd
        multipleMemories = version == .wasm3
        multipleTables = true
        memory64 = version == .wasm3
    }

    /// WebAssembly 2.0, fixed-width SIMD included.
    public static let wasm2 = FeatureSet(version: .wasm2, simd: true)
    /// WebAssembly 3.0, fixed-width SIMD included (the same as `default`).
    public static let wasm3 = FeatureSet(version: .wasm3, simd: true)
    /// The current standard (WebAssembly 3.0, 2025).
    public static let `default` = wasm3
}
