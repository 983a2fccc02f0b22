/// One entry of the translator's virtual operand stack.
///
/// `local.get` and constants emit no instruction: they push `.local` / `.constant` and the
/// consumer names the local's slot (or takes the constant as an immediate) directly. An entry
/// is *materialised* (copied into its home slot `L + height`, becoming `.home`) only when its
/// value must really sit there: before the local it names is written, at block boundaries,
/// as call arguments and as branch values.
enum Operand: Equatable {
    /// The value is in the entry's home slot.
    case home
    /// The value is still in local (frame slot) `index`.
    case local(UInt64)
    /// The value is this constant's bits.
    case constant(UInt64)

    var isLocal: Bool {
        if case .local = self { return true }
        return false
    }

    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }
}

/// The integer comparisons that fuse with a following `br_if`/`if` into one branch.
enum IntCompare {
    case eq, ne, ltS, ltU, gtS, gtU, leS, leU, geS, geU

    /// The comparison that is true exactly when this one is false (integers have no NaN).
    var negated: IntCompare {
        switch self {
        case .eq: return .ne
        case .ne: return .eq
        case .ltS: return .geS
        case .ltU: return .geU
        case .gtS: return .leS
        case .gtU: return .leU
        case .leS: return .gtS
        case .leU: return .gtU
        case .geS: return .ltS
        case .geU: return .ltU
        }
    }

    /// The comparison with its operands swapped (`a < b` is `b > a`).
    var swapped: IntCompare {
        switch self {
        case .eq, .ne: return self
        case .ltS: return .gtS
        case .ltU: return .gtU
        case .gtS: return .ltS
        case .gtU: return .ltU
        case .leS: return .geS
        case .leU: return .geU
        case .geS: return .leS
        case .geU: return .leU
        }
    }
}

/// A comparison just emitted into the top operand's home slot, kept so that a following
/// `br_if`/`if` can replace it with a fused compare-and-branch.
struct PendingCompare {
    /// Where the compare instruction starts; it is the last instruction emitted.
    var start: Int
    /// nil for `eqz`, whose operand is `lhs`.
    var compare: IntCompare?
    var is64: Bool
    var lhs: UInt64
    /// A slot, or the constant itself when `rhsIsImmediate`.
    var rhs: UInt64
    var rhsIsImmediate: Bool
    /// The height of the compare's result; the fusion needs it to still be the top.
    var dstHeight: Int
}

/// An address computation just emitted into the top operand's home slot, kept so that the
/// access consuming it can absorb it: `base + (index << shift)` (an `i32.shl` by a constant
/// alone has no base yet and only fuses into a following `i32.add`), or `base + constant`.
struct PendingAddress {
    /// Where the computation starts; it is the last code emitted.
    var start: Int
    /// nil while only the shift is known.
    var base: UInt64?
    var index: UInt64
    var shift: UInt64
    var dstHeight: Int
    /// Set for `base + constant` (`index` and `shift` then unused).
    var constant: UInt64? = nil
}

/// The translator's virtual operand stack, with each entry's home slot.
///
/// A `v128` takes two slots and every other value one, so the home slot of the entry at height
/// `h` is the sum of the widths below it (plus the locals' slots). Functions without vectors
/// get exactly `L + h`, the layout they had before SIMD.
struct OperandStack {
    private var entries: [Operand] = []
    /// `homes[h]` is the home slot of entry `h`; `homes[count]` is the first free slot.
    private var homes: [Int]

    init(firstSlot: Int) { homes = [firstSlot] }

    var count: Int { entries.count }
    var last: Operand? { entries.last }
    var indices: Range<Int> { entries.indices }

    subscript(h: Int) -> Operand {
        get { entries[h] }
        set { entries[h] = newValue }
    }

    subscript(range: PartialRangeUpTo<Int>) -> ArraySlice<Operand> { entries[range] }

    /// The home slot of entry `h` (`h == count`: where a new entry would go).
    func home(_ h: Int) -> Int { homes[h] }

    /// How many slots entry `h` takes: 2 for a `v128`, else 1.
    func width(_ h: Int) -> Int { homes[h + 1] - homes[h] }

    /// The first free slot: one past the top entry.
    var top: Int { homes[homes.count - 1] }

    mutating func append(_ operand: Operand, width: Int) {
        entries.append(operand)
        homes.append(top + width)
    }

    mutating func removeLast() {
        entries.removeLast()
        homes.removeLast()
    }

    mutating func removeLast(_ n: Int) {
        entries.removeLast(n)
        homes.removeLast(n)
    }
}
