import Foundation
import HearthRuntime
import HearthWASI
import Testing

/// QuickJS-NG compiled as a WASI reactor (fetched by Tests/Guests/fetch-quickjs.sh): initialized
/// with `_initialize`, then `qjs_init_argv` runs a script from a preopened folder.
@Suite struct QuickJSReactorTests {
    static let modulePath = ProcessInfo.processInfo.environment["HEARTH_QJS_WASM"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build-guests/qjs-wasi-reactor.wasm").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: modulePath),
                   "run Tests/Guests/fetch-quickjs.sh to fetch QuickJS"))
    func javaScriptProgramPrintsItsComputedResult() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("""
            function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
            let sum = 0;
            for (let i = 0; i < 1000; i++) sum += i * i;
            console.log(`fib(20)=${fib(20)} sum=${sum} json=${JSON.stringify({ a: [1, 2, 3].map(x => x * 2) })}`);
            """, to: "main.js")

        let stdout = WASIOutputBuffer()
        var configuration = WASIConfiguration(arguments: ["qjs"],
                                              preopens: [WASIPreopen(hostPath: folder.path, guestPath: "/app")])
        configuration.stdout = .capture(stdout)
        configuration.stderr = .capture(WASIOutputBuffer())
        let engine = Engine()
        let module = try CompiledModule(engine: engine, path: Self.modulePath)
        let linker = Linker(engine: engine)
        try WASIHost(configuration: configuration).define(in: linker)
        let instance = try linker.instantiate(module, in: Store(engine: engine))
        _ = try #require(instance.function("_initialize")).invoke()

        // argv = ["qjs", "/app/main.js"], built in guest memory with the guest's own malloc.
        let malloc = try #require(instance.function("malloc"))
        let memory = try #require(instance.memory("memory"))
        func guestString(_ s: String) throws -> UInt32 {
            let bytes = Array(s.utf8) + [0]
            guard case .i32(let pointer) = try malloc.invoke([.i32(UInt32(bytes.count))])[0] else { throw CancellationError() }
            try memory.write(bytes, at: Int(pointer))
            return pointer
        }
        let arguments = [try guestString("qjs"), try guestString("/app/main.js")]
        guard case .i32(let argv) = try malloc.invoke([.i32(8)])[0] else { throw CancellationError() }
        for (i, pointer) in arguments.enumerated() { try memory.store(pointer, at: Int(argv) + 4 * i) }
        _ = try #require(instance.function("qjs_init_argv")).invoke([.i32(2), .i32(argv)])

        #expect(stdout.text == "fib(20)=6765 sum=332833500 json={\"a\":[2,4,6]}\n")
    }
}
