import HearthRuntime
import HearthText

/// `v128` values in scripts: the runner's byte-list form to and from the runtime's two words,
/// and lane-wise expectations (`v128.const f32x4 nan:canonical 1.0 ...`).
extension WastRunner {
    /// 16 bytes in memory order as the runtime's little-endian halves.
    static func vectorValue(_ bytes: [UInt8]) -> V128 {
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, byte) in bytes.prefix(16).enumerated() {
            if i < 8 { low |= UInt64(byte) << UInt64(8 * i) } else { high |= UInt64(byte) << UInt64(8 * (i - 8)) }
        }
        return V128(low: low, high: high)
    }

    /// Lane `index` of `shape`, zero-extended, as the scalar `Value` a lane pattern is matched
    /// against: i8/i16/i32 lanes as `.i32`, i64 as `.i64`, float lanes as their bit patterns.
    static func lane(_ vector: V128, _ shape: V128Shape, _ index: Int) -> Value {
        let width = 16 / shape.laneCount
        let bitOffset = index * width * 8
        let word = bitOffset < 64 ? vector.low : vector.high
        let shifted = word >> UInt64(bitOffset % 64)
        let bits = width == 8 ? shifted : shifted & ((1 << UInt64(width * 8)) - 1)
        switch shape {
        case .i8x16, .i16x8, .i32x4: return .i32(UInt32(bits))
        case .i64x2: return .i64(bits)
        case .f32x4: return .f32(UInt32(bits))
        case .f64x2: return .f64(bits)
        }
    }

    static func vectorMatches(_ vector: V128, _ shape: V128Shape, _ lanes: [WastExpected]) -> Bool {
        guard lanes.count == shape.laneCount else { return false }
        return lanes.indices.allSatisfy { matches(lane(vector, shape, $0), lanes[$0]) }
    }
}
