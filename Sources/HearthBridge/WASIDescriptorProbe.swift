import HearthBinary
import HearthRuntime
import HearthWASI

/// Finds the WASI descriptors a guest opened itself (files, accepted sockets) — state a warm
/// snapshot cannot carry, since a restored instance gets a fresh WASI host with only the
/// standard streams and preopens.
///
/// `WASIHost` does not publish its descriptor table, so the probe asks it the way a guest
/// would: a tiny module linked against the same WASI definitions calls `fd_fdstat_get` on each
/// number. WASI hands out the lowest free number, so descriptors sit below the peak number ever
/// open at once; the probe checks up to `limit` numbers.
extension GuestInstance {
    /// Numbers of open descriptors beyond stdio and the preopens, checking fds below `limit`.
    public func guestOpenedDescriptors(limit: UInt32 = 1024) throws -> [UInt32] {
        let probe: Function
        if let made = descriptorProbe {
            probe = made
        } else {
            do {
                let module = try CompiledModule(engine: store.engine, bytes: Self.probeModule)
                guard let function = try linker.instantiate(module, in: store).function("probe") else { return [] }
                probe = function
            } catch {
                throw BridgeError.hostFailure(export: "fd_fdstat_get", message: "cannot probe WASI descriptors: \(error)")
            }
            descriptorProbe = probe
        }
        let initial = UInt32(3 + options.preopens.count)
        var open: [UInt32] = []
        for fd in initial..<max(initial, limit) {
            guard case .i32(let errno)? = try probe.invoke([.i32(fd)]).first else { continue }
            if errno == 0 { open.append(fd) }
        }
        return open
    }

    /// `(module (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
    ///  (memory 1 1) (func (export "probe") (param i32) (result i32) (call 0 (local.get 0) (i32.const 0))))`
    static let probeModule: [UInt8] = {
        func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id, UInt8(content.count)] + content }
        func name(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
        let body: [UInt8] = [0x00, 0x20, 0x00, 0x41, 0x00, 0x10, 0x00, 0x0b]
        return [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
            + section(1, [0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f])
            + section(2, [0x01] + name(WASIHost.moduleName) + name("fd_fdstat_get") + [0x00, 0x00])
            + section(3, [0x01, 0x01])
            + section(5, [0x01, 0x01, 0x01, 0x01])
            + section(7, [0x01] + name("probe") + [0x00, 0x01])
            + section(10, [0x01, UInt8(body.count)] + body)
    }()
}
