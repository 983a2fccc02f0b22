#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// `poll_oneoff`: waits for clock deadlines and descriptor readiness with one host `poll`.
extension WASIHost {
    /// One decoded 48-byte `subscription`.
    private enum Subscription {
        /// Nanoseconds from now until the deadline (0 when already past).
        case clock(remaining: UInt64)
        case descriptor(fd: UInt32, write: Bool)
        /// Decodable but unusable (bad clock id): reported as an event with this error.
        case invalid(WASIErrno, type: UInt8)
    }

    /// One 32-byte `event` to report.
    private struct Event {
        var userdata: UInt64
        var error: WASIErrno = .success
        var type: UInt8
        var bytes: UInt64 = 0
        var hangup = false
    }

    func pollOneoff(_ caller: borrowing Caller, _ a: HostCallFrame) throws {
        let memory = try GuestMemory(caller)
        let input = a.i32(0), output = a.i32(1), count = a.i32(2)
        try memory.storeUInt32(0, at: a.i32(3))
        guard count > 0 else { throw WASIErrno.inval }
        guard UInt64(output) + UInt64(count) * 32 <= UInt64(memory.memory.byteCount) else { throw WASIErrno.fault }

        var subscriptions: [(userdata: UInt64, subscription: Subscription)] = []
        for i in 0..<count {
            let base = input &+ i &* 48
            let userdata = try memory.loadUInt64(at: base)
            let tag = try memory.loadUInt8(at: base &+ 8)
            switch tag {
            case 0:
                let clock = try memory.loadUInt32(at: base &+ 16)
                let timeout = try memory.loadUInt64(at: base &+ 24)
                let absolute = try memory.loadUInt16(at: base &+ 40) & 1 != 0
                guard let now = try? Self.now(clock: clock) else {
                    subscriptions.append((userdata, .invalid(.inval, type: 0)))
                    continue
                }
                let remaining = absolute ? (timeout > now ? timeout - now : 0) : timeout
                subscriptions.append((userdata, .clock(remaining: remaining)))
            case 1, 2:
                subscriptions.append((userdata, .descriptor(fd: try memory.loadUInt32(at: base &+ 16), write: tag == 2)))
            default:
                throw WASIErrno.inval
            }
        }

        var events: [Event] = []
        var polled: [pollfd] = []
        var polledOwners: [(userdata: UInt64, type: UInt8)] = []
        var shortest: UInt64? = nil
        for (userdata, subscription) in subscriptions {
            switch subscription {
            case .invalid(let error, let type):
                events.append(Event(userdata: userdata, error: error, type: type))
            case .clock(let remaining):
                shortest = min(shortest ?? remaining, remaining)
            case .descriptor(let fd, let write):
                let type: UInt8 = write ? 2 : 1
                guard let d = descriptors[fd] else {
                    events.append(Event(userdata: userdata, error: .badf, type: type))
                    continue
                }
                switch d.backing {
                case .host(let hostFD, _) where d.fileType != .regularFile && d.fileType != .directory:
                    polled.append(pollfd(fd: hostFD, events: Int16(write ? POLLOUT : POLLIN), revents: 0))
                    polledOwners.append((userdata, type))
                case .input(let bytes, let position):
                    // In-memory input is always ready: data or end of file.
                    events.append(Event(userdata: userdata, error: write ? .badf : .success, type: type,
                                        bytes: UInt64(bytes.count - position), hangup: !write && position == bytes.count))
                default:
                    // Regular files, directories and captured output never block.
                    events.append(Event(userdata: userdata, type: type, bytes: try Self.readableBytes(d, write: write)))
                }
            }
        }

        // Anything ready already means no waiting; otherwise wait for the nearest deadline.
        let waitNanoseconds: UInt64? = events.isEmpty ? shortest : 0
        let started = try Self.now(clock: 1)
        if !polled.isEmpty {
            let timeout: Int32
            if let wait = waitNanoseconds {
                timeout = Int32(clamping: (wait + 999_999) / 1_000_000)
            } else {
                timeout = -1
            }
            _ = try posixCall { poll(&polled, nfds_t(polled.count), timeout) }
            for (entry, owner) in zip(polled, polledOwners) where entry.revents != 0 {
                var event = Event(userdata: owner.userdata, type: owner.type)
                if entry.revents & Int16(POLLNVAL) != 0 { event.error = .badf }
                else if entry.revents & Int16(POLLERR) != 0 { event.error = .io }
                if entry.revents & Int16(POLLHUP) != 0 { event.hangup = true }
                if owner.type == 1 {
                    var available: Int32 = 0
                    if ioctl(entry.fd, UInt(FIONREAD), &available) == 0 { event.bytes = UInt64(max(available, 0)) }
                }
                events.append(event)
            }
        } else if let wait = waitNanoseconds, wait > 0 {
            var request = timespec(tv_sec: time_t(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            var left = timespec()
            while nanosleep(&request, &left) != 0 && errno == EINTR { request = left }
        } else if waitNanoseconds == nil && events.isEmpty {
            // Nothing can ever happen (only bad subscriptions were handled above).
            throw WASIErrno.inval
        }
        let elapsed = (try Self.now(clock: 1)) - started
        for (userdata, subscription) in subscriptions {
            if case .clock(let remaining) = subscription, remaining <= elapsed || (events.isEmpty && remaining == shortest) {
                events.append(Event(userdata: userdata, type: 0))
            }
        }

        for (i, event) in events.prefix(Int(count)).enumerated() {
            let base = output &+ UInt32(i) &* 32
            try memory.write([UInt8](repeating: 0, count: 32), at: base)
            try memory.storeUInt64(event.userdata, at: base)
            try memory.storeUInt16(event.error.rawValue, at: base &+ 8)
            try memory.storeUInt8(event.type, at: base &+ 10)
            try memory.storeUInt64(event.bytes, at: base &+ 16)
            try memory.storeUInt16(event.hangup ? 1 : 0, at: base &+ 24)
        }
        try memory.storeUInt32(UInt32(min(events.count, Int(count))), at: a.i32(3))
    }

    /// For a file: the bytes between the position and the end (reads); 0 for writes.
    private static func readableBytes(_ d: Descriptor, write: Bool) throws -> UInt64 {
        guard !write, d.fileType == .regularFile, let fd = d.hostFD else { return 0 }
        let position = lseek(fd, 0, SEEK_CUR)
        let size = try hostStat(fd).st_size
        return position >= 0 && size > position ? UInt64(size - position) : 0
    }
}
