import HearthBinary

// A `v128` takes two 8-byte frame slots, every other value one (DESIGN.md, "Frames").
extension ValueType {
    /// Frame slots a value of this type takes.
    var slotWidth: Int { self == .v128 ? 2 : 1 }
}

extension FunctionType {
    /// Frame slots the parameters take (a `v128` takes two).
    var parameterSlots: Int { parameters.reduce(0) { $0 + $1.slotWidth } }
    /// Frame slots the results take.
    var resultSlots: Int { results.reduce(0) { $0 + $1.slotWidth } }
}
