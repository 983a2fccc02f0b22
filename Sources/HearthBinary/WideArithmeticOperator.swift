/// The wide-arithmetic proposal's operators (0xFC 19...22): 128-bit add and subtract on
/// (low, high) i64 pairs, and the full 128-bit product of two i64s.
public enum WideArithmeticOperator: UInt8, CaseIterable, Sendable {
    case add128 = 19, sub128, mulWideS, mulWideU

    /// The name in the text format, e.g. `i64.add128`.
    public var textName: String {
        switch self {
        case .add128: return "i64.add128"
        case .sub128: return "i64.sub128"
        case .mulWideS: return "i64.mul_wide_s"
        case .mulWideU: return "i64.mul_wide_u"
        }
    }

    /// How many i64 operands it takes (it always produces two).
    public var operandCount: Int {
        switch self {
        case .add128, .sub128: return 4
        case .mulWideS, .mulWideU: return 2
        }
    }

    /// Every operator by its text name.
    public static let byTextName: [String: WideArithmeticOperator] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0.textName, $0) })
}
