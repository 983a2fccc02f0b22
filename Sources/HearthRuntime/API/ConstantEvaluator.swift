import HearthBinary

/// Evaluates constant expressions (global initializers, segment offsets, element items) to
/// slot words. Covers Wasm 2.0 plus the extended-constant arithmetic and the GC allocations of
/// Wasm 3.0 (which never collect: the values in flight here are not roots).
struct ConstantEvaluator {
    var globals: [GlobalEntity]
    var functions: [FunctionEntity]
    var heap: GCHeap
    /// The registered type of each of the module's types.
    var runtimeTypes: [UnsafeMutablePointer<RuntimeType>]

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
                default: throw HearthError.trap(.hostError, "unsupported: \(op.textName) in a constant expression")
                }
            case .gc(let gc):
                var values = Values(stack: stack, highs: highs)
                try evaluate(gc, &values)
                stack = values.stack
                highs = values.highs
            case .end: break
            default: throw HearthError.trap(.hostError, "unsupported: \(instruction) in a constant expression")
            }
        }
        while highs.count < stack.count { highs.append(0) }
        highs.removeLast(highs.count - stack.count)
        return (stack.last ?? 0, highs.last ?? 0)
    }

    /// The evaluation stack: low words, and high words (only `v128`s set them).
    private struct Values {
        var stack: [UInt64]
        var highs: [UInt64]

        mutating func pop() -> (UInt64, UInt64) {
            while highs.count < stack.count { highs.append(0) }
            highs.removeLast(highs.count - stack.count)
            return (stack.removeLast(), highs.removeLast())
        }

        mutating func push(_ word: UInt64) {
            while highs.count < stack.count { highs.append(0) }
            highs.removeLast(highs.count - stack.count)
            stack.append(word)
            highs.append(0)
        }
    }

    private func evaluate(_ gc: GCInstruction, _ values: inout Values) throws {
        switch gc {
        case .structNew(let x), .structNewDefault(let x):
            let type = runtimeTypes[Int(x)]
            guard heap.fits(payloadBytes: type.pointee.payloadBytes) else { throw HearthError.trap(.gcHeapExhausted) }
            let object = heap.allocate(type, payloadBytes: type.pointee.payloadBytes, length: 0)
            if case .structNew = gc {
                for f in (0..<type.pointee.fieldCount).reversed() {
                    let (low, high) = values.pop()
                    let field = type.pointee.fields[f]
                    field.kind.store(low, high, at: object + ObjectLayout.headerBytes + Int(field.offset))
                }
            }
            values.push(UInt64(UInt(bitPattern: object)))
        case .arrayNew(let x), .arrayNewDefault(let x), .arrayNewFixed(let x, _):
            let type = runtimeTypes[Int(x)]
            let kind = type.pointee.fields[0].kind
            // The count and the one value `array.new` repeats, or `array.new_fixed`'s values; no
            // temporary per element, which for a 1 GiB i8 array would be 16 GiB of host memory.
            var count = 0, fill: (UInt64, UInt64)?, fixed: [(UInt64, UInt64)] = []
            switch gc {
            case .arrayNew:
                count = Int(UInt32(truncatingIfNeeded: values.pop().0))
                fill = values.pop()
            case .arrayNewDefault:
                count = Int(UInt32(truncatingIfNeeded: values.pop().0))
            case .arrayNewFixed(_, let n):
                fixed = (0..<n).map { _ in values.pop() }.reversed()
                count = fixed.count
            default: break
            }
            guard count * kind.size <= maxObjectBytes else { throw HearthError.trap(.allocationTooLarge) }
            guard heap.fits(payloadBytes: count * kind.size) else { throw HearthError.trap(.gcHeapExhausted) }
            let object = heap.allocate(type, payloadBytes: count * kind.size, length: UInt32(count))
            let elements = object + ObjectLayout.headerBytes
            if let (low, high) = fill, low != 0 || high != 0 {  // the object comes zeroed
                for i in 0..<count { kind.store(low, high, at: elements + i * kind.size) }
            }
            for (i, (low, high)) in fixed.enumerated() { kind.store(low, high, at: elements + i * kind.size) }
            values.push(UInt64(UInt(bitPattern: object)))
        case .refI31:
            let v = UInt32(truncatingIfNeeded: values.pop().0)
            values.push(UInt64(v & 0x7FFF_FFFF) << 1 | 1)
        case .anyConvertExtern, .externConvertAny:
            break
        default:
            throw HearthError.trap(.hostError, "unsupported: \(gc) in a constant expression")
        }
    }
}
