import HearthBinary

/// The typing rules of the GC instructions (spec 3.0, "Aggregate Reference Instructions",
/// "Scalar Reference Instructions", casts) and of `ref.eq`.
extension FunctionValidator {
    mutating func gc(_ instruction: GCInstruction) throws(HearthError) {
        switch instruction {
        case .structNew(let x):
            let fields = try structFields(x)
            for field in fields.reversed() { try pop(OperandType(field.storage.unpacked)) }
            push(concrete(x, nullable: false))
        case .structNewDefault(let x):
            let fields = try structFields(x)
            guard fields.allSatisfy({ Self.isDefaultable($0.storage) }) else { throw error("type mismatch: field without default value") }
            push(concrete(x, nullable: false))
        case .structGet(let x, let index, let extend):
            let field = try structField(x, index)
            try checkExtension(extend, field.storage)
            try pop(concrete(x, nullable: true))
            push(OperandType(field.storage.unpacked))
        case .structSet(let x, let index):
            let field = try structField(x, index)
            guard field.isMutable else { throw error("immutable field") }
            try pop(OperandType(field.storage.unpacked))
            try pop(concrete(x, nullable: true))
        case .arrayNew(let x):
            let element = try arrayElement(x)
            try pop(.i32)
            try pop(OperandType(element.storage.unpacked))
            push(concrete(x, nullable: false))
        case .arrayNewDefault(let x):
            let element = try arrayElement(x)
            guard Self.isDefaultable(element.storage) else { throw error("type mismatch: element without default value") }
            try pop(.i32)
            push(concrete(x, nullable: false))
        case .arrayNewFixed(let x, let count):
            let element = try arrayElement(x)
            guard count <= 10_000 else { throw error("unsupported: array.new_fixed of \(count) elements (limit 10000)") }
            for _ in 0..<count { try pop(OperandType(element.storage.unpacked)) }
            push(concrete(x, nullable: false))
        case .arrayNewData(let x, let data):
            let element = try arrayElement(x)
            guard !element.storage.unpacked.isReference else { throw error("array type is not numeric or vector") }
            try dataSegment(data)
            try pop(.i32)
            try pop(.i32)
            push(concrete(x, nullable: false))
        case .arrayNewElem(let x, let segment):
            let element = try arrayElement(x)
            try checkElementSegment(segment, into: element)
            try pop(.i32)
            try pop(.i32)
            push(concrete(x, nullable: false))
        case .arrayGet(let x, let extend):
            let element = try arrayElement(x)
            try checkExtension(extend, element.storage)
            try pop(.i32)
            try pop(concrete(x, nullable: true))
            push(OperandType(element.storage.unpacked))
        case .arraySet(let x):
            let element = try mutableArrayElement(x)
            try pop(OperandType(element.storage.unpacked))
            try pop(.i32)
            try pop(concrete(x, nullable: true))
        case .arrayLen:
            try pop(.reference(nullable: true, heap: OperandType.Heap.array))
            push(.i32)
        case .arrayFill(let x):
            let element = try mutableArrayElement(x)
            try pop(.i32)
            try pop(OperandType(element.storage.unpacked))
            try pop(.i32)
            try pop(concrete(x, nullable: true))
        case .arrayCopy(let destination, let source):
            let d = try mutableArrayElement(destination)
            let s = try arrayElement(source)
            guard storageMatches(s.storage, d.storage) else { throw error("array types do not match") }
            try pop(.i32)
            try pop(.i32)
            try pop(concrete(source, nullable: true))
            try pop(.i32)
            try pop(concrete(destination, nullable: true))
        case .arrayInitData(let x, let data):
            let element = try mutableArrayElement(x)
            guard !element.storage.unpacked.isReference else { throw error("array type is not numeric or vector") }
            try dataSegment(data)
            try popArrayInit(x)
        case .arrayInitElem(let x, let segment):
            let element = try mutableArrayElement(x)
            try checkElementSegment(segment, into: element)
            try popArrayInit(x)
        case .refTest(let type):
            try castOperand(type)
            push(.i32)
        case .refCast(let type):
            try castOperand(type)
            push(OperandType(type))
        case .brOnCast(let depth, let from, let to, let fail):
            try brOnCast(depth, from: from, to: to, fail: fail)
        case .anyConvertExtern:
            let t = try popReference()
            try match(t.withNullable(true), .externref)
            push(.reference(nullable: t.isNullable, heap: OperandType.Heap.any))
        case .externConvertAny:
            let t = try popReference()
            try match(t.withNullable(true), .reference(nullable: true, heap: OperandType.Heap.any))
            push(.reference(nullable: t.isNullable, heap: OperandType.Heap.extern))
        case .refI31:
            try pop(.i32)
            push(.reference(nullable: false, heap: OperandType.Heap.i31))
        case .i31Get:
            try pop(.reference(nullable: true, heap: OperandType.Heap.i31))
            push(.i32)
        }
    }

    mutating func refEq() throws(HearthError) {
        let eqref = OperandType.reference(nullable: true, heap: OperandType.Heap.eq)
        try pop(eqref)
        try pop(eqref)
        push(.i32)
    }

    // MARK: Helpers

    private func concrete(_ x: UInt32, nullable: Bool) -> OperandType {
        .reference(nullable: nullable, heap: OperandType.Heap.firstConcrete + x)
    }

    private static func isDefaultable(_ storage: StorageType) -> Bool {
        if case .value(.ref(let r)) = storage { return r.isNullable }
        return true
    }

    private func structFields(_ x: UInt32) throws(HearthError) -> [FieldType] {
        guard Int(x) < c.types.count else { throw error("unknown type \(x)") }
        guard case .structure(let fields) = c.types[Int(x)].composite else { throw error("type mismatch: type \(x) is not a struct type") }
        return fields
    }

    private func structField(_ x: UInt32, _ index: UInt32) throws(HearthError) -> FieldType {
        let fields = try structFields(x)
        guard Int(index) < fields.count else { throw error("unknown field \(index)") }
        return fields[Int(index)]
    }

    private func arrayElement(_ x: UInt32) throws(HearthError) -> FieldType {
        guard Int(x) < c.types.count else { throw error("unknown type \(x)") }
        guard case .array(let element) = c.types[Int(x)].composite else { throw error("type mismatch: type \(x) is not an array type") }
        return element
    }

    private func mutableArrayElement(_ x: UInt32) throws(HearthError) -> FieldType {
        let element = try arrayElement(x)
        guard element.isMutable else { throw error("immutable array") }
        return element
    }

    /// `get_s`/`get_u` only for packed storage, plain `get` only for unpacked.
    private func checkExtension(_ extend: GCInstruction.Extension, _ storage: StorageType) throws(HearthError) {
        guard (extend == .none) == !storage.isPacked else { throw error("type mismatch: wrong sign extension for the field") }
    }

    /// Storage subtyping for `array.copy` (packed types only match themselves).
    private func storageMatches(_ sub: StorageType, _ sup: StorageType) -> Bool {
        switch (sub, sup) {
        case (.i8, .i8), (.i16, .i16): return true
        case (.value(let a), .value(let b)): return c.isSubtype(a, b)
        default: return false
        }
    }

    private mutating func checkElementSegment(_ segment: UInt32, into element: FieldType) throws(HearthError) {
        guard Int(segment) < c.elementTypes.count else { throw error("unknown elem segment \(segment)") }
        guard c.isSubtype(.ref(c.elementTypes[Int(segment)]), element.storage.unpacked) else { throw error("type mismatch") }
    }

    private mutating func popArrayInit(_ x: UInt32) throws(HearthError) {
        try pop(.i32)
        try pop(.i32)
        try pop(.i32)
        try pop(concrete(x, nullable: true))
    }

    /// `ref.test`/`ref.cast`: the target names defined types only and shares its hierarchy
    /// with the operand.
    private mutating func castOperand(_ type: ReferenceType) throws(HearthError) {
        try c.check(type.heapType, at: offset)
        let target = OperandType(type)
        let operand = try popReference()
        guard operand.heap == OperandType.Heap.bottom || c.relations.top(ofHeap: operand.heap) == c.relations.top(ofHeap: target.heap) else {
            throw error("type mismatch")
        }
    }

    /// `br_on_cast l rt1 rt2` branches with `rt2` and continues with `rt1 \ rt2`;
    /// `br_on_cast_fail` the other way round. `rt2` must be a subtype of `rt1`.
    private mutating func brOnCast(_ depth: UInt32, from: ReferenceType, to: ReferenceType, fail: Bool) throws(HearthError) {
        try c.check(from.heapType, at: offset)
        try c.check(to.heapType, at: offset)
        let rt1 = OperandType(from), rt2 = OperandType(to)
        guard c.isSubtype(rt2, rt1) else { throw error("type mismatch") }
        try pop(rt1)
        // rt1 minus rt2: a null can only have gone the other way when rt2 accepts null.
        let difference = rt1.withNullable(rt1.isNullable && !rt2.isNullable)
        let types = try label(depth).labelTypes
        guard types.count >= 1 else { throw error("type mismatch") }
        push(fail ? difference : rt2)
        try pop(types: types)
        push(types: types.lowerBound..<(types.upperBound - 1))
        push(fail ? rt2 : difference)
    }
}
