import Foundation

/// The large real-world modules used for decode/validate throughput and instantiate time.
enum RealModules {
    struct Entry {
        let name: String
        let bytes: [UInt8]
        /// Whether the module is a WASI command (instantiable with only WASI imports defined).
        let instantiable: Bool
    }

    /// basic.dotnet.wasm from the shared corpus, and QuickJS-NG if `compare --micro` fetched it
    /// (it is not committed); a missing file just drops that benchmark.
    static let all: [Entry] = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = here.deletingLastPathComponent().deletingLastPathComponent()
        let candidates: [(String, String, Bool)] = [
            ("basic.dotnet", root.appendingPathComponent("../../shared/real-world/basic.dotnet.wasm").path, true),
            ("quickjs", root.appendingPathComponent(".build/qjs/qjs-wasi-reactor/qjs-wasi-reactor.wasm").path, false),
        ]
        return candidates.compactMap { name, path, instantiable in
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return Entry(name: name, bytes: Array(data), instantiable: instantiable)
        }
    }()
}
