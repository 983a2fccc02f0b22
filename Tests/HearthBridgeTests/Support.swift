import Foundation
import HearthBridge
import Synchronization

/// Paths and helpers shared by the bridge tests.
enum Fixtures {
    static let guests = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Guests")

    static var testRuntime: [UInt8] {
        get throws { Array(try Data(contentsOf: guests.appendingPathComponent("test-runtime.wasm"))) }
    }

    static let dotnetPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/real-world/basic.dotnet.wasm").path

    static var hasDotnet: Bool { FileManager.default.fileExists(atPath: dotnetPath) }

    /// A program of `../shared/real-world/` (compiled elsewhere, by nobody on this project).
    static func realWorld(_ name: String) -> String {
        URL(fileURLWithPath: dotnetPath).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static var hasRustPrograms: Bool {
        ["hello-wasi.rs.wasm", "greet-wasi.rs.wasm"].allSatisfy { FileManager.default.fileExists(atPath: realWorld($0)) }
    }

    /// An assembly in the test runtime's language exercising each feature the tests need.
    static let assembly = """
    ; arithmetic, strings, loops, host calls and deliberate misbehaviour
    (fn add (a b) (+ a b))
    (fn greet (name) (concat "Hello, " name "!"))
    (fn sum_to (n)
      (let total 0)
      (let i 1)
      (while (<= i n)
        (set total (+ total i))
        (set i (+ i 1)))
      total)
    (fn fact (n) (if (<= n 1) 1 (* n (fact (- n 1)))))
    (fn shout (x) (log (concat "shout: " x)) (len x))
    (fn get_body (url) (get (fetch url) "body"))
    (fn fetch_raw (url) (fetch url))
    (fn divide (a b) (/ a b))
    (fn boom () (trap))
    (fn bad_json () (raw "{not json"))
    (fn bad_pointer () (misbehave "pointer"))
    (fn bad_length () (misbehave "length"))
    (fn spin () (let on true) (while on on))
    (fn chatty_spin () (let on true) (let text "tick") (while on (log text)))
    (fn deep (n) (+ 1 (deep n)))
    (fn shapes () (obj "list" (list 1 "two" true null) "nested" (obj "q" "a\\"b")))
    """
}

/// Records what guests log.
final class LogSink: @unchecked Sendable {
    private(set) var messages: [String] = []
    func append(_ message: String) { messages.append(message) }
}

/// Answers fetches from a table and records the URLs asked for.
final class FakeFetcher: HTTPFetcher {
    private let table = Mutex<[String: FetchResponse]>([:])
    private let asked = Mutex<[String]>([])
    /// The answers, by URL.
    var responses: [String: FetchResponse] {
        get { table.withLock { $0 } }
        set { table.withLock { $0 = newValue } }
    }
    /// The URLs fetched, in order.
    var requested: [String] { asked.withLock { $0 } }

    func fetch(_ url: URL) throws -> FetchResponse {
        asked.withLock { $0.append(url.absoluteString) }
        guard let response = responses[url.absoluteString] else { throw URLError(.cannotFindHost) }
        return response
    }
}

/// A bridge over the committed test runtime with a log sink and a fake fetcher.
struct TestBridge {
    let bridge: RuntimeBridge
    let log = LogSink()
    let fetcher = FakeFetcher()

    init(allowedHosts: Set<String> = [], configure: (inout GuestOptions) -> Void = { _ in }) throws {
        var options = GuestOptions()
        let log = self.log
        options.log = { log.append($0) }
        options.fetcher = fetcher
        options.fetchPolicy = FetchPolicy(allowedHosts: allowedHosts)
        configure(&options)
        bridge = try RuntimeBridge(runtime: try Fixtures.testRuntime, options: options)
    }

    /// Loads the fixture assembly and compiles `entryPoint`.
    func delegate(_ entryPoint: String, source: String = Fixtures.assembly) throws -> DelegateHandle {
        let assembly = try bridge.loadAssembly(Array(source.utf8))
        return try bridge.compileDelegate(assembly, entryPoint: entryPoint)
    }

    /// Executes `entryPoint` on JSON argument text and returns the result's JSON text.
    func run(_ entryPoint: String, _ args: String) throws -> String {
        try bridge.execute(try delegate(entryPoint), argsJSON: Array(args.utf8)).text
    }
}
