/// A recursion group in a form that is equal for equivalent groups of any module (spec 3.0:
/// type equivalence is iso-recursive): references to types inside the group become their
/// position in it, references to earlier types become those types' canonical ids, which the
/// caller supplies. Used by the validator (ids local to one module) and by the engine's type
/// registry (ids shared by every module of the engine).
public struct RecursionGroupKey: Hashable, Sendable {
    /// A flat, self-delimiting encoding of the group's sub types.
    public let words: [UInt64]

    /// The key of `group` (a range of `types`); `canonicalID` gives the id of a type before it.
    public init(group: Range<Int>, of types: [SubType], canonicalID: (UInt32) -> Int) {
        var words: [UInt64] = [UInt64(group.count)]
        func reference(_ index: UInt32) {
            if group.contains(Int(index)) {
                words.append(1 << 40 | UInt64(Int(index) - group.lowerBound))
            } else {
                words.append(2 << 40 | UInt64(canonicalID(index)))
            }
        }
        func valueType(_ t: ValueType) {
            switch t {
            case .i32: words.append(0x7F)
            case .i64: words.append(0x7E)
            case .f32: words.append(0x7D)
            case .f64: words.append(0x7C)
            case .v128: words.append(0x7B)
            case .ref(let r):
                let nullable: UInt64 = r.isNullable ? 0x100 : 0
                if case .concrete(let index) = r.heapType {
                    words.append(0x2000 | nullable)
                    reference(index)
                } else {
                    words.append(0x1000 | nullable | UInt64(r.heapType.abstractCode!))
                }
            }
        }
        func field(_ f: FieldType) {
            switch f.storage {
            case .i8: words.append(0x78)
            case .i16: words.append(0x77)
            case .value(let t): valueType(t)
            }
            words.append(f.isMutable ? 1 : 0)
        }
        for index in group {
            let sub = types[index]
            words.append(sub.isFinal ? 1 : 0)
            words.append(UInt64(sub.supertypes.count))
            for s in sub.supertypes { reference(s) }
            switch sub.composite {
            case .function(let f):
                words.append(0x60)
                words.append(UInt64(f.parameters.count))
                for t in f.parameters { valueType(t) }
                words.append(UInt64(f.results.count))
                for t in f.results { valueType(t) }
            case .structure(let fields):
                words.append(0x5F)
                words.append(UInt64(fields.count))
                for f in fields { field(f) }
            case .array(let element):
                words.append(0x5E)
                field(element)
            }
        }
        self.words = words
    }
}
