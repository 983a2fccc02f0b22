import HearthBinary

/// Validates function bodies with the spec's validation algorithm (appendix "Validation
/// Algorithm"): an operand stack of known or unknown types and a stack of control frames, each
/// with the height of the operand stack at its start and an `unreachable` flag that makes the
/// stack polymorphic (popping at that height yields "unknown") after a branch or `unreachable`.
///
/// All storage is reused across instructions and functions, in raw buffers (`RawStack`), so
/// validating allocates nothing per instruction. Common instructions are read straight from the
/// bytes (FastPath.swift); the rest are decoded with `CodeReader`, and both share the typing
/// rules of InstructionTyping.swift.
struct FunctionValidator {
    /// The legacy exception-handling blocks (ExceptionTyping.swift) are a `try` in its body,
    /// then in a `catch x` or `catch_all` clause.
    enum FrameKind { case function, block, loop, `if`, `else`, legacyTry, legacyCatch, legacyCatchAll }

    /// A control frame. Its parameter and result types live in `labelTypes` (parameters first),
    /// pushed and popped with the frame, so frames themselves hold no arrays.
    struct ControlFrame {
        var kind: FrameKind
        var typesStart: Int
        var parameterCount: Int
        var resultCount: Int
        /// Operand stack height when the frame was entered.
        var height: Int
        var unreachable: Bool
        /// `initializedLocals.count` when the frame was entered: locals set inside the frame
        /// count as initialized only until it ends.
        var initializedHeight: Int = 0

        var parameters: Range<Int> { typesStart..<(typesStart + parameterCount) }
        var results: Range<Int> { (typesStart + parameterCount)..<(typesStart + parameterCount + resultCount) }
        /// What a branch to this frame carries: a loop's parameters, anything else's results.
        var labelTypes: Range<Int> { kind == .loop ? parameters : results }
    }

    /// An implementation limit (the spec's is 2^32 - 1): locals are expanded to one byte each.
    static let maxLocals = 50_000

    let c: ModuleContext
    /// `c.features.version == .wasm3`, read by the fast path on every memory instruction.
    let isWasm3: Bool
    let numericSignatures = NumericSignatures.shared
    let memoryAccessTypes = MemoryAccessTypes.shared
    /// The context's per-instruction lookups, flattened into raw tables (see `RawStack`).
    let globals: RawStack<GlobalSlot>
    let memoryAddressTypes: RawStack<OperandType>

    var operands = RawStack<OperandType>(capacity: 1024)
    var frames = RawStack<ControlFrame>(capacity: 64)
    /// The innermost frame's `height` and `unreachable`, cached because every pop reads them.
    var currentHeight = 0
    var currentUnreachable = false
    var labelTypes = RawStack<OperandType>(capacity: 256)
    var locals = RawStack<OperandType>(capacity: 256)
    /// Per local: whether it may be read. Only locals of non-defaultable types (non-null
    /// references) start false; setting one makes it true until the end of the current block.
    var localIsSet = RawStack<Bool>(capacity: 256)
    /// The locals made readable by a `local.set`/`local.tee`, innermost block last.
    var initializedLocals = RawStack<Int>(capacity: 16)
    /// Scratch space for `br_table`'s "pop then push back what was popped".
    var scratch = RawStack<OperandType>()
    /// The function being validated; nil for a constant expression.
    var functionIndex: Int? = 0
    /// Offset of the instruction being validated, for error messages.
    var offset = 0

    /// A global as instructions see it.
    struct GlobalSlot {
        var type: OperandType
        var isMutable: Bool
    }

    init(context: ModuleContext) {
        c = context
        isWasm3 = context.features.version == .wasm3
        globals = RawStack(context.globals.map { GlobalSlot(type: OperandType($0.valueType), isMutable: $0.isMutable) })
        memoryAddressTypes = RawStack(context.memories.map { context.addressType($0.limits) })
    }

    func error(_ message: String) -> HearthError {
        HearthError.invalid(message, at: offset, functionIndex: functionIndex)
    }

    // MARK: Operand stack

    @inline(__always)
    mutating func push(_ type: OperandType) { operands.append(type) }

    @inline(__always)
    mutating func pop() throws(HearthError) -> OperandType {
        if operands.count == currentHeight {
            if currentUnreachable { return .unknown }
            throw error("type mismatch")
        }
        return operands.removeLast()
    }

    @inline(__always)
    @discardableResult
    mutating func pop(_ expected: OperandType) throws(HearthError) -> OperandType {
        let actual = try pop()
        if actual != expected && actual != .unknown && expected != .unknown { try match(actual, expected) }
        return actual
    }

    /// The slow path of `pop(_:)`: distinct types may still match by subtyping.
    @inline(never)
    func match(_ actual: OperandType, _ expected: OperandType) throws(HearthError) {
        guard c.isSubtype(actual, expected) else { throw error("type mismatch") }
    }

    /// Pops a reference of any type; an unknown operand reads as a null reference to the
    /// bottom heap type, which matches everything.
    mutating func popReference() throws(HearthError) -> OperandType {
        let t = try pop()
        if t == .unknown { return .reference(nullable: true, heap: OperandType.Heap.bottom) }
        guard t.isReference else { throw error("type mismatch") }
        return t
    }

    /// Pops the types in `range` of `labelTypes`, last first.
    @inline(__always)
    mutating func pop(types range: Range<Int>) throws(HearthError) {
        var i = range.upperBound
        while i > range.lowerBound {
            i -= 1
            try pop(labelTypes[i])
        }
    }

    @inline(__always)
    mutating func push(types range: Range<Int>) {
        operands.append(from: labelTypes, range)
    }

    // MARK: Control stack

    /// Enters a block of type `type`: pops its parameters, then pushes the frame and them again.
    mutating func pushControl(_ kind: FrameKind, _ type: BlockType) throws(HearthError) {
        switch type {
        case .empty: enter(kind, typesStart: labelTypes.count, parameterCount: 0, resultCount: 0)
        case .value(let t):
            try c.check(t, at: offset)
            pushControl(kind, result: OperandType(t))
        case .typeIndex(let index):
            let signature = try c.functionTypeIndex(index, at: offset)
            let start = labelTypes.count
            labelTypes.append(from: c.signatures.pool, signature.parameters)
            labelTypes.append(from: c.signatures.pool, signature.results)
            try pop(types: start..<(start + signature.parameterCount))
            enter(kind, typesStart: start, parameterCount: signature.parameterCount,
                  resultCount: signature.resultCount)
        }
    }

    /// Enters a block with no parameters and one result (nil: none), the common shapes.
    @inline(__always)
    mutating func pushControl(_ kind: FrameKind, result: OperandType?) {
        let start = labelTypes.count
        if let result { labelTypes.append(result) }
        enter(kind, typesStart: start, parameterCount: 0, resultCount: result == nil ? 0 : 1)
    }

    /// Pushes a frame at the current height and pushes its parameters (already popped).
    @inline(__always)
    mutating func enter(_ kind: FrameKind, typesStart: Int, parameterCount: Int, resultCount: Int) {
        let frame = ControlFrame(kind: kind, typesStart: typesStart, parameterCount: parameterCount,
                                 resultCount: resultCount, height: operands.count, unreachable: false,
                                 initializedHeight: initializedLocals.count)
        frames.append(frame)
        currentHeight = frame.height
        currentUnreachable = false
        if parameterCount > 0 { push(types: frame.parameters) }
    }

    /// Leaves the innermost frame: its results must be exactly what is left above its height.
    /// Its types stay in `labelTypes` for the caller, which discards them.
    @inline(__always)
    mutating func popControl() throws(HearthError) -> ControlFrame {
        let frame = frames.last
        try pop(types: frame.results)
        guard operands.count == frame.height else { throw error("type mismatch") }
        if initializedLocals.count > frame.initializedHeight { forgetInitializations(above: frame.initializedHeight) }
        frames.truncate(to: frames.count - 1)
        if !frames.isEmpty {
            let outer = frames.last
            currentHeight = outer.height
            currentUnreachable = outer.unreachable
        }
        return frame
    }

    private mutating func forgetInitializations(above height: Int) {
        while initializedLocals.count > height {
            localIsSet[initializedLocals.last] = false
            initializedLocals.truncate(to: initializedLocals.count - 1)
        }
    }

    /// The frame `depth` labels out from the innermost one.
    @inline(__always)
    mutating func label(_ depth: UInt32) throws(HearthError) -> ControlFrame {
        guard Int(depth) < frames.count else { throw error("unknown label") }
        return frames[frames.count - 1 - Int(depth)]
    }

    /// After an unconditional branch: drop the frame's operands; the rest of it is unreachable.
    mutating func markUnreachable() {
        operands.truncate(to: frames.last.height)
        frames.last.unreachable = true
        currentUnreachable = true
    }

    // MARK: Functions

    /// Validates one function body; `bytes` is the module's buffer (`c.module.bytes`).
    mutating func validate(functionIndex: Int, body: FunctionBody,
                           bytes: UnsafeBufferPointer<UInt8>) throws(HearthError) {
        self.functionIndex = functionIndex
        offset = body.code.lowerBound
        operands.truncate(to: 0)
        currentHeight = 0
        currentUnreachable = false
        frames.truncate(to: 0)
        labelTypes.truncate(to: 0)
        locals.truncate(to: 0)
        localIsSet.truncate(to: 0)
        initializedLocals.truncate(to: 0)

        let signature = c.functionSignature(functionIndex)
        self.functionIndex = functionIndex
        guard signature.parameterCount + body.localCount <= Self.maxLocals else { throw error("too many locals") }
        locals.append(from: c.signatures.pool, signature.parameters)
        localIsSet.append(true, count: signature.parameterCount)
        for group in body.locals {
            let type = OperandType(group.type)
            locals.append(type, count: Int(group.count))
            // Non-null references have no default value: they must be set before being read.
            localIsSet.append(!(type.isReference && !type.isNullable), count: Int(group.count))
        }

        labelTypes.append(from: c.signatures.pool, signature.results)
        frames.append(ControlFrame(kind: .function, typesStart: 0, parameterCount: 0,
                                   resultCount: signature.resultCount, height: 0, unreachable: false))

        let end = try validateInstructions(bytes, from: body.code.lowerBound, to: body.code.upperBound)
        // The body's size must end right after the function's final `end`.
        guard end == body.code.upperBound else {
            throw HearthError.invalid("section size mismatch", at: end, functionIndex: functionIndex)
        }
    }

    /// Validates a constant expression producing one `type` (spec 3.4.13): the instructions are
    /// typed by the same rules as in a function body, but only constant ones may appear, and
    /// `global.get` sees only the first `visibleGlobals` globals, which must be immutable.
    mutating func validateConstant(_ expression: ConstantExpression, type: OperandType,
                                   visibleGlobals: Int) throws(HearthError) {
        functionIndex = nil
        offset = expression.offset
        operands.truncate(to: 0)
        currentHeight = 0
        currentUnreachable = false
        frames.truncate(to: 0)
        labelTypes.truncate(to: 0)
        labelTypes.append(type)
        frames.append(ControlFrame(kind: .function, typesStart: 0, parameterCount: 0,
                                   resultCount: 1, height: 0, unreachable: false))
        for instruction in expression.instructions {
            try checkConstant(instruction, visibleGlobals: visibleGlobals)
            try validate(instruction)
        }
        try pop(types: frames[0].results)
        guard operands.count == 0 else { throw error("type mismatch") }
    }

    private func checkConstant(_ instruction: Instruction, visibleGlobals: Int) throws(HearthError) {
        switch instruction {
        case .i32Const, .i64Const, .f32Const, .f64Const, .simd(.constant), .refNull, .refFunc:
            return
        case .globalGet(let index):
            guard Int(index) < visibleGlobals else { throw error("unknown global \(index)") }
            guard !c.globals[Int(index)].isMutable else { throw error("constant expression required") }
        case .numeric(let op) where isWasm3:
            // Extended constant expressions: integer add, sub and mul.
            switch op {
            case .i32Add, .i32Sub, .i32Mul, .i64Add, .i64Sub, .i64Mul: return
            default: throw error("constant expression required")
            }
        case .gc(let gc) where gc.isConstant:
            return
        default:
            throw error("constant expression required")
        }
    }

    /// Validates instructions from `start` until the function's final `end` closes the last
    /// frame; returns the offset after it.
    ///
    /// Common instructions go through `fastInstruction`, which reads their bytes directly; any
    /// it declines (rare opcodes, unusual encodings, malformed bytes) are decoded by
    /// `CodeReader`, whose errors are the decoder's exact messages.
    private mutating func validateInstructions(_ bytes: UnsafeBufferPointer<UInt8>,
                                               from start: Int, to end: Int) throws(HearthError) -> Int {
        let base = bytes.baseAddress!
        var position = start
        while !frames.isEmpty {
            offset = position
            if let next = try fastInstruction(base, at: position, end: end) {
                position = next
            } else {
                position = try decodedInstruction(at: position, end: end)
            }
        }
        return position
    }

    /// Decodes the instruction at `position` with `CodeReader` and validates it; returns the
    /// offset after it.
    private mutating func decodedInstruction(at position: Int, end: Int) throws(HearthError) -> Int {
        var reader = CodeReader(bytes: c.module.bytes, range: position..<end, features: c.features)
        let instruction: Instruction
        do throws(HearthError) {
            instruction = try reader.read()
        } catch {
            throw HearthError.invalid(error.message, at: error.offset ?? position, functionIndex: functionIndex)
        }
        try validate(instruction)
        return reader.offset
    }
}
