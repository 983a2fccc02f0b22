import HearthBinary

/// Validates function bodies with the spec's validation algorithm (appendix "Validation
/// Algorithm"): an operand stack of known or unknown types and a stack of control frames, each
/// with the height of the operand stack at its start and an `unreachable` flag that makes the
/// stack polymorphic (popping at that height yields "unknown") after a branch or `unreachable`.
///
/// All storage is reused across instructions and functions, so validating allocates nothing
/// per instruction (except what `CodeReader` allocates for `br_table` and typed `select`).
struct FunctionValidator {
    enum FrameKind { case function, block, loop, `if`, `else` }

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

        var parameters: Range<Int> { typesStart..<(typesStart + parameterCount) }
        var results: Range<Int> { (typesStart + parameterCount)..<(typesStart + parameterCount + resultCount) }
        /// What a branch to this frame carries: a loop's parameters, anything else's results.
        var labelTypes: Range<Int> { kind == .loop ? parameters : results }
    }

    /// An implementation limit (the spec's is 2^32 - 1): locals are expanded to one byte each.
    static let maxLocals = 50_000

    let c: ModuleContext
    let numeric = NumericSignatures.shared
    var operands = OperandStack()
    var frames: [ControlFrame] = []
    /// The innermost frame's `height` and `unreachable`, cached because every pop reads them.
    var currentHeight = 0
    var currentUnreachable = false
    var labelTypes: [OperandType] = []
    var locals: [OperandType] = []
    /// Scratch space for `br_table`'s "pop then push back what was popped".
    var scratch: [OperandType] = []
    var functionIndex = 0
    /// Offset of the instruction being validated, for error messages.
    var offset = 0

    init(context: ModuleContext) {
        c = context
        frames.reserveCapacity(64)
        labelTypes.reserveCapacity(256)
    }

    func error(_ message: String) -> ValidationError {
        ValidationError(message, at: offset, functionIndex: functionIndex)
    }

    // MARK: Operand stack

    @inline(__always)
    mutating func push(_ type: OperandType) { operands.append(type) }

    @inline(__always)
    mutating func pop() throws(ValidationError) -> OperandType {
        if operands.count == currentHeight {
            if currentUnreachable { return .unknown }
            throw error("type mismatch")
        }
        return operands.removeLast()
    }

    @inline(__always)
    @discardableResult
    mutating func pop(_ expected: OperandType) throws(ValidationError) -> OperandType {
        let actual = try pop()
        if actual != expected && actual != .unknown && expected != .unknown { throw error("type mismatch") }
        return actual
    }

    /// Pops the types in `range` of `labelTypes`, last first.
    mutating func pop(types range: Range<Int>) throws(ValidationError) {
        var i = range.upperBound
        while i > range.lowerBound {
            i -= 1
            try pop(labelTypes[i])
        }
    }

    mutating func push(types range: Range<Int>) {
        for i in range { operands.append(labelTypes[i]) }
    }

    // MARK: Control stack

    /// Enters a block of type `type`: pops its parameters, then pushes the frame and them again.
    mutating func pushControl(_ kind: FrameKind, _ type: BlockType) throws(ValidationError) {
        let start = labelTypes.count
        var parameterCount = 0, resultCount = 0
        switch type {
        case .empty: break
        case .value(let t):
            labelTypes.append(OperandType(t))
            resultCount = 1
        case .typeIndex(let index):
            guard Int(index) < c.signatures.count else { throw error("unknown type \(index)") }
            let signature = c.signatures[Int(index)]
            labelTypes.append(contentsOf: signature.parameters)
            labelTypes.append(contentsOf: signature.results)
            parameterCount = signature.parameters.count
            resultCount = signature.results.count
        }
        let frame = ControlFrame(kind: kind, typesStart: start, parameterCount: parameterCount,
                                 resultCount: resultCount, height: 0, unreachable: false)
        try pop(types: frame.parameters)
        enter(frame)
    }

    /// Pushes `frame` at the current height and pushes its parameters.
    mutating func enter(_ frame: ControlFrame) {
        var frame = frame
        frame.height = operands.count
        frame.unreachable = false
        frames.append(frame)
        currentHeight = frame.height
        currentUnreachable = false
        push(types: frame.parameters)
    }

    /// Leaves the innermost frame: its results must be exactly what is left above its height.
    /// Its types stay in `labelTypes` for the caller, which discards them.
    mutating func popControl() throws(ValidationError) -> ControlFrame {
        let frame = frames[frames.count - 1]
        try pop(types: frame.results)
        guard operands.count == frame.height else { throw error("type mismatch") }
        frames.removeLast()
        if let outer = frames.last {
            currentHeight = outer.height
            currentUnreachable = outer.unreachable
        }
        return frame
    }

    /// The frame `depth` labels out from the innermost one.
    mutating func label(_ depth: UInt32) throws(ValidationError) -> ControlFrame {
        guard Int(depth) < frames.count else { throw error("unknown label") }
        return frames[frames.count - 1 - Int(depth)]
    }

    /// After an unconditional branch: drop the frame's operands; the rest of it is unreachable.
    mutating func markUnreachable() {
        let i = frames.count - 1
        operands.truncate(to: frames[i].height)
        frames[i].unreachable = true
        currentUnreachable = true
    }

    // MARK: Functions

    mutating func validate(functionIndex: Int, body: FunctionBody) throws(ValidationError) {
        self.functionIndex = functionIndex
        offset = body.code.lowerBound
        operands.truncate(to: 0)
        currentHeight = 0
        currentUnreachable = false
        frames.removeAll(keepingCapacity: true)
        labelTypes.removeAll(keepingCapacity: true)
        locals.removeAll(keepingCapacity: true)

        let typeIndex = Int(c.functionTypes[functionIndex])
        let signature = c.signatures[typeIndex]
        guard signature.parameters.count + body.localCount <= Self.maxLocals else { throw error("too many locals") }
        locals.append(contentsOf: signature.parameters)
        for group in body.locals {
            locals.append(contentsOf: repeatElement(OperandType(group.type), count: Int(group.count)))
        }

        labelTypes.append(contentsOf: signature.results)
        frames.append(ControlFrame(kind: .function, typesStart: 0, parameterCount: 0,
                                   resultCount: signature.results.count, height: 0, unreachable: false))

        var reader = CodeReader(bytes: c.module.bytes, range: body.code, features: c.features)
        while !frames.isEmpty {
            offset = reader.offset
            let instruction: Instruction
            do throws(DecodingError) {
                instruction = try reader.read()
            } catch {
                throw ValidationError(error.message, at: error.offset, functionIndex: functionIndex)
            }
            try validate(instruction)
        }
        // The body's size must end right after the function's final `end`.
        guard reader.isAtEnd else {
            throw ValidationError("section size mismatch", at: reader.offset, functionIndex: functionIndex)
        }
    }
}
