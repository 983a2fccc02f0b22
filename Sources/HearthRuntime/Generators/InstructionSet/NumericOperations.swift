/// The numeric operators: their semantics once, in terms of the operands `a` and `b`.
///
/// Integer widths and float widths are written once each and instantiated per width; the
/// conversions, which mix widths, are listed one by one.

/// The integer operators of one width (32 or 64 bits).
func integerOperations(bits: Int) -> [Operation] {
    let t = "i\(bits)"
    let u: View = bits == 32 ? .i32 : .i64
    let s: View = bits == 32 ? .s32 : .s64
    let unsigned = bits == 32 ? "UInt32" : "UInt64"
    let signed = bits == 32 ? "Int32" : "Int64"
    func op(_ name: String, _ operands: [View], _ result: View, _ expression: String, body: [String] = [],
            immediate: Bool = false, reversed: Operation.Reversal = .none, commutes: Bool = false,
            compare: Operation.Comparison? = nil) -> Operation {
        Operation(name: t + name, operands: operands, result: result, expression: expression, body: body,
                  implements: [t + name], immediate: immediate, reversed: reversed, commutes: commutes,
                  compare: compare)
    }
    func compare(_ name: String, _ view: View, _ symbol: String, _ kind: String) -> Operation {
        op(name, [view, view], .i32, "(a \(symbol) b) ? 1 : 0",
           compare: Operation.Comparison(kind: kind, condition: "a \(symbol) b"))
    }
    let zeroDivisor = "if _slowPath(b == 0) { return raise(st, .integerDivideByZero) }"
    return [
        op("Eqz", [u], .i32, "(a == 0) ? 1 : 0"),
        compare("Eq", u, "==", "eq"), compare("Ne", u, "!=", "ne"),
        compare("LtS", s, "<", "ltS"), compare("LtU", u, "<", "ltU"),
        compare("GtS", s, ">", "gtS"), compare("GtU", u, ">", "gtU"),
        compare("LeS", s, "<=", "leS"), compare("LeU", u, "<=", "leU"),
        compare("GeS", s, ">=", "geS"), compare("GeU", u, ">=", "geU"),
        op("Clz", [u], u, "\(unsigned)(a.leadingZeroBitCount)"),
        op("Ctz", [u], u, "\(unsigned)(a.trailingZeroBitCount)"),
        op("Popcnt", [u], u, "\(unsigned)(a.nonzeroBitCount)"),
        op("Add", [u, u], u, "a &+ b", immediate: true, commutes: true),
        op("Sub", [u, u], u, "a &- b", immediate: true, reversed: .own),
        op("Mul", [u, u], u, "a &* b", immediate: true, commutes: true),
        op("And", [u, u], u, "a & b", immediate: true, commutes: true),
        op("Or", [u, u], u, "a | b", immediate: true, commutes: true),
        op("Xor", [u, u], u, "a ^ b", immediate: true, commutes: true),
        op("Shl", [u, u], u, "a &<< b", immediate: true),
        op("ShrS", [s, s], s, "a &>> b", immediate: true),
        op("ShrU", [u, u], u, "a &>> b", immediate: true),
        op("Rotl", [u, u], u, "(a &<< b) | (a &>> (\(bits) &- (b & \(bits - 1))))", immediate: true),
        op("Rotr", [u, u], u, "(a &>> b) | (a &<< (\(bits) &- (b & \(bits - 1))))", immediate: true),
        op("Extend8S", [u], s, "\(signed)(Int8(truncatingIfNeeded: a))"),
        op("Extend16S", [u], s, "\(signed)(Int16(truncatingIfNeeded: a))"),
        // A constant divisor keeps its checks in the `Imm` form: the constant may be 0 or -1.
        op("DivS", [s, s], s, "a / b",
           body: [zeroDivisor, "if _slowPath(a == .min && b == -1) { return raise(st, .integerOverflow) }"],
           immediate: true),
        op("DivU", [u, u], u, "a / b", body: [zeroDivisor], immediate: true),
        // INT_MIN % -1 overflows in hardware, but Wasm defines it as 0.
        op("RemS", [s, s], s, "b == -1 ? 0 : a % b", body: [zeroDivisor], immediate: true),
        op("RemU", [u, u], u, "a % b", body: [zeroDivisor], immediate: true),
    ]
}

/// The float operators of one width (32 or 64 bits).
func floatOperations(bits: Int) -> [Operation] {
    let t = "f\(bits)"
    let f: View = bits == 32 ? .f32 : .f64
    let float = bits == 32 ? "Float" : "Double"
    let magnitude = bits == 32 ? "0x7FFF_FFFF" : "0x7FFF_FFFF_FFFF_FFFF"
    let sign = bits == 32 ? "0x8000_0000" : "0x8000_0000_0000_0000"
    func op(_ name: String, _ operands: [View], _ result: View, _ expression: String,
            immediate: Bool = false, reversed: Operation.Reversal = .none) -> Operation {
        Operation(name: t + name, operands: operands, result: result, expression: expression,
                  implements: [t + name], immediate: immediate, reversed: reversed)
    }
    // Add and multiply have no reversed instruction: they commute in every result but the
    // payload of a NaN from two NaN operands, which Wasm leaves nondeterministic.
    return [
        op("Eq", [f, f], .i32, "(a == b) ? 1 : 0"), op("Ne", [f, f], .i32, "(a != b) ? 1 : 0"),
        op("Lt", [f, f], .i32, "(a < b) ? 1 : 0"), op("Gt", [f, f], .i32, "(a > b) ? 1 : 0"),
        op("Le", [f, f], .i32, "(a <= b) ? 1 : 0"), op("Ge", [f, f], .i32, "(a >= b) ? 1 : 0"),
        op("Abs", [f], f, "\(float)(bitPattern: a.bitPattern & \(magnitude))"),
        op("Neg", [f], f, "\(float)(bitPattern: a.bitPattern ^ \(sign))"),
        op("Ceil", [f], f, "a.rounded(.up)"),
        op("Floor", [f], f, "a.rounded(.down)"),
        op("Trunc", [f], f, "a.rounded(.towardZero)"),
        op("Nearest", [f], f, "a.rounded(.toNearestOrEven)"),
        op("Sqrt", [f], f, "wasmSquareRoot(a)"),
        op("Add", [f, f], f, "a + b", immediate: true, reversed: .sameAsImmediate),
        op("Sub", [f, f], f, "a - b", immediate: true, reversed: .own),
        op("Mul", [f, f], f, "a * b", immediate: true, reversed: .sameAsImmediate),
        op("Div", [f, f], f, "a / b", immediate: true, reversed: .own),
        op("Min", [f, f], f, "wasmMin(a, b)"),
        op("Max", [f, f], f, "wasmMax(a, b)"),
        op("Copysign", [f, f], f, "\(float)(bitPattern: (a.bitPattern & \(magnitude)) | (b.bitPattern & \(sign)))"),
    ]
}

/// The conversions between widths and kinds.
func conversionOperations() -> [Operation] {
    func op(_ name: String, _ from: View, _ to: View, _ expression: String, body: [String] = [],
            also: [String] = []) -> Operation {
        Operation(name: name, operands: [from], result: to, expression: expression, body: body,
                  implements: [name] + also)
    }
    let notANumber = "if _slowPath(x.isNaN) { return raise(st, .invalidConversionToInteger) }"
    func trapping(_ name: String, _ from: View, _ to: View, _ type: String, inRange: String) -> Operation {
        op(name, from, to, "\(type)(x)", body: ["let x = Double(a)", notANumber,
                                                "if _slowPath(!(\(inRange))) { return raise(st, .integerOverflow) }"])
    }
    return [
        // `i64.extend32_s` keeps the same bits as `i64.extend_i32_s`; `i32.wrap_i64` as the
        // zero-extending one (an i32 in a slot has its upper half zero).
        op("i64ExtendI32S", .s32, .s64, "Int64(a)", also: ["i64Extend32S"]),
        op("i64ExtendI32U", .i32, .i64, "UInt64(a)", also: ["i32WrapI64"]),
        op("f32ConvertI32S", .s32, .f32, "Float(a)"),
        op("f32ConvertI32U", .i32, .f32, "Float(a)"),
        op("f32ConvertI64S", .s64, .f32, "Float(a)"),
        op("f32ConvertI64U", .i64, .f32, "Float(a)"),
        op("f64ConvertI32S", .s32, .f64, "Double(a)"),
        op("f64ConvertI32U", .i32, .f64, "Double(a)"),
        op("f64ConvertI64S", .s64, .f64, "Double(a)"),
        op("f64ConvertI64U", .i64, .f64, "Double(a)"),
        op("f32DemoteF64", .f64, .f32, "Float(a)"),
        op("f64PromoteF32", .f32, .f64, "Double(a)"),
        // Every f32 is exactly a Double, so one set of saturating helpers serves both widths.
        op("i32TruncSatF32S", .f32, .i32, "saturateI32S(Double(a))"),
        op("i32TruncSatF32U", .f32, .i32, "saturateI32U(Double(a))"),
        op("i32TruncSatF64S", .f64, .i32, "saturateI32S(a)"),
        op("i32TruncSatF64U", .f64, .i32, "saturateI32U(a)"),
        op("i64TruncSatF32S", .f32, .i64, "saturateI64S(Double(a))"),
        op("i64TruncSatF32U", .f32, .i64, "saturateI64U(Double(a))"),
        op("i64TruncSatF64S", .f64, .i64, "saturateI64S(a)"),
        op("i64TruncSatF64U", .f64, .i64, "saturateI64U(a)"),
        trapping("i32TruncF32S", .f32, .s32, "Int32", inRange: "x > -2147483649.0 && x < 2147483648.0"),
        trapping("i32TruncF32U", .f32, .i32, "UInt32", inRange: "x > -1.0 && x < 4294967296.0"),
        trapping("i32TruncF64S", .f64, .s32, "Int32", inRange: "x > -2147483649.0 && x < 2147483648.0"),
        trapping("i32TruncF64U", .f64, .i32, "UInt32", inRange: "x > -1.0 && x < 4294967296.0"),
        trapping("i64TruncF32S", .f32, .s64, "Int64",
                 inRange: "x >= -9223372036854775808.0 && x < 9223372036854775808.0"),
        trapping("i64TruncF32U", .f32, .i64, "UInt64", inRange: "x > -1.0 && x < 18446744073709551616.0"),
        trapping("i64TruncF64S", .f64, .s64, "Int64",
                 inRange: "x >= -9223372036854775808.0 && x < 9223372036854775808.0"),
        trapping("i64TruncF64U", .f64, .i64, "UInt64", inRange: "x > -1.0 && x < 18446744073709551616.0"),
    ]
}

/// Every numeric operator.
let numericOperations: [Operation] =
    integerOperations(bits: 32) + integerOperations(bits: 64) + floatOperations(bits: 32) + floatOperations(bits: 64)
    + conversionOperations()

/// `NumericOperator` cases answered by the slot copy (`h_copy`): reinterpretations keep the bits.
let reinterpretations = ["i32ReinterpretF32", "i64ReinterpretF64", "f32ReinterpretI32", "f64ReinterpretI64"]
