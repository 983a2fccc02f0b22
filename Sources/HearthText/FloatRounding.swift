/// The parameters of an IEEE 754 binary interchange format.
struct FloatFormat {
    /// Significand precision in bits, including the implicit leading one.
    let precision: Int
    let exponentBits: Int

    static let binary32 = FloatFormat(precision: 24, exponentBits: 8)
    static let binary64 = FloatFormat(precision: 53, exponentBits: 11)

    var totalBits: Int { precision + exponentBits }
    var bias: Int { (1 << (exponentBits - 1)) - 1 }
    /// The exponent of the smallest normal number.
    var minExponent: Int { 1 - bias }
    var maxExponent: Int { bias }
    var significandMask: UInt64 { (1 << UInt64(precision - 1)) - 1 }
    var exponentMask: UInt64 { ((1 << UInt64(exponentBits)) - 1) << UInt64(precision - 1) }
    var quietBit: UInt64 { 1 << UInt64(precision - 2) }
}

/// Correct (round-to-nearest, ties-to-even) conversion of an exact rational literal to a float.
///
/// Literals are converted straight from their digits with exact big-integer arithmetic, never via
/// an intermediate `Double`: an f32 literal rounded first to f64 and then to f32 can land on the
/// wrong neighbour (double rounding), which `float_literals.wast` checks.
enum FloatRounding {
    /// `digits × 16^0 × 2^binaryExponent` (digits are hex digit values, most significant first).
    static func roundBinary(hexDigits: [UInt8], binaryExponent: Int64, format: FloatFormat) throws -> UInt64 {
        var n = BigUInt(0)
        for d in hexDigits { n.multiplyAdd(16, UInt32(d)) }
        return try round(numerator: n, denominator: BigUInt(1), binaryExponent: binaryExponent, format: format)
    }

    /// `digits × 10^decimalExponent` (digits are decimal digit values, most significant first).
    static func roundDecimal(digits: [UInt8], decimalExponent: Int64, format: FloatFormat) throws -> UInt64 {
        let significant = digits.drop(while: { $0 == 0 })
        if significant.isEmpty { return 0 }
        // The value lies in [10^(order-1), 10^order); far outside the format's range the answer is
        // known without building enormous integers.
        let order = decimalExponent + Int64(significant.count)
        if order > 400 { throw NumberError.outOfRange }
        if order < -400 { return 0 }
        var n = BigUInt(0)
        for d in significant { n.multiplyAdd(10, UInt32(d)) }
        var d = BigUInt(1)
        if decimalExponent >= 0 {
            for _ in 0..<decimalExponent { n.multiplyAdd(10, 0) }
        } else {
            for _ in 0..<(-decimalExponent) { d.multiplyAdd(10, 0) }
        }
        return try round(numerator: n, denominator: d, binaryExponent: 0, format: format)
    }

    /// Rounds `numerator / denominator × 2^binaryExponent` (numerator non-zero) to the format,
    /// returning the bit pattern without sign; overflow to infinity is `outOfRange`.
    static func round(numerator: BigUInt, denominator: BigUInt, binaryExponent: Int64,
                      format: FloatFormat) throws -> UInt64 {
        if numerator.isZero { return 0 }
        let p = format.precision
        // floor(log2(n/d)): the bit-length difference is exact or one too high.
        var e0 = numerator.bitLength - denominator.bitLength
        if compareScaled(numerator, denominator, e0) < 0 { e0 -= 1 }
        let e = Int64(e0) + binaryExponent
        if e > Int64(format.maxExponent) { throw NumberError.outOfRange }
        // Below half the smallest subnormal the result is zero.
        if e < Int64(format.minExponent - p - 2) { return 0 }
        // The weight of the last significand bit, limited below by the subnormal range.
        let unit = max(Int(e) - p + 1, format.minExponent - p + 1)
        let k = unit - Int(binaryExponent)
        var a = numerator.shiftedLeft(by: max(-k, 0))
        let b = denominator.shiftedLeft(by: max(k, 0))
        // Restoring division: the quotient has at most p bits.
        var q: UInt64 = 0
        for bit in stride(from: p, through: 0, by: -1) {
            let shifted = b.shiftedLeft(by: bit)
            if a.compare(shifted) >= 0 {
                a.subtract(shifted)
                q |= 1 << UInt64(bit)
            }
        }
        let twiceRemainder = a.shiftedLeft(by: 1)
        let c = twiceRemainder.compare(b)
        if c > 0 || (c == 0 && q & 1 == 1) { q += 1 }
        var exponentUnit = unit
        if q == 1 << UInt64(p) {
            q >>= 1
            exponentUnit += 1
        }
        if q < 1 << UInt64(p - 1) {
            return q // subnormal (or rounded to zero)
        }
        let biased = exponentUnit + p - 1 + format.bias
        if biased >= (1 << format.exponentBits) - 1 { throw NumberError.outOfRange }
        return UInt64(biased) << UInt64(p - 1) | (q & format.significandMask)
    }

    /// Compares `n` with `d × 2^shift` (shift may be negative).
    private static func compareScaled(_ n: BigUInt, _ d: BigUInt, _ shift: Int) -> Int {
        if shift >= 0 { return n.compare(d.shiftedLeft(by: shift)) }
        return n.shiftedLeft(by: -shift).compare(d)
    }
}

/// Just enough arbitrary-precision unsigned arithmetic for exact literal rounding.
struct BigUInt {
    /// Little-endian 32-bit limbs, no trailing zero limbs.
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = []
        if value != 0 { limbs.append(UInt32(truncatingIfNeeded: value)) }
        if value >> 32 != 0 { limbs.append(UInt32(value >> 32)) }
    }

    var isZero: Bool { limbs.isEmpty }

    var bitLength: Int {
        guard let top = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    /// self = self × factor + addend.
    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    func shiftedLeft(by bits: Int) -> BigUInt {
        if isZero || bits == 0 { return self }
        var result = BigUInt(0)
        let limbShift = bits / 32
        let bitShift = bits % 32
        result.limbs = Array(repeating: 0, count: limbShift)
        result.limbs.reserveCapacity(limbShift + limbs.count + 1)
        var carry: UInt32 = 0
        for limb in limbs {
            if bitShift == 0 {
                result.limbs.append(limb)
            } else {
                result.limbs.append(limb << UInt32(bitShift) | carry)
                carry = limb >> UInt32(32 - bitShift)
            }
        }
        if carry != 0 { result.limbs.append(carry) }
        return result
    }

    func compare(_ other: BigUInt) -> Int {
        if limbs.count != other.limbs.count { return limbs.count < other.limbs.count ? -1 : 1 }
        var i = limbs.count - 1
        while i >= 0 {
            if limbs[i] != other.limbs[i] { return limbs[i] < other.limbs[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    /// self -= other; requires self >= other.
    mutating func subtract(_ other: BigUInt) {
        var borrow: Int64 = 0
        for i in limbs.indices {
            var difference = Int64(limbs[i]) - borrow - (i < other.limbs.count ? Int64(other.limbs[i]) : 0)
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            limbs[i] = UInt32(difference)
        }
        while limbs.last == 0 { limbs.removeLast() }
    }
}
