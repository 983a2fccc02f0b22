import HearthBinary
import Testing
@testable import HearthText

/// Script commands, actions and expectations.
struct WastScriptTests {
    @Test func commandsParseWithLinesAndModulesStayLazy() throws {
        let script = try WastScript.parse("""
        (module $m (func (export "f") (param i32) (result i32) (local.get 0)))
        (register "lib" $m)
        (assert_return (invoke $m "f" (i32.const -1)) (i32.const 4294967295))
        (assert_malformed (module quote "(func bogus)") "unknown operator")
        (assert_trap (invoke "f") "unreachable")
        (assert_invalid (module binary "\\00asm" "\\01\\00\\00\\00") "x")
        (get "g")
        """)
        #expect(script.commands.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
        guard case .module(let module) = script.commands[0].kind else { Issue.record("not a module"); return }
        #expect(module.name == "m")
        #expect(try module.encode().count > 8)
        guard case .register(let name, let registered) = script.commands[1].kind else { Issue.record("not register"); return }
        #expect(name == "lib" && registered == "m")
        guard case .assertReturn(.invoke(let target, let function, let arguments), let expected) = script.commands[2].kind,
              case .value(let result) = expected.first else { Issue.record("not assert_return"); return }
        #expect(target == "m" && function == "f")
        #expect(arguments == [.i32(0xFFFF_FFFF)])
        #expect(result == .i32(0xFFFF_FFFF))
        guard case .assertMalformed(let malformed, let message) = script.commands[3].kind else { Issue.record("not malformed"); return }
        #expect(message == "unknown operator")
        #expect { try malformed.encode() } throws: { ($0 as? HearthError)?.kind == .decode }
        guard case .assertInvalid(let binary, _) = script.commands[5].kind else { Issue.record("not invalid"); return }
        #expect(try binary.encode() == [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0])
        guard case .action(.get(nil, "g")) = script.commands[6].kind else { Issue.record("not get"); return }
    }

    @Test func expectationsCoverNaNPatternsReferencesAndVectors() throws {
        let script = try WastScript.parse("""
        (assert_return (invoke "f")
          (f32.const nan:canonical) (f64.const nan:arithmetic) (f64.const -0x1p-1)
          (ref.null extern) (ref.extern 7) (ref.func) (ref.null)
          (v128.const i32x4 1 2 3 -1) (v128.const f32x4 1 nan:canonical 0 0))
        """)
        guard case .assertReturn(_, let e) = script.commands[0].kind else { Issue.record("not assert_return"); return }
        #expect(e.count == 9)
        if case .f32NaN(.canonical) = e[0] {} else { Issue.record("\(e[0])") }
        if case .f64NaN(.arithmetic) = e[1] {} else { Issue.record("\(e[1])") }
        if case .value(.f64(0xBFE0_0000_0000_0000)) = e[2] {} else { Issue.record("\(e[2])") }
        if case .value(.refNull(.extern)) = e[3] {} else { Issue.record("\(e[3])") }
        if case .value(.refExtern(7)) = e[4] {} else { Issue.record("\(e[4])") }
        if case .refFunc = e[5] {} else { Issue.record("\(e[5])") }
        if case .refNull(nil) = e[6] {} else { Issue.record("\(e[6])") }
        if case .value(.v128(let bytes)) = e[7] {
            #expect(bytes == [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        } else { Issue.record("\(e[7])") }
        if case .v128Lanes(.f32x4, let lanes) = e[8] {
            #expect(lanes.count == 4)
            if case .f32NaN(.canonical) = lanes[1] {} else { Issue.record("\(lanes[1])") }
        } else { Issue.record("\(e[8])") }
    }

    @Test func malformedScriptsAndUnknownCommandsThrow() {
        #expect { try WastScript.parse("(assert_return (invoke \"f\")") } throws: { ($0 as? HearthError)?.kind == .decode }
        #expect(textErrorMessage { try WastScript.parse("(thread $t)") } == "unsupported: script command thread")
    }

    @Test func aScriptOfBareFieldsIsOneModule() throws {
        let script = try WastScript.parse("(func) (memory 0) (func (export \"f\"))")
        #expect(script.commands.count == 1)
        guard case .module(let module) = script.commands[0].kind else { Issue.record("not a module"); return }
        #expect(try module.encode() == WAT.parseModule("(module (func) (memory 0) (func (export \"f\")))"))
    }
}
