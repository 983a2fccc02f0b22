// Exact Wasm float semantics the numeric instructions (generated: NumericHandlers.swift) use.

/// Wasm `min`: NaN if either operand is NaN, and -0 is smaller than +0.
@inline(__always)
func wasmMin<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b } // an arithmetic (quiet) NaN
    if a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}

/// Wasm `max`: NaN if either operand is NaN, and +0 is larger than -0.
@inline(__always)
func wasmMax<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
    if a.isNaN || b.isNaN { return a + b }
    if a == b { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

// Saturating truncations (every f32 is exactly a Double, so one set serves both widths).
@inline(__always) func saturateI32S(_ x: Double) -> UInt32 {
    if x.isNaN { return 0 }
    if x <= -2147483648.0 { return UInt32(bitPattern: Int32.min) }
    if x >= 2147483648.0 { return UInt32(bitPattern: Int32.max) }
    return UInt32(bitPattern: Int32(x))
}
@inline(__always) func saturateI32U(_ x: Double) -> UInt32 {
    if x.isNaN || x <= 0 { return 0 }
    if x >= 4294967296.0 { return UInt32.max }
    return UInt32(x)
}
@inline(__always) func saturateI64S(_ x: Double) -> UInt64 {
    if x.isNaN { return 0 }
    if x <= -9223372036854775808.0 { return UInt64(bitPattern: Int64.min) }
    if x >= 9223372036854775808.0 { return UInt64(bitPattern: Int64.max) }
    return UInt64(bitPattern: Int64(x))
}
@inline(__always) func saturateI64U(_ x: Double) -> UInt64 {
    if x.isNaN || x <= 0 { return 0 }
    if x >= 18446744073709551616.0 { return UInt64.max }
    return UInt64(x)
}
