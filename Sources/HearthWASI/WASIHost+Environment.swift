#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// Arguments, environment, clocks, randomness and the process functions.
extension WASIHost {
    func environmentFunctions() -> [WASIFunction] {
        let arguments = configuration.arguments
        let environment = configuration.environment.map { "\($0.0)=\($0.1)" }
        return [
            WASIFunction("args_sizes_get") { [self] c, a in try Self.sizes(of: arguments, c, a) },
            WASIFunction("args_get") { [self] c, a in try Self.strings(arguments, c, a) },
            WASIFunction("environ_sizes_get") { [self] c, a in try Self.sizes(of: environment, c, a) },
            WASIFunction("environ_get") { [self] c, a in try Self.strings(environment, c, a) },
            WASIFunction("clock_res_get") { [self] c, a in
                var spec = timespec()
                guard clock_getres(try Self.clockID(a.i32(0)), &spec) == 0 else { throw WASIErrno.last }
                try GuestMemory(c).storeUInt64(Self.nanoseconds(spec), at: a.i32(1))
            },
            WASIFunction("clock_time_get") { [self] c, a in
                try GuestMemory(c).storeUInt64(try Self.now(clock: a.i32(0)), at: a.i32(2))
            },
            WASIFunction("random_get") { [self] c, a in
                var generator = SystemRandomNumberGenerator()
                try GuestMemory(c).withRegion(at: a.i32(0), count: a.i32(1)) { region in
                    var offset = 0
                    while offset < region.count {
                        let word = generator.next()
                        withUnsafeBytes(of: word) { bytes in
                            let n = min(8, region.count - offset)
                            region.baseAddress!.advanced(by: offset).copyMemory(from: bytes.baseAddress!, byteCount: n)
                            offset += n
                        }
                    }
                }
            },
            WASIFunction("sched_yield") { [self] _, _ in _ = sched_yield() },
            // Deprecated in preview1 and gone from later WASI: signals are not delivered to a
            // sandboxed guest, so this answers ENOSYS as the spec allows for unsupported calls.
            WASIFunction("proc_raise") { [self] _, _ in throw WASIErrno.nosys },
        ]
    }

    private static func sizes(of strings: [String], _ caller: borrowing Caller, _ a: HostCallFrame) throws {
        let memory = try GuestMemory(caller)
        try memory.storeUInt32(UInt32(strings.count), at: a.i32(0))
        try memory.storeUInt32(UInt32(strings.reduce(0) { $0 + $1.utf8.count + 1 }), at: a.i32(1))
    }

    private static func strings(_ strings: [String], _ caller: borrowing Caller, _ a: HostCallFrame) throws {
        let memory = try GuestMemory(caller)
        var pointer = a.i32(0), buffer = a.i32(1)
        for string in strings {
            try memory.storeUInt32(buffer, at: pointer)
            let bytes = Array(string.utf8) + [0]
            try memory.write(bytes, at: buffer)
            pointer &+= 4
            buffer &+= UInt32(bytes.count)
        }
    }

    static func clockID(_ id: UInt32) throws -> clockid_t {
        switch id {
        case 0: return CLOCK_REALTIME
        case 1: return CLOCK_MONOTONIC
        case 2: return CLOCK_PROCESS_CPUTIME_ID
        case 3: return CLOCK_THREAD_CPUTIME_ID
        default: throw WASIErrno.inval
        }
    }

    static func nanoseconds(_ spec: timespec) -> UInt64 {
        UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// The current time of a WASI clock in nanoseconds.
    static func now(clock: UInt32) throws -> UInt64 {
        var spec = timespec()
        guard clock_gettime(try clockID(clock), &spec) == 0 else { throw WASIErrno.last }
        return nanoseconds(spec)
    }
}
