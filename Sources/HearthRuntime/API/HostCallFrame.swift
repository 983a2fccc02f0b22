/// The arguments and results of one call of a host function defined with
/// `Linker.defineFrameFunction(module:name:type:_:)`, read and written in place in the calling
/// Wasm code's value stack: no `[Value]` array is built for the arguments or the results, which
/// is what makes such a call cheap (WASI's functions and the bridge's imports are defined so).
///
/// Argument `i` is parameter `i` of the function's type; results are written from index 0 and
/// share the slots of the arguments, so a body reads every argument it needs before it writes a
/// result. Only numbers pass this way (the type's parameters and results are `i32`, `i64`,
/// `f32` and `f64`, one slot each). The frame is valid only during the call it was given to.
public struct HostCallFrame {
    /// The first slot of the callee's frame: parameter 0, and result 0 on return.
    let slots: UnsafeMutablePointer<UInt64>

    /// Argument `index` as an `i32` (its bits; `Int32(bitPattern:)` for the signed view).
    @inline(__always) public func i32(_ index: Int) -> UInt32 { UInt32(truncatingIfNeeded: slots[index]) }
    /// Argument `index` as an `i64` (its bits).
    @inline(__always) public func i64(_ index: Int) -> UInt64 { slots[index] }
    /// Argument `index` as an `f32`.
    @inline(__always) public func f32(_ index: Int) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: slots[index])) }
    /// Argument `index` as an `f64`.
    @inline(__always) public func f64(_ index: Int) -> Double { Double(bitPattern: slots[index]) }

    /// Sets result `index` (0 for the first) to the `i32` `value`.
    @inline(__always) public func setI32(_ value: UInt32, at index: Int = 0) { slots[index] = UInt64(value) }
    /// Sets result `index` to the `i64` `value`.
    @inline(__always) public func setI64(_ value: UInt64, at index: Int = 0) { slots[index] = value }
    /// Sets result `index` to the `f32` `value`.
    @inline(__always) public func setF32(_ value: Float, at index: Int = 0) { slots[index] = UInt64(value.bitPattern) }
    /// Sets result `index` to the `f64` `value`.
    @inline(__always) public func setF64(_ value: Double, at index: Int = 0) { slots[index] = value.bitPattern }

    /// Whether every parameter and result of `type` is a number of one slot (what a frame carries).
    static func carries(_ type: FunctionType) -> Bool {
        (type.parameters + type.results).allSatisfy { [.i32, .i64, .f32, .f64].contains($0) }
    }
}
