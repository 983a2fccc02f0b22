/// Why a numeric literal was rejected: its spelling is not a number at all (the reference
/// interpreter reports such tokens as `unknown operator`), or it is a number outside the type.
enum NumberError: Error {
    case syntax
    case outOfRange
}

/// Parsing of the text format's integer and floating-point literals.
///
/// Syntax is checked here, digit by digit (underscores only between digits, `0x` needs digits,
/// exponents need digits), so the final conversion only ever sees well-formed input.
enum NumberLiterals {
    /// Checks `digit (_? digit)*` over the given range, in the given base.
    private static func isDigitRun(_ s: ArraySlice<UInt8>, hex: Bool) -> Bool {
        guard let first = s.first, isDigit(first, hex: hex) else { return false }
        var previousUnderscore = false
        for c in s.dropFirst() {
            if c == UInt8(ascii: "_") {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else if isDigit(c, hex: hex) {
                previousUnderscore = false
            } else {
                return false
            }
        }
        return !previousUnderscore
    }

    private static func isDigit(_ c: UInt8, hex: Bool) -> Bool {
        if hex { return hexValue(c) != nil }
        return c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }

    /// Splits an optional leading sign off.
    private static func splitSign(_ s: ArraySlice<UInt8>) -> (negative: Bool, hasSign: Bool, rest: ArraySlice<UInt8>) {
        if s.first == UInt8(ascii: "-") { return (true, true, s.dropFirst()) }
        if s.first == UInt8(ascii: "+") { return (false, true, s.dropFirst()) }
        return (false, false, s)
    }

    private static func isHexPrefix(_ s: ArraySlice<UInt8>) -> Bool {
        s.count >= 2 && s[s.startIndex] == UInt8(ascii: "0") && s[s.startIndex + 1] == UInt8(ascii: "x")
    }

    /// An unsigned integer literal (no sign) as a 64-bit magnitude; `outOfRange` past 2^64-1.
    static func parseMagnitude(_ s: ArraySlice<UInt8>) throws -> UInt64 {
        let hex = isHexPrefix(s)
        let digits = hex ? s.dropFirst(2) : s
        guard isDigitRun(digits, hex: hex) else { throw NumberError.syntax }
        var value: UInt64 = 0
        let base: UInt64 = hex ? 16 : 10
        for c in digits where c != UInt8(ascii: "_") {
            let d = UInt64(hexValue(c)!)
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { throw NumberError.outOfRange }
            value = a
        }
        return value
    }

    /// A `u32` index or other unsigned immediate.
    static func parseU32(_ text: String) throws -> UInt32 {
        let value = try parseMagnitude(Array(text.utf8)[...])
        guard value <= UInt64(UInt32.max) else { throw NumberError.outOfRange }
        return UInt32(value)
    }

    /// A `u64` immediate (memory offsets).
    static func parseU64(_ text: String) throws -> UInt64 {
        try parseMagnitude(Array(text.utf8)[...])
    }

    /// An `iN` constant: signed or unsigned spelling, returned as its N-bit two's complement pattern.
    static func parseInteger(_ text: String, bits: Int) throws -> UInt64 {
        let (negative, _, rest) = splitSign(Array(text.utf8)[...])
        let magnitude = try parseMagnitude(rest)
        let unsignedMax: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
        let mask = unsignedMax
        if negative {
            // Down to -2^(N-1).
            guard magnitude <= (1 << UInt64(bits - 1)) else { throw NumberError.outOfRange }
            return (0 &- magnitude) & mask
        }
        guard magnitude <= unsignedMax else { throw NumberError.outOfRange }
        return magnitude
    }

    /// An f32 constant's bit pattern.
    static func parseF32(_ text: String) throws -> UInt32 {
        let bits = try parseFloat(text, format: .binary32)
        return UInt32(truncatingIfNeeded: bits)
    }

    /// An f64 constant's bit pattern.
    static func parseF64(_ text: String) throws -> UInt64 {
        try parseFloat(text, format: .binary64)
    }

    private static func parseFloat(_ text: String, format: FloatFormat) throws -> UInt64 {
        let (negative, _, rest) = splitSign(Array(text.utf8)[...])
        let signBit: UInt64 = negative ? 1 << UInt64(format.totalBits - 1) : 0
        let restText = String(decoding: rest, as: UTF8.self)
        if restText == "inf" { return signBit | format.exponentMask }
        if restText == "nan" { return signBit | format.exponentMask | format.quietBit }
        if restText.hasPrefix("nan:0x") {
            let payload = try parseMagnitude(rest.dropFirst(4))
            guard payload >= 1, payload <= format.significandMask else { throw NumberError.outOfRange }
            return signBit | format.exponentMask | payload
        }
        let magnitude: UInt64
        if isHexPrefix(rest) {
            magnitude = try parseHexFloat(rest.dropFirst(2), format: format)
        } else {
            magnitude = try parseDecimalFloat(rest, format: format)
        }
        return signBit | magnitude
    }

    /// Checks `hexnum ('.' hexfrac?)? ([pP] sign? num)?` and rounds it exactly.
    private static func parseHexFloat(_ s: ArraySlice<UInt8>, format: FloatFormat) throws -> UInt64 {
        let (mantissa, exponentPart) = splitExponent(s, marker: UInt8(ascii: "p"))
        let (integer, fraction) = splitFraction(mantissa)
        guard isDigitRun(integer, hex: true) else { throw NumberError.syntax }
        if let fraction, !fraction.isEmpty, !isDigitRun(fraction, hex: true) { throw NumberError.syntax }
        var exponent: Int64 = 0
        if let exponentPart { exponent = try parseExponent(exponentPart) }
        var digits: [UInt8] = []
        for c in integer where c != UInt8(ascii: "_") { digits.append(hexValue(c)!) }
        var fractionDigits = 0
        for c in fraction ?? [] where c != UInt8(ascii: "_") {
            digits.append(hexValue(c)!)
            fractionDigits += 1
        }
        return try FloatRounding.roundBinary(hexDigits: digits,
                                             binaryExponent: exponent - 4 * Int64(fractionDigits),
                                             format: format)
    }

    /// Checks `num ('.' frac?)? ([eE] sign? num)?` and converts it with correct rounding.
    private static func parseDecimalFloat(_ s: ArraySlice<UInt8>, format: FloatFormat) throws -> UInt64 {
        let (mantissa, exponentPart) = splitExponent(s, marker: UInt8(ascii: "e"))
        let (integer, fraction) = splitFraction(mantissa)
        guard isDigitRun(integer, hex: false) else { throw NumberError.syntax }
        if let fraction, !fraction.isEmpty, !isDigitRun(fraction, hex: false) { throw NumberError.syntax }
        var exponent: Int64 = 0
        if let exponentPart { exponent = try parseExponent(exponentPart) }
        var digits: [UInt8] = []
        for c in integer where c != UInt8(ascii: "_") { digits.append(c - UInt8(ascii: "0")) }
        var fractionDigits = 0
        for c in fraction ?? [] where c != UInt8(ascii: "_") {
            digits.append(c - UInt8(ascii: "0"))
            fractionDigits += 1
        }
        return try FloatRounding.roundDecimal(digits: digits,
                                              decimalExponent: exponent - Int64(fractionDigits),
                                              format: format)
    }

    private static func splitExponent(_ s: ArraySlice<UInt8>, marker: UInt8)
        -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        let upper = marker - 32
        guard let index = s.firstIndex(where: { $0 == marker || $0 == upper }) else { return (s, nil) }
        return (s[s.startIndex..<index], s[(index + 1)...])
    }

    private static func splitFraction(_ s: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        guard let dot = s.firstIndex(of: UInt8(ascii: ".")) else { return (s, nil) }
        return (s[s.startIndex..<dot], s[(dot + 1)...])
    }

    /// A decimal exponent, clamped: anything beyond ±10^9 already over- or underflows every format.
    private static func parseExponent(_ s: ArraySlice<UInt8>) throws -> Int64 {
        let (negative, _, digits) = splitSign(s)
        guard isDigitRun(digits, hex: false) else { throw NumberError.syntax }
        var value: Int64 = 0
        for c in digits where c != UInt8(ascii: "_") {
            value = min(value * 10 + Int64(c - UInt8(ascii: "0")), 1_000_000_000)
        }
        return negative ? -value : value
    }
}
