#if canImport(Glibc)
import Glibc
#endif

/// How `hearth serve` asks glibc's allocator to give large freed blocks back to the system.
///
/// glibc raises its mmap threshold to the size of the largest block freed so far (up to 32 MiB),
/// and its trim threshold to twice that. After one large request body the next ones are served
/// from the heap, and what they free stays at the top of a thread's arena: measured with
/// `Benchmarks/load/bursts.py`, four 40 MiB wide-array JSON bodies (each parsed into a few hundred
/// megabytes of values) left the server at 91 MB against 40 MB idle, and `malloc_trim` could not
/// take it back, since it only returns free chunks inside an arena, not its top. Fixed
/// thresholds turn the adjustment off: blocks of `mmapThreshold` bytes or more are mapped and
/// unmapped on their own (46 MB after the same burst), and an arena's free top is trimmed past
/// `trimThreshold`. Smaller blocks, the common case, are unaffected.
enum ServerHeapPolicy {
    /// Blocks this large or larger get their own mapping.
    static let mmapThreshold: Int32 = 1 << 20
    /// Free memory at an arena's top beyond this is returned.
    static let trimThreshold: Int32 = 8 << 20

    /// Applies the policy to the process (a no-op where the C library is not glibc).
    static func apply() {
        guard let mallopt else { return }
        _ = mallopt(trimThresholdOption, trimThreshold)
        _ = mallopt(mmapThresholdOption, mmapThreshold)
    }

    // `<malloc.h>`'s parameter numbers: glibc's Swift module exports neither them nor `mallopt`.
    private static let trimThresholdOption: Int32 = -1
    private static let mmapThresholdOption: Int32 = -3

    private typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    private static let mallopt: Mallopt? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return nil }
        return unsafeBitCast(symbol, to: Mallopt.self)
        #else
        return nil
        #endif
    }()
}
