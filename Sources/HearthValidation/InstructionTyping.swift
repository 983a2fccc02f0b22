import HearthBinary

/// The typing rule of every instruction (spec 3.3), in terms of the operand and control stacks.
extension FunctionValidator {
    mutating func validate(_ instruction: Instruction) throws(HearthError) {
        switch instruction {
        // Control
        case .unreachable: markUnreachable()
        case .nop: break
        case .block(let type): try pushControl(.block, type)
        case .loop(let type): try pushControl(.loop, type)
        case .if(let type):
            try checkBlockType(type)
            try pop(.i32)
            try pushControl(.if, type)
        case .else: try elseRule()
        case .end: try endRule()
        case .br(let depth): try br(depth)
        case .brIf(let depth): try brIf(depth)
        case .brTable(let table):
            let defaultTypes = try branchTableStart(defaultTarget: table.defaultTarget)
            for target in table.targets { try branchTableTarget(target, arity: defaultTypes.count) }
            try branchTableFinish(defaultTypes)
        case .return: try returnRule()
        case .call(let index): try call(index)
        case .callIndirect(let typeIndex, let table): try callIndirect(typeIndex: typeIndex, table: table, tail: false)
        case .returnCall(let index): try returnCall(index)
        case .returnCallIndirect(let typeIndex, let table): try callIndirect(typeIndex: typeIndex, table: table, tail: true)
        case .callRef(let typeIndex): try callRef(typeIndex, tail: false)
        case .returnCallRef(let typeIndex): try callRef(typeIndex, tail: true)
        case .brOnNull(let depth): try brOnNull(depth)
        case .brOnNonNull(let depth): try brOnNonNull(depth)

        // Parametric
        case .drop: _ = try pop()
        case .select: try select()
        case .typedSelect(let types):
            guard types.count == 1 else { throw error("invalid result arity") }
            try c.check(types[0], at: offset)
            let t = OperandType(types[0])
            try pop(.i32)
            try pop(t)
            try pop(t)
            push(t)

        // Variables
        case .localGet(let index): try localGet(index)
        case .localSet(let index): try localSet(index)
        case .localTee(let index): try localTee(index)
        case .globalGet(let index): push(try global(index).type)
        case .globalSet(let index): try globalSet(index)

        // Tables
        case .tableGet(let index):
            let table = try table(index)
            try pop(c.addressType(table.limits))
            push(OperandType(table.elementType))
        case .tableSet(let index):
            let table = try table(index)
            try pop(OperandType(table.elementType))
            try pop(c.addressType(table.limits))
        case .tableInit(let element, let index):
            let table = try table(index)
            let segmentType = try elementSegment(element)
            guard c.isSubtype(.ref(segmentType), .ref(table.elementType)) else { throw error("type mismatch") }
            try pop(.i32)
            try pop(.i32)
            try pop(c.addressType(table.limits))
        case .elemDrop(let element): _ = try elementSegment(element)
        case .tableCopy(let destination, let source):
            let d = try table(destination)
            let s = try table(source)
            guard c.isSubtype(.ref(s.elementType), .ref(d.elementType)) else { throw error("type mismatch") }
            // With 64-bit tables the length is i32 unless both tables are 64-bit.
            let dt = c.addressType(d.limits), st = c.addressType(s.limits)
            try pop(dt == .i64 && st == .i64 ? .i64 : .i32)
            try pop(st)
            try pop(dt)
        case .tableGrow(let index):
            let table = try table(index)
            let at = c.addressType(table.limits)
            try pop(at)
            try pop(OperandType(table.elementType))
            push(at)
        case .tableSize(let index): push(c.addressType(try table(index).limits))
        case .tableFill(let index):
            let table = try table(index)
            let at = c.addressType(table.limits)
            try pop(at)
            try pop(OperandType(table.elementType))
            try pop(at)

        // Memory
        case .load(let op, let argument):
            try load(memoryAccessTypes[op], alignLog2: argument.alignLog2, memory: argument.memory, offset: argument.offset)
        case .store(let op, let argument):
            try store(memoryAccessTypes[op], alignLog2: argument.alignLog2, memory: argument.memory, offset: argument.offset)
        case .memorySize(let index): push(try memoryAddressType(index))
        case .memoryGrow(let index): try memoryGrow(index)
        case .memoryInit(let data, let index):
            let at = try memoryAddressType(index)
            try dataSegment(data)
            try pop(.i32)
            try pop(.i32)
            try pop(at)
        case .dataDrop(let data): try dataSegment(data)
        case .memoryCopy(let destination, let source):
            let dt = try memoryAddressType(destination)
            let st = try memoryAddressType(source)
            try pop(dt == .i64 && st == .i64 ? .i64 : .i32)
            try pop(st)
            try pop(dt)
        case .memoryFill(let index):
            let at = try memoryAddressType(index)
            try pop(at)
            try pop(.i32)
            try pop(at)

        // Constants and numeric
        case .i32Const: push(.i32)
        case .i64Const: push(.i64)
        case .f32Const: push(.f32)
        case .f64Const: push(.f64)
        case .numeric(let op): try numeric(numericSignatures[op])

        // References
        case .refNull(let heap):
            try c.check(heap, at: offset)
            push(OperandType(ReferenceType(isNullable: true, heapType: heap)))
        case .refIsNull: try refIsNull()
        case .refFunc(let index): try refFunc(index)
        case .refAsNonNull: push(try popReference().withNullable(false))

        // Vector
        case .simd(let vector): try simd(vector)
        case .atomic(let atomic): try self.atomic(atomic)
        case .gc(let gc): try self.gc(gc)
        case .refEq: try refEq()
        case .wideArithmetic(let op):
            for _ in 0..<op.operandCount { try pop(.i64) }
            push(.i64)
            push(.i64)
        case .exception(let exception): try self.exception(exception)
        }
    }

    // MARK: Rules shared with the fast path (FastPath.swift)

    mutating func elseRule() throws(HearthError) {
        guard frames.last.kind == .if else { throw error("END opcode expected") }
        let frame = try popControl()
        enter(.else, typesStart: frame.typesStart, parameterCount: frame.parameterCount,
              resultCount: frame.resultCount)
    }

    @inline(__always)
    mutating func endRule() throws(HearthError) {
        let frame = try popControl()
        // An `if` without `else` has an implicit empty else, which must produce its results.
        if frame.kind == .if && !labelTypes.elementsEqual(frame.parameters, frame.results) {
            try implicitElse(frame)
        }
        push(types: frame.results)
        labelTypes.truncate(to: frame.typesStart)
    }

    @inline(__always)
    mutating func br(_ depth: UInt32) throws(HearthError) {
        try pop(types: try label(depth).labelTypes)
        markUnreachable()
    }

    @inline(__always)
    mutating func brIf(_ depth: UInt32) throws(HearthError) {
        try pop(.i32)
        let types = try label(depth).labelTypes
        try pop(types: types)
        push(types: types)
    }

    mutating func returnRule() throws(HearthError) {
        try pop(types: frames[0].results)
        markUnreachable()
    }

    @inline(__always)
    mutating func call(_ index: UInt32) throws(HearthError) {
        guard Int(index) < c.functionTypes.count else { throw error("unknown function \(index)") }
        try call(c.functionSignature(Int(index)))
    }

    /// `call_indirect` / `return_call_indirect`: the arguments, then the table index.
    mutating func callIndirect(typeIndex: UInt32, table: UInt32, tail: Bool) throws(HearthError) {
        try checkFunctionTable(table)
        let signature = try c.functionTypeIndex(typeIndex, at: offset)
        try pop(c.addressType(c.tables[Int(table)].limits))
        if tail { try tailCall(signature) } else { try call(signature) }
    }

    /// `return_call`: like `call` followed by `return`, so the callee's results must be this
    /// function's results.
    mutating func returnCall(_ index: UInt32) throws(HearthError) {
        guard Int(index) < c.functionTypes.count else { throw error("unknown function \(index)") }
        try tailCall(c.functionSignature(Int(index)))
    }

    mutating func tailCall(_ signature: SignatureTable.Span) throws(HearthError) {
        let returns = frames[0].results
        guard signature.resultCount == returns.count else { throw error("type mismatch") }
        for (k, i) in signature.results.enumerated()
            where !c.isSubtype(c.signatures.pool[i], labelTypes[returns.lowerBound + k]) {
            throw error("type mismatch")
        }
        var i = signature.parameters.upperBound
        while i > signature.start {
            i -= 1
            try pop(c.signatures.pool[i])
        }
        markUnreachable()
    }

    mutating func select() throws(HearthError) {
        try pop(.i32)
        let t1 = try pop()
        let t2 = try pop()
        // Untyped select is for numeric (and vector) operands only.
        let bothNumeric = (t1.isNumeric || t1 == .unknown) && (t2.isNumeric || t2 == .unknown)
        let bothVector = (t1 == .v128 || t1 == .unknown) && (t2 == .v128 || t2 == .unknown)
        guard bothNumeric || bothVector else { throw error("type mismatch") }
        guard t1 == t2 || t1 == .unknown || t2 == .unknown else { throw error("type mismatch") }
        push(t1 == .unknown ? t2 : t1)
    }

    @inline(__always)
    mutating func localTee(_ index: UInt32) throws(HearthError) {
        let t = try local(index)
        try pop(t)
        push(t)
        markSet(index)
    }

    mutating func globalSet(_ index: UInt32) throws(HearthError) {
        let global = try global(index)
        // The 2.0 and 3.0 testsuites word this differently.
        guard global.isMutable else { throw error(isWasm3 ? "immutable global" : "global is immutable") }
        try pop(global.type)
    }

    @inline(__always)
    mutating func load(_ access: MemoryAccessTypes.Entry, alignLog2: UInt32, memory: UInt32,
                       offset: UInt64 = 0) throws(HearthError) {
        let at = try memoryAccess(access, alignLog2: alignLog2, memory: memory)
        try checkOffset(offset, addressType: at)
        try pop(at)
        push(access.value)
    }

    @inline(__always)
    mutating func store(_ access: MemoryAccessTypes.Entry, alignLog2: UInt32, memory: UInt32,
                        offset: UInt64 = 0) throws(HearthError) {
        let at = try memoryAccess(access, alignLog2: alignLog2, memory: memory)
        try checkOffset(offset, addressType: at)
        try pop(access.value)
        try pop(at)
    }

    mutating func memoryGrow(_ index: UInt32) throws(HearthError) {
        let at = try memoryAddressType(index)
        try pop(at)
        push(at)
    }

    @inline(__always)
    mutating func numeric(_ signature: NumericSignatures.Entry) throws(HearthError) {
        if let second = signature.second { try pop(second) }
        try pop(signature.first)
        push(signature.result)
    }

    mutating func refIsNull() throws(HearthError) {
        _ = try popReference()
        push(.i32)
    }

    mutating func refFunc(_ index: UInt32) throws(HearthError) {
        guard Int(index) < c.functionTypes.count else { throw error("unknown function \(index)") }
        guard c.declaredFunctions[Int(index)] else { throw error("undeclared function reference") }
        // 3.0: a non-null reference to the function's own type.
        push(isWasm3 ? .reference(nullable: false, heap: OperandType.Heap.firstConcrete + c.functionTypes[Int(index)])
                     : .funcref)
    }

    // MARK: Typed function references (3.0)

    /// A block type names only defined types (checked before the operands, as the spec does).
    mutating func checkBlockType(_ type: BlockType) throws(HearthError) {
        switch type {
        case .empty: break
        case .value(let t): try c.check(t, at: offset)
        case .typeIndex(let index): _ = try c.functionTypeIndex(index, at: offset)
        }
    }

    @inline(__always)
    mutating func localGet(_ index: UInt32) throws(HearthError) {
        let t = try local(index)
        if _slowPath(!localIsSet[Int(index)]) { throw error("uninitialized local \(index)") }
        push(t)
    }

    @inline(__always)
    mutating func localSet(_ index: UInt32) throws(HearthError) {
        try pop(try local(index))
        markSet(index)
    }

    @inline(__always)
    mutating func markSet(_ index: UInt32) {
        if _slowPath(!localIsSet[Int(index)]) {
            localIsSet[Int(index)] = true
            initializedLocals.append(Int(index))
        }
    }

    /// `if` without `else`: the parameters must match the results, as an empty else branch
    /// passes them through.
    private mutating func implicitElse(_ frame: ControlFrame) throws(HearthError) {
        guard frame.parameterCount == frame.resultCount else { throw error("type mismatch") }
        for k in 0..<frame.parameterCount
            where !c.isSubtype(labelTypes[frame.parameters.lowerBound + k], labelTypes[frame.results.lowerBound + k]) {
            throw error("type mismatch")
        }
    }

    /// `call_indirect` needs a table of (nullable) function references.
    private mutating func checkFunctionTable(_ table: UInt32) throws(HearthError) {
        guard Int(table) < c.tables.count else { throw error("unknown table \(table)") }
        guard c.isSubtype(.ref(c.tables[Int(table)].elementType), .funcref) else { throw error("type mismatch") }
    }

    /// `call_ref $t` / `return_call_ref $t`: the arguments, then a `(ref null $t)`.
    mutating func callRef(_ typeIndex: UInt32, tail: Bool) throws(HearthError) {
        let signature = try c.functionTypeIndex(typeIndex, at: offset)
        try pop(.reference(nullable: true, heap: OperandType.Heap.firstConcrete + typeIndex))
        if tail { try tailCall(signature) } else { try call(signature) }
    }

    /// `br_on_null l`: branches (dropping the null) with the label's values; otherwise the
    /// reference stays, known to be non-null.
    mutating func brOnNull(_ depth: UInt32) throws(HearthError) {
        let t = try popReference()
        let types = try label(depth).labelTypes
        try pop(types: types)
        push(types: types)
        push(t.withNullable(false))
    }

    /// `br_on_non_null l`: the label's last value is the non-null reference; on null the rest
    /// of the label's values stay and the reference is dropped.
    mutating func brOnNonNull(_ depth: UInt32) throws(HearthError) {
        let t = try popReference()
        let types = try label(depth).labelTypes
        guard types.count >= 1 else { throw error("type mismatch") }
        push(t.withNullable(false))
        try pop(types: types)
        push(types: types.lowerBound..<(types.upperBound - 1))
    }

    // MARK: Helpers
    // They are `mutating` although they only read: calling a non-mutating method from a
    // mutating one made the compiler copy the whole validator first, on every instruction.

    @inline(__always)
    mutating func call(_ signature: SignatureTable.Span) throws(HearthError) {
        var i = signature.parameters.upperBound
        while i > signature.start {
            i -= 1
            try pop(c.signatures.pool[i])
        }
        for i in signature.results { push(c.signatures.pool[i]) }
    }

    // `br_table` in three steps, so the fast path can feed it targets straight from the bytes:
    // every target must carry as many values as the default one, each typed against the
    // operands (which may be of unknown type in unreachable code).

    /// Pops the index operand; returns the default target's label types.
    mutating func branchTableStart(defaultTarget: UInt32) throws(HearthError) -> Range<Int> {
        try pop(.i32)
        return try label(defaultTarget).labelTypes
    }

    mutating func branchTableTarget(_ target: UInt32, arity: Int) throws(HearthError) {
        let types = try label(target).labelTypes
        guard types.count == arity else { throw error("type mismatch") }
        scratch.truncate(to: 0)
        var i = types.upperBound
        while i > types.lowerBound {
            i -= 1
            scratch.append(try pop(labelTypes[i]))
        }
        var j = scratch.count
        while j > 0 {
            j -= 1
            push(scratch[j])
        }
    }

    mutating func branchTableFinish(_ defaultTypes: Range<Int>) throws(HearthError) {
        try pop(types: defaultTypes)
        markUnreachable()
    }

    @inline(__always)
    mutating func local(_ index: UInt32) throws(HearthError) -> OperandType {
        guard Int(index) < locals.count else { throw error("unknown local \(index)") }
        return locals[Int(index)]
    }

    @inline(__always)
    mutating func global(_ index: UInt32) throws(HearthError) -> GlobalSlot {
        guard Int(index) < globals.count else { throw error("unknown global \(index)") }
        return globals[Int(index)]
    }

    private mutating func table(_ index: UInt32) throws(HearthError) -> TableType {
        guard Int(index) < c.tables.count else { throw error("unknown table \(index)") }
        return c.tables[Int(index)]
    }

    private mutating func elementSegment(_ index: UInt32) throws(HearthError) -> ReferenceType {
        guard Int(index) < c.elementTypes.count else { throw error("unknown elem segment \(index)") }
        return c.elementTypes[Int(index)]
    }

    /// `memory.init` / `data.drop` need the data count section (so that a single pass over the
    /// code can check the index before the data section is seen).
    mutating func dataSegment(_ index: UInt32) throws(HearthError) {
        // Without the section, a module with no data segments at all (as the text format
        // produces) just has an unknown segment; one with segments is malformed.
        guard let count = c.dataCount ?? (c.module.data.isEmpty ? 0 : nil) else {
            throw error("data count section required")
        }
        guard index < count else { throw error("unknown data segment \(index)") }
    }

    @inline(__always)
    mutating func memoryAddressType(_ index: UInt32) throws(HearthError) -> OperandType {
        guard Int(index) < memoryAddressTypes.count else { throw error("unknown memory \(index)") }
        return memoryAddressTypes[Int(index)]
    }

    /// 3.0 decodes offsets as u64; a 32-bit memory's must fit in 32 bits (the interpreter
    /// relies on it: a larger one could wrap the address below the memory).
    @inline(__always)
    mutating func checkOffset(_ offset: UInt64, addressType: OperandType) throws(HearthError) {
        if _slowPath(offset > UInt64(UInt32.max)) && addressType == .i32 { throw error("offset out of range") }
    }

    @inline(__always)

    private mutating func memoryAccess(_ access: MemoryAccessTypes.Entry, alignLog2: UInt32, memory: UInt32) throws(HearthError) -> OperandType {
        let at = try memoryAddressType(memory)
        guard alignLog2 <= access.maxAlignLog2 else {
            throw error("alignment must not be larger than natural")
        }
        return at
    }
}
