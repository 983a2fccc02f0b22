import HearthBinary

/// The immediates of the vector instructions in the text format: `v128.const shape lane*`,
/// `i8x16.shuffle` with 16 lane indices, lane indices, and memory arguments.
extension ModuleParser {
    func parseSIMDImmediates(_ op: SIMDOperator) throws -> SIMDInstruction {
        switch op.form {
        case .plain:
            return .plain(op)
        case .lane:
            return .lane(op, lane: try parseLaneIndex())
        case .memory:
            let memory = try optionalIndex(memorySpace)
            return .memory(op, try parseMemoryArgument(naturalAlignLog2: op.maxAlignLog2, memory: memory))
        case .memoryLane:
            // `memidx? memarg lane`: a leading index is the memory only when something else
            // (a memarg or the lane) still follows it.
            let memory = laneMemoryIndexAhead() ? try optionalIndex(memorySpace) : 0
            let argument = try parseMemoryArgument(naturalAlignLog2: op.maxAlignLog2, memory: memory)
            return .memoryLane(op, argument, lane: try parseLaneIndex())
        case .constant:
            return .constant(try parseV128Literal())
        case .shuffle:
            // Exactly 16 indices; for these every bad literal is a malformed index.
            var lanes: [UInt8] = []
            while lanes.count < 16, let text = cursor.atom {
                lanes.append(try parseLaneIndex(text, badLiteral: "malformed lane index"))
            }
            guard lanes.count == 16, !cursor.isIndex else { throw cursor.error("invalid lane length") }
            return .shuffle(V128Bits(bytes: lanes))
        }
    }

    private func laneMemoryIndexAhead() -> Bool {
        guard let token = cursor.current else { return false }
        if token.kind == .id { return true }
        guard cursor.isIndex else { return false }
        var probe = cursor
        probe.advance()
        if probe.isIndex { return true }
        guard let next = probe.atom else { return false }
        return next.hasPrefix("offset=") || next.hasPrefix("align=")
    }

    /// A lane index: an unsigned integer literal (anything else is a token error) below 256.
    private func parseLaneIndex() throws -> UInt8 {
        guard let text = cursor.atom else { throw cursor.error("unexpected token") }
        return try parseLaneIndex(text, badLiteral: "unexpected token")
    }

    private func parseLaneIndex(_ text: String, badLiteral: String) throws -> UInt8 {
        // 3.0 words every bad shuffle lane, and any lane above 255, as an i8 constant.
        let shuffle = badLiteral == "malformed lane index"
        let bad = isWasm3 && shuffle ? "i8 constant out of range" : badLiteral
        guard let first = text.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
              let value = try? NumberLiterals.parseU64(text) else {
            throw cursor.error(bad)
        }
        guard value < 256 else { throw cursor.error(isWasm3 ? "i8 constant out of range" : "malformed lane index") }
        cursor.advance()
        return UInt8(value)
    }

    /// `shape lane*` after `v128.const`: the lanes in little-endian order.
    func parseV128Literal() throws -> V128Bits {
        guard let shape = cursor.atom.flatMap(V128Shape.init(rawValue:)) else {
            throw cursor.error("unexpected token")
        }
        cursor.advance()
        // The lane count is checked before any lane is converted (so too many or too few lanes
        // is reported as such even when a lane is also out of range).
        var probe = cursor
        var literals = 0
        while let text = probe.atom, Self.looksNumeric(text) {
            literals += 1
            probe.advance()
        }
        guard literals == shape.laneCount else { throw cursor.error("wrong number of lane literals") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        let laneBytes = 16 / shape.laneCount
        for _ in 0..<shape.laneCount {
            let text = try constantText()
            let bits: UInt64
            switch shape {
            case .i8x16, .i16x8, .i32x4, .i64x2:
                bits = try number(at: cursor) { try NumberLiterals.parseInteger(text, bits: laneBytes * 8) }
            case .f32x4:
                bits = UInt64(try number(at: cursor) { try NumberLiterals.parseF32(text) })
            case .f64x2:
                bits = try number(at: cursor) { try NumberLiterals.parseF64(text) }
            }
            for i in 0..<laneBytes { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(8 * i))) }
        }
        return V128Bits(bytes: bytes)
    }

    /// Whether an atom stands where a lane literal would (it is not an instruction keyword), so
    /// it counts towards the lanes even when it is a malformed number like `.0` or `_1`.
    static func looksNumeric(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        let isKeyword = first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")
        return !isKeyword || text.hasPrefix("inf") || text.hasPrefix("nan")
    }
}
