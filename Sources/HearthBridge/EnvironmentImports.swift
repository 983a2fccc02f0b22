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
            frame.setI32(try HostBuffers.copyIntoGuest(answer.bytes, caller))
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
}
