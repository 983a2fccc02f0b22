import HearthWast
import Testing

/// The spec runner itself: passing, failing and trapping assertions are told apart.
@Suite struct WastRunnerTests {
    @Test func passingAssertionsPass() {
        let script = """
        (module
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
          (func (export "nan") (result f32) f32.const nan))
        (assert_return (invoke "add" (i32.const 2) (i32.const 40)) (i32.const 42))
        (assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
        (assert_return (invoke "nan") (f32.const nan:canonical))
        (assert_invalid (module (func (result i32) i64.const 0)) "type mismatch")
        (assert_malformed (module quote "(func i32.frob)") "unknown operator")
        """
        let result = WastRunner.run(text: script, file: "inline.wast")
        #expect(result.failures.map(\.message) == [])
        #expect(result.passed == 6)
    }

    @Test func wrongResultIsAFailureOnItsLine() {
        let script = """
        (module (func (export "one") (result i32) i32.const 1))
        (assert_return (invoke "one") (i32.const 2))
        """
        let result = WastRunner.run(text: script, file: "inline.wast")
        #expect(result.passed == 1)
        #expect(result.failures.map(\.line) == [2])
    }

    @Test func registeredModulesAreImportable() {
        let script = """
        (module $a (global (export "g") i32 (i32.const 7)))
        (register "a" $a)
        (module (import "a" "g" (global i32)) (func (export "get") (result i32) global.get 0))
        (assert_return (invoke "get") (i32.const 7))
        (assert_unlinkable (module (import "a" "missing" (global i32))) "unknown import")
        """
        let result = WastRunner.run(text: script, file: "inline.wast")
        #expect(result.failures.map(\.message) == [])
        #expect(result.passed == 5)
    }

    @Test func expectationsListParsesFileAndLine() {
        let expectations = Expectations(contents: "# comment\nfoo.wast:12\n  bar.wast:3  # why\n")
        #expect(expectations.isKnownFailure(file: "foo.wast", line: 12))
        #expect(expectations.isKnownFailure(file: "bar.wast", line: 3))
        #expect(!expectations.isKnownFailure(file: "foo.wast", line: 13))
    }
}
