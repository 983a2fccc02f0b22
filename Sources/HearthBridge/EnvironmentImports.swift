import Foundation
import HearthBinary
import HearthRuntime

/// The `env` module a guest runtime imports:
///
/// - `js_console_log(ptr: i32, len: i32)`: one UTF-8 message for the log sink.
/// - `js_fetch(urlPtr: i32, urlLen: i32) -> i32`: an HTTP GET, allowed only to the policy's hosts.
///   Answers a pointer to a block allocated with the guest's own `malloc`: a little-endian u32
///   byte count, then JSON `{"status":200,"body":"..."}` or `{"error":"..."}` (denied, network
///   failure); 0 if the guest's `malloc` failed. The guest frees the block.
struct EnvironmentImports {
    static let moduleName = "env"
    let options: GuestOptions

    func define(in linker: Linker) {
        let log = options.log
        // Numbers only, so the imports take their arguments in the guest's frame.
        try! linker.defineFrameFunction(module: Self.moduleName, name: "js_console_log",
                                        type: FunctionType(parameters: [.i32, .i32], results: [])) { caller, frame in
            let bytes = try HostBuffers.read(caller, frame, at: 0, import: "js_console_log")
            log(String(decoding: bytes, as: UTF8.self))
        }
        let policy = options.fetchPolicy
        let fetcher = options.fetcher
        try! linker.defineFrameFunction(module: Self.moduleName, name: "js_fetch",
                                        type: FunctionType(parameters: [.i32, .i32], results: [.i32])) { caller, frame in
            let url = String(decoding: try HostBuffers.read(caller, frame, at: 0, import: "js_fetch"), as: UTF8.self)
            let answer = Self.fetch(url, policy: policy, fetcher: fetcher)
            frame.setI32(try Self.copyIntoGuest(answer.bytes, caller))
        }
    }

    static func fetch(_ url: String, policy: FetchPolicy, fetcher: HTTPFetcher) -> JSONValue {
        switch policy.check(url) {
        case .failure(let denied):
            return .object([("error", .string("fetch denied: \(denied.reason)"))])
        case .success(let parsed):
            do {
                let response = try fetcher.fetch(parsed)
                return .object([("status", .number(Double(response.status))), ("body", .string(response.body))])
            } catch {
                return .object([("error", .string("fetch failed: \(error)"))])
            }
        }
    }

    /// The guest's bytes at `pointer` (`length` of them), range-checked against the caller's memory.
    static func guestBytes(_ caller: Caller, pointer: UInt32, length: UInt32, import name: String) throws -> [UInt8] {
        guard let memory = caller.memory else {
            throw BridgeError.hostFailure(export: name, message: "the caller has no memory")
        }
        guard UInt64(pointer) + UInt64(length) <= UInt64(memory.byteCount) else {
            throw BridgeError.badGuestBuffer(export: name, pointer: pointer, length: Int64(length), memorySize: memory.byteCount)
        }
        return try memory.read(Int(pointer), count: Int(length))
    }

    /// Allocates a length-prefixed block with the calling guest's `malloc` (a re-entrant call)
    /// and fills it.
    static func copyIntoGuest(_ bytes: [UInt8], _ caller: Caller) throws -> UInt32 {
        guard let malloc = caller.instance?.function("malloc"), let memory = caller.memory else {
            throw BridgeError.missingExport(name: "malloc", expected: "a function (i32) -> (i32), needed by js_fetch")
        }
        guard case .i32(let pointer)? = try malloc.invoke([.i32(UInt32(4 + bytes.count))]).first else {
            throw BridgeError.missingExport(name: "malloc", expected: "a function (i32) -> (i32)")
        }
        if pointer == 0 { return 0 }
        guard UInt64(pointer) + UInt64(4 + bytes.count) <= UInt64(memory.byteCount) else {
            throw BridgeError.badGuestBuffer(export: "malloc", pointer: pointer, length: Int64(4 + bytes.count), memorySize: memory.byteCount)
        }
        try memory.store(UInt32(bytes.count), at: Int(pointer))
        try memory.write(bytes, at: Int(pointer) + 4)
        return pointer
    }
}
