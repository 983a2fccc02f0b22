import HearthRuntime
import HearthText
import Testing

/// An engine's caps on what a module may declare (`EngineConfiguration.moduleLimits`) reach the
/// decoder and the validator: an embedder can make them stricter than wasmparser's defaults.
@Suite struct ModuleLimitsTests {
    private func compile(_ wat: String, _ adjust: (inout ModuleLimits) -> Void) throws -> CompiledModule {
        var configuration = EngineConfiguration()
        adjust(&configuration.moduleLimits)
        return try CompiledModule(engine: Engine(configuration: configuration), bytes: try WAT.parseModule(wat))
    }

    @Test func anEnginesParameterCapRefusesALargerFunctionTypeAndTheDefaultAcceptsIt() throws {
        let wat = "(module (func (param i32 i32 i32)))"
        let refused = #expect(throws: HearthError.self) { try compile(wat) { $0.functionParameters = 2 } }
        #expect(refused?.kind == .decode)
        #expect(refused?.message == "implementation limit: 3 parameters, more than 2")
        _ = try compile(wat) { _ in }
    }

    @Test func anEnginesLocalsCapRefusesAFunctionWithMoreLocals() throws {
        let wat = "(module (func (local i64 i64 i64 i64 i64)))"
        let refused = #expect(throws: HearthError.self) { try compile(wat) { $0.functionLocals = 4 } }
        #expect(refused?.kind == .decode)
        #expect(refused?.message == "too many locals: 5, more than the implementation limit of 4")
        _ = try compile(wat) { $0.functionLocals = 5 }
    }

    @Test func anEnginesSubtypeDepthCapRefusesALongerChain() throws {
        let wat = """
        (module (type $a (sub (struct))) (type $b (sub $a (struct))) (type $c (sub $b (struct))))
        """
        #expect { try compile(wat) { $0.subtypeDepth = 1 } } throws: { ($0 as? HearthError)?.kind == .validate }
        _ = try compile(wat) { $0.subtypeDepth = 2 }
    }
}
