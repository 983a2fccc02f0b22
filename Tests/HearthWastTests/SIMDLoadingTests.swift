import Foundation
import HearthBinary
import HearthText
import HearthRuntime
@testable import HearthWast
import Testing

/// The SIMD scripts' load-time assertions (malformed text and binaries, invalid modules) on their
/// own, so a decoding or validation regression shows here even without the conformance run; and
/// the runner's v128 lane patterns on hand-written vectors.
@Suite struct SIMDLoadingTests {
    static let directory = "/work/shared/wasm-testsuite/wasm-2.0"
    static let features = FeatureSet(version: .wasm2, simd: true)

    @Test func everySIMDMalformedAndInvalidAssertionPasses() throws {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: Self.directory)) ?? [])
            .filter { $0.hasPrefix("simd_") && $0.hasSuffix(".wast") }.sorted()
        guard !files.isEmpty else { return }
        var checked = 0
        var failures: [String] = []
        for file in files {
            let text = try String(contentsOfFile: "\(Self.directory)/\(file)", encoding: .utf8)
            var loadTimeLines = Set<Int>()
            for command in try WastScript.parse(text).commands {
                switch command.kind {
                case .assertMalformed, .assertInvalid: loadTimeLines.insert(command.line)
                default: break
                }
            }
            let result = WastRunner.run(text: text, file: file, features: Self.features)
            for (line, outcome) in result.outcomes where loadTimeLines.contains(line) {
                checked += 1
                if case .failed(let message) = outcome { failures.append("\(file):\(line): \(message)") }
            }
        }
        for failure in failures.prefix(40) { print(failure) }
        #expect(failures.isEmpty)
        #expect(checked > 400)
    }

    @Test func vectorLanePatternsMatchPerLane() {
        // f32x4 lanes: canonical NaN, 1.0, arithmetic NaN, -0.0
        let vector = V128(low: 0x3F80_0000_7FC0_0000, high: 0x8000_0000_7FE0_0001)
        let expected: WastExpected = .v128Lanes(.f32x4, [.f32NaN(.canonical), .value(.f32(0x3F80_0000)),
                                                         .f32NaN(.arithmetic), .value(.f32(0x8000_0000))])
        #expect(WastRunner.matches(.v128(vector), expected))
        let wrong: WastExpected = .v128Lanes(.f32x4, [.f32NaN(.canonical), .value(.f32(0x3F80_0000)),
                                                      .f32NaN(.canonical), .value(.f32(0x8000_0000))])
        #expect(!WastRunner.matches(.v128(vector), wrong))
        let bytes: [UInt8] = [0x00, 0x00, 0xC0, 0x7F, 0x00, 0x00, 0x80, 0x3F, 0x01, 0x00, 0xE0, 0x7F, 0x00, 0x00, 0x00, 0x80]
        #expect(WastRunner.matches(.v128(vector), .value(.v128(bytes))))
        #expect(WastRunner.vectorValue(bytes) == vector)
    }
}
