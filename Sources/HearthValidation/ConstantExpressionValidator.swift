import HearthBinary

/// Validation of constant expressions (global initializers, segment offsets, element items):
/// only constants, `ref.null`, `ref.func`, `global.get` of a visible immutable global and, in
/// 3.0 (extended constant expressions), integer `add`/`sub`/`mul`; the result must be one value
/// of the expected type.
enum ConstantExpressionValidator {
    static func validate(_ expression: ConstantExpression, type expected: OperandType,
                         visibleGlobals: Int, in c: ModuleContext) throws(ValidationError) {
        let at = expression.offset
        var stack: [OperandType] = []
        func pop(_ t: OperandType, _ stack: inout [OperandType]) throws(ValidationError) {
            guard let top = stack.popLast(), c.isSubtype(top, t) else { throw ValidationError("type mismatch", at: at) }
        }
        for instruction in expression.instructions {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .simd(.constant): stack.append(.v128)
            case .refNull(let heap):
                try c.check(heap, at: at)
                stack.append(OperandType(ReferenceType(isNullable: true, heapType: heap)))
            case .refFunc(let index):
                guard Int(index) < c.functionTypes.count else { throw ValidationError("unknown function \(index)", at: at) }
                stack.append(c.features.version == .wasm3
                    ? .reference(nullable: false, heap: OperandType.Heap.firstConcrete + c.functionTypes[Int(index)])
                    : .funcref)
            case .globalGet(let index):
                guard Int(index) < visibleGlobals else { throw ValidationError("unknown global \(index)", at: at) }
                let global = c.globals[Int(index)]
                guard !global.isMutable else { throw ValidationError("constant expression required", at: at) }
                stack.append(OperandType(global.valueType))
            case .numeric(let op) where c.features.version == .wasm3 && isExtendedConstant(op):
                let t: OperandType = op.rawValue < NumericOperator.i64Add.rawValue ? .i32 : .i64
                try pop(t, &stack)
                try pop(t, &stack)
                stack.append(t)
            default:
                throw ValidationError("constant expression required", at: at)
            }
        }
        guard stack.count == 1, c.isSubtype(stack[0], expected) else { throw ValidationError("type mismatch", at: at) }
    }

    private static func isExtendedConstant(_ op: NumericOperator) -> Bool {
        switch op {
        case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul: return true
        default: return false
        }
    }
}
