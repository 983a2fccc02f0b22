#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthRuntime

/// `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown` on sockets the embedder handed in
/// (`WASIConfiguration.sockets`) and on connections accepted from them.
extension WASIHost {
    func pollAndSocketFunctions() -> [WASIFunction] {
        [
            WASIFunction("poll_oneoff") { [self] c, a in try pollOneoff(c, a) },
            WASIFunction("sock_accept") { [self] c, a in
                let (listening, listener) = try socket(a.i32(0), .sockAccept)
                let flags = UInt16(truncatingIfNeeded: a.i32(1))
                guard flags & ~FdFlags.nonblock == 0 else { throw WASIErrno.inval }
                let memory = try GuestMemory(c)
                try memory.storeUInt32(0, at: a.i32(2))
                let connection = Int32(try Self.inGuestBlockingMode(listening, fd: listener,
                                                                    events: Int16(POLLIN), withoutWaitFlag: nil) { _ in
                    Int(Self.acceptCloseOnExec(listener, nonBlocking: flags != 0))
                })
                let descriptor = Descriptor(backing: .host(connection, owned: true), fileType: .socketStream,
                                            rights: WASIRights.socket.subtracting(.sockAccept), inheriting: [])
                descriptor.flags = flags
                try memory.storeUInt32(try descriptors.insert(descriptor), at: a.i32(2))
            },
            WASIFunction("sock_recv") { [self] c, a in
                let (descriptor, fd) = try socket(a.i32(0), .fdRead)
                let riflags = a.i32(3)
                guard riflags & ~UInt32(3) == 0 else { throw WASIErrno.inval }
                let memory = try GuestMemory(c)
                let vectors = try memory.ioVectors(at: a.i32(1), count: a.i32(2))
                try memory.storeUInt32(0, at: a.i32(4))
                try memory.storeUInt16(0, at: a.i32(5))
                var hostFlags: Int32 = 0
                if riflags & 1 != 0 { hostFlags |= Int32(MSG_PEEK) }
                if riflags & 2 != 0 { hostFlags |= Int32(MSG_WAITALL) }
                var truncated = false
                let count = try memory.memory.withUnsafeMutableBytes { all -> Int in
                    var iov = vectors.map { iovec(iov_base: all.baseAddress! + Int($0.base), iov_len: Int($0.length)) }
                    return try iov.withUnsafeMutableBufferPointer { buffers in
                        var message = msghdr()
                        message.msg_iov = buffers.baseAddress
                        message.msg_iovlen = buffers.count
                        let n = try Self.inGuestBlockingMode(descriptor, fd: fd, events: Int16(POLLIN),
                                                             withoutWaitFlag: Int32(MSG_DONTWAIT)) { extra in
                            recvmsg(fd, &message, hostFlags | extra)
                        }
                        truncated = message.msg_flags & Int32(MSG_TRUNC) != 0
                        return n
                    }
                }
                try memory.storeUInt32(UInt32(count), at: a.i32(4))
                try memory.storeUInt16(truncated ? 1 : 0, at: a.i32(5))
            },
            WASIFunction("sock_send") { [self] c, a in
                let (descriptor, fd) = try socket(a.i32(0), .fdWrite)
                guard a.i32(3) == 0 else { throw WASIErrno.inval } // no siflags are defined
                let memory = try GuestMemory(c)
                let vectors = try memory.ioVectors(at: a.i32(1), count: a.i32(2))
                try memory.storeUInt32(0, at: a.i32(4))
                let count = try memory.memory.withUnsafeMutableBytes { all -> Int in
                    var iov = vectors.map { iovec(iov_base: all.baseAddress! + Int($0.base), iov_len: Int($0.length)) }
                    return try iov.withUnsafeMutableBufferPointer { buffers in
                        var message = msghdr()
                        message.msg_iov = buffers.baseAddress
                        message.msg_iovlen = buffers.count
                        // A closed peer must give EPIPE, not kill the host with SIGPIPE.
                        return try Self.inGuestBlockingMode(descriptor, fd: fd, events: Int16(POLLOUT),
                                                            withoutWaitFlag: Int32(MSG_DONTWAIT)) { extra in
                            sendmsg(fd, &message, Int32(MSG_NOSIGNAL) | extra)
                        }
                    }
                }
                try memory.storeUInt32(UInt32(count), at: a.i32(4))
            },
            WASIFunction("sock_shutdown") { [self] _, a in
                let (descriptor, fd) = try socket(a.i32(0), .sockShutdown)
                // A socket the host handed in is the host's after the guest is gone: shutting it
                // down (a listener stops listening) would outlive the guest. Connections the
                // guest accepted are its own.
                guard case .host(_, owned: true) = descriptor.backing else {
                    throw WASIErrno.notsup
                }
                let how: Int32
                switch a.i32(1) {
                case 1: how = Int32(SHUT_RD)
                case 2: how = Int32(SHUT_WR)
                case 3: how = Int32(SHUT_RDWR)
                default: throw WASIErrno.inval
                }
                try posixCall { shutdown(fd, how) }
            },
        ]
    }

    /// A socket descriptor holding `rights` and its host fd: `EBADF` for no descriptor,
    /// `ENOTSOCK` for a descriptor that is not a socket.
    private func socket(_ fd: UInt32, _ rights: WASIRights) throws -> (Descriptor, Int32) {
        let d = try descriptors.get(fd)
        guard d.fileType == .socketStream || d.fileType == .socketDgram, let host = d.hostFD else {
            throw WASIErrno.notsock
        }
        try d.require(rights)
        return (d, host)
    }
}
