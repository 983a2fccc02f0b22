import Foundation
import HearthWASI
import Testing

/// The official WASI testsuite programs (shared checkout next to the repository), all 72.
@Suite struct WASITestSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/wasi-testsuite/tests").path

    @Test(.enabled(if: FileManager.default.fileExists(atPath: root)))
    func everyOfficialPreview1TestPasses() throws {
        let folders = ["assemblyscript", "c", "rust"].map { "\(Self.root)/\($0)/testsuite/wasm32-wasip1" }
        var failures: [String] = []
        let summary = try WASITestSuite().run(paths: folders) { line in
            if line.hasPrefix("FAIL") { failures.append(line) }
        }
        #expect(failures == [])
        #expect(summary.line == "72 passed, 0 failed, 0 skipped")
    }

    @Test func expectationLinesNameTestsAndReasons() {
        let expectations = WASITestSuite.Expectations(contents: """
            # comment
            rust/poll_oneoff_stdio: needs a terminal  # trailing comment
            c/lseek: skip: not built
            """)
        #expect(expectations.reasons == ["rust/poll_oneoff_stdio": "needs a terminal", "c/lseek": "skip: not built"])
    }

    @Test func testIdentifiersUseTheLanguageFolder() {
        #expect(WASITestSuite.identifier(folder: "/x/tests/rust/testsuite/wasm32-wasip1", name: "stdio") == "rust/stdio")
        #expect(WASITestSuite.identifier(folder: "/x/mine", name: "t") == "mine/t")
    }
}
