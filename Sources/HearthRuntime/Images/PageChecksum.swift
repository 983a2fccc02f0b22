/// A 64-bit checksum of a page of memory, fast enough to compute for every page a snapshot
/// writes (it is computed while the page is written out, and again only by a scrub).
///
/// It detects torn writes, truncation and media errors; it is not a cryptographic hash and is
/// never used to name or deduplicate content, so a guest that chooses its memory's bytes gains
/// nothing by making two pages collide.
public enum PageChecksum {
    /// The checksum of `byteCount` bytes at `start` (a multiple of 32; pages are 64 KiB).
    public static func of(_ start: UnsafeRawPointer, byteCount: Int) -> UInt64 {
        precondition(byteCount % 32 == 0, "checksums cover whole 32-byte blocks")
        var lanes = Lanes()
        lanes.absorb(start, byteCount: byteCount)
        return lanes.finish(byteCount: byteCount)
    }

    /// The checksum of `bytes` zero-padded to a multiple of 32 bytes (headers, whole modules):
    /// any length, and the bytes are not copied to pad them.
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            var lanes = Lanes()
            let whole = raw.count / 32 * 32
            if whole > 0 { lanes.absorb(raw.baseAddress!, byteCount: whole) }
            guard whole < raw.count else { return lanes.finish(byteCount: whole) }
            var tail = [UInt8](repeating: 0, count: 32)
            tail.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[whole...])) }
            tail.withUnsafeBytes { lanes.absorb($0.baseAddress!, byteCount: 32) }
            return lanes.finish(byteCount: whole + 32)
        }
    }

    /// Four independent lanes keep four multiplies in flight; each lane is a multiply-xorshift
    /// over its words, the lanes folded together at the end.
    private struct Lanes {
        var a: UInt64 = 0x243F_6A88_85A3_08D3, b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0, d: UInt64 = 0x082E_FA98_EC4E_6C89
        static let k: UInt64 = 0x9E37_79B9_7F4A_7C15

        mutating func absorb(_ start: UnsafeRawPointer, byteCount: Int) {
            let k = Self.k
            var offset = 0
            while offset < byteCount {
                a = (a ^ start.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* k
                b = (b ^ start.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* k
                c = (c ^ start.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* k
                d = (d ^ start.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* k
                a ^= a >> 29; b ^= b >> 29; c ^= c >> 29; d ^= d >> 29
                offset += 32
            }
        }

        func finish(byteCount: Int) -> UInt64 {
            var h = UInt64(byteCount) &* Self.k
            for lane in [a, b, c, d] {
                h = (h ^ lane) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
            }
            return h
        }
    }
}
