import HearthBinary

/// Evaluates constant expressions (global initializers, segment offsets, element items) to
/// slot words. Covers Wasm 2.0 plus the extended-constant arithmetic of Wasm 3.0.
struct ConstantEvaluator {
    var globals: [GlobalEntity]
    var functions: [FunctionEntity]

    func evaluate(_ expression: ConstantExpression) throws -> UInt64 {
        try evaluateWords(expression).low
    }

    /// The value's two words: a `v128` uses both, any other value only `low`.
    func evaluateWords(_ expression: ConstantExpression) throws -> (low: UInt64, high: UInt64) {
        var stack: [UInt64] = []
        // Bytes 8-15 of each entry; only vectors set them.
        var highs: [UInt64] = []
        for instruction in expression.instructions {
            while highs.count < stack.count { highs.append(0) }
            switch instruction {
            case .simd(.constant(let bits)): stack.append(bits.low); highs.append(bits.high)
            case .globalGet(let i) where globals[Int(i)].type.valueType == .v128:
                stack.append(globals[Int(i)].cell[0]); highs.append(globals[Int(i)].cell[1])
            case .i32Const(let v): stack.append(UInt64(UInt32(bitPattern: v)))
            case .i64Const(let v): stack.append(UInt64(bitPattern: v))
            case .f32Const(let v): stack.append(UInt64(v))
            case .f64Const(let v): stack.append(v)
            case .refNull: stack.append(0)
            case .refFunc(let i): stack.append(UInt64(UInt(bitPattern: functions[Int(i)].record)))
            case .globalGet(let i): stack.append(globals[Int(i)].cell.pointee)
            case .numeric(let op):
                let b = stack.removeLast(), a = stack.removeLast()
                let a32 = UInt32(truncatingIfNeeded: a), b32 = UInt32(truncatingIfNeeded: b)
                switch op {
                case .i32Add: stack.append(UInt64(a32 &+ b32))
                case .i32Sub: stack.append(UInt64(a32 &- b32))
                case .i32Mul: stack.append(UInt64(a32 &* b32))
                case .i64Add: stack.append(a &+ b)
                case .i64Sub: stack.append(a &- b)
                case .i64Mul: stack.append(a &* b)
                default: throw Trap(.hostError, "unsupported: \(op.textName) in a constant expression")
                }
            case .end: break
            default: throw Trap(.hostError, "unsupported: \(instruction) in a constant expression")
            }
        }
        while highs.count < stack.count { highs.append(0) }
        highs.removeLast(highs.count - stack.count)
        return (stack.last ?? 0, highs.last ?? 0)
    }
}
