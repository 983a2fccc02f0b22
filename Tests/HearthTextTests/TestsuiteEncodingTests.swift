import Foundation
import Testing
@testable import HearthText
import HearthBinary

/// Runs the text layer over the official Wasm 2.0 testsuite (when it is present): every script
/// must parse, every module outside `assert_malformed` must encode, and every text module inside
/// `assert_malformed` must be rejected.
struct TestsuiteEncodingTests {
    static let directory = "/work/shared/wasm-testsuite/wasm-2.0"

    static var scripts: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".wast") }.sorted()
    }

    @Test func everyScriptParsesAndEveryWellFormedModuleEncodes() throws {
        let scripts = Self.scripts
        guard !scripts.isEmpty else { return }
        var failures: [String] = []
        var encoded = 0
        var rejected = 0
        for file in scripts {
            let text = try String(contentsOfFile: "\(Self.directory)/\(file)", encoding: .utf8)
            let script: WastScript
            do {
                script = try WastScript.parse(text)
            } catch {
                failures.append("\(file): script: \(error)")
                continue
            }
            for command in script.commands {
                switch command.kind {
                case .module(let m), .assertInvalid(let m, _), .assertUnlinkable(let m, _),
                     .assertUninstantiable(let m, _), .assertTrapModule(let m, _):
                    do {
                        _ = try m.encode(features: .wasm2)
                        encoded += 1
                    } catch {
                        failures.append("\(file):\(command.line): \(error)")
                    }
                case .assertMalformed(let m, let message):
                    guard case .binary = m.source else {
                        do {
                            _ = try m.encode(features: .wasm2)
                            failures.append("\(file):\(command.line): accepted malformed module (\(message))")
                        } catch {
                            rejected += 1
                        }
                        continue
                    }
                default:
                    break
                }
            }
        }
        for failure in failures.prefix(50) { print(failure) }
        print("encoded \(encoded) modules, rejected \(rejected) malformed ones, \(failures.count) failures")
        #expect(failures.isEmpty)
        #expect(encoded > 1500)
    }

    /// The SIMD scripts' modules go through the binary decoder too: what the encoder produces
    /// for every well-formed SIMD module must decode with SIMD enabled, back to the same bytes'
    /// instructions (a decode/encode round trip of each function body).
    @Test func everySIMDModuleDecodesWithSIMDEnabled() throws {
        let scripts = Self.scripts.filter { $0.hasPrefix("simd_") }
        guard !scripts.isEmpty else { return }
        let features = FeatureSet(version: .wasm2, simd: true)
        var failures: [String] = []
        var decoded = 0
        for file in scripts {
            let text = try String(contentsOfFile: "\(Self.directory)/\(file)", encoding: .utf8)
            for command in try WastScript.parse(text).commands {
                guard case .module(let m) = command.kind else { continue }
                do {
                    let bytes = try m.encode()
                    let module = try ModuleDecoder.decode(bytes, features: features)
                    for body in module.codes {
                        var reader = CodeReader(bytes: bytes, range: body.code, features: features)
                        var writer = BinaryWriter()
                        while !reader.isAtEnd { writer.instruction(try reader.read()) }
                        if writer.bytes != Array(bytes[body.code]) {
                            failures.append("\(file):\(command.line): round trip differs")
                        }
                    }
                    decoded += 1
                } catch {
                    failures.append("\(file):\(command.line): \(error)")
                }
            }
        }
        for failure in failures.prefix(50) { print(failure) }
        #expect(failures.isEmpty)
        #expect(decoded > 100)
    }
}
