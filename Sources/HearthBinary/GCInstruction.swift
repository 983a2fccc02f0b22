/// The garbage-collection instructions of Wasm 3.0 (the 0xFB prefix), with their immediates.
/// Type indices name struct or array types; `field` is a struct field index.
public enum GCInstruction: Hashable, Sendable {
    case structNew(UInt32)
    case structNewDefault(UInt32)
    case structGet(UInt32, field: UInt32, extend: Extension)
    case structSet(UInt32, field: UInt32)
    case arrayNew(UInt32)
    case arrayNewDefault(UInt32)
    case arrayNewFixed(UInt32, count: UInt32)
    case arrayNewData(UInt32, data: UInt32)
    case arrayNewElem(UInt32, element: UInt32)
    case arrayGet(UInt32, extend: Extension)
    case arraySet(UInt32)
    case arrayLen
    case arrayFill(UInt32)
    case arrayCopy(destination: UInt32, source: UInt32)
    case arrayInitData(UInt32, data: UInt32)
    case arrayInitElem(UInt32, element: UInt32)
    /// `ref.test rt`: 1 when the operand is in `rt`.
    case refTest(ReferenceType)
    /// `ref.cast rt`: the operand, trapping unless it is in `rt`.
    case refCast(ReferenceType)
    /// `br_on_cast l rt1 rt2` (`fail`: `br_on_cast_fail`): branch when the operand is (is not)
    /// in `rt2`; `rt1` is the operand's type.
    case brOnCast(label: UInt32, from: ReferenceType, to: ReferenceType, fail: Bool)
    case anyConvertExtern
    case externConvertAny
    case refI31
    case i31Get(signed: Bool)

    /// How a packed (i8/i16) field or element widens to i32: `get` (unpacked fields only),
    /// `get_s` or `get_u`.
    public enum Extension: Hashable, Sendable { case none, signed, unsigned }

    /// Whether the instruction may appear in a constant expression.
    public var isConstant: Bool {
        switch self {
        case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed,
             .anyConvertExtern, .externConvertAny, .refI31:
            return true
        default:
            return false
        }
    }
}

extension CodeReader {
    /// The instruction after a 0xFB prefix.
    mutating func prefixedFB(at: Int) throws(HearthError) -> GCInstruction {
        let sub = try reader.u32()
        switch sub {
        case 0: return .structNew(try reader.u32())
        case 1: return .structNewDefault(try reader.u32())
        case 2, 3, 4:
            let type = try reader.u32()
            return .structGet(type, field: try reader.u32(), extend: sub == 2 ? .none : sub == 3 ? .signed : .unsigned)
        case 5:
            let type = try reader.u32()
            return .structSet(type, field: try reader.u32())
        case 6: return .arrayNew(try reader.u32())
        case 7: return .arrayNewDefault(try reader.u32())
        case 8:
            let type = try reader.u32()
            return .arrayNewFixed(type, count: try reader.u32())
        case 9:
            let type = try reader.u32()
            return .arrayNewData(type, data: try reader.u32())
        case 10:
            let type = try reader.u32()
            return .arrayNewElem(type, element: try reader.u32())
        case 11, 12, 13:
            return .arrayGet(try reader.u32(), extend: sub == 11 ? .none : sub == 12 ? .signed : .unsigned)
        case 14: return .arraySet(try reader.u32())
        case 15: return .arrayLen
        case 16: return .arrayFill(try reader.u32())
        case 17:
            let destination = try reader.u32()
            return .arrayCopy(destination: destination, source: try reader.u32())
        case 18:
            let type = try reader.u32()
            return .arrayInitData(type, data: try reader.u32())
        case 19:
            let type = try reader.u32()
            return .arrayInitElem(type, element: try reader.u32())
        case 20, 21:
            return .refTest(ReferenceType(isNullable: sub == 21, heapType: try reader.heapType(features: features)))
        case 22, 23:
            return .refCast(ReferenceType(isNullable: sub == 23, heapType: try reader.heapType(features: features)))
        case 24, 25:
            let flagsAt = reader.position
            let flags = try reader.byte()
            guard flags <= 3 else { throw HearthError.decoding("malformed cast flags", at: flagsAt) }
            let label = try reader.u32()
            let from = ReferenceType(isNullable: flags & 1 != 0, heapType: try reader.heapType(features: features))
            let to = ReferenceType(isNullable: flags & 2 != 0, heapType: try reader.heapType(features: features))
            return .brOnCast(label: label, from: from, to: to, fail: sub == 25)
        case 26: return .anyConvertExtern
        case 27: return .externConvertAny
        case 28: return .refI31
        case 29: return .i31Get(signed: true)
        case 30: return .i31Get(signed: false)
        default: throw HearthError.decoding("illegal opcode fb \(sub)", at: at)
        }
    }
}
