import HearthBinary
import HearthRuntime
import HearthText
import Testing

@Suite struct LinkingTests {
    @Test func hostFunctionsReceiveArgumentsAndCallerMemory() throws {
        var seen: [Value] = []
        let h = try Harness("""
        (module
          (import "env" "log" (func $log (param i32 i64) (result i32)))
          (memory (export "mem") 1)
          (data (i32.const 0) "hi")
          (func (export "run") (result i32) (i32.add (call $log (i32.const 7) (i64.const -1)) (i32.const 1))))
        """) { linker, _ in
            linker.defineFunction(module: "env", name: "log", type: FunctionType(parameters: [.i32, .i64], results: [.i32])) { caller, args in
                seen = args
                let bytes = try caller.memory!.read(0, count: 2)
                return [.i32(UInt32(bytes[0]) + UInt32(bytes[1]))]
            }
        }
        #expect(try h.call("run") == [.i32(0x68 + 0x69 + 1)])
        #expect(seen == [i32(7), i64(-1)])
    }

    @Test func hostErrorsPropagateAndGuestReentersFromHost() throws {
        struct Boom: Error {}
        var instance: Instance?
        let h = try Harness("""
        (module
          (import "env" "fail" (func $fail))
          (import "env" "back" (func $back (param i32) (result i32)))
          (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
          (func (export "reenter") (param i32) (result i32) (call $back (local.get 0)))
          (func (export "fail") (call $fail)))
        """) { linker, _ in
            linker.defineFunction(module: "env", name: "fail", type: FunctionType()) { _, _ in throw Boom() }
            linker.defineFunction(module: "env", name: "back", type: FunctionType(parameters: [.i32], results: [.i32])) { _, args in
                try instance!.function("twice")!.invoke(args)
            }
        }
        instance = h.instance
        #expect(try h.call("reenter", i32(21)) == [i32(42)])
        do {
            _ = try h.call("fail")
            Issue.record("expected an error")
        } catch let trap as HearthError where trap.kind == .trap {
            #expect(trap.trap == .hostError)
            #expect(trap.underlying is Boom)
        }
    }

    @Test func twoInstancesShareMemoryGlobalsAndFunctions() throws {
        let engine = Engine()
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let a = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (memory (export "mem") 1)
          (global (export "g") (mut i32) (i32.const 5))
          (func (export "get") (result i32) (i32.load (i32.const 0))))
        """)), in: store)
        linker.define(instance: a, as: "a")
        let b = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (import "a" "mem" (memory 1))
          (import "a" "g" (global $g (mut i32)))
          (import "a" "get" (func $get (result i32)))
          (export "get2" (func $get))
          (func (export "put") (param i32) (i32.store (i32.const 0) (local.get 0)) (global.set $g (local.get 0)))
          (func (export "viaA") (result i32) (call $get)))
        """)), in: store)
        _ = try b.function("put")!.invoke([i32(99)])
        #expect(try a.function("get")!.invoke() == [i32(99)])
        #expect(try b.function("viaA")!.invoke() == [i32(99)])
        #expect(a.global("g")!.value == i32(99))
        #expect(a.function("get")! === b.function("get2")!)
    }

    @Test func anInstanceRegisteredUnderAModuleNameSupersedesThatModulesDefinitions() throws {
        let engine = Engine()
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let type = FunctionType(parameters: [], results: [.i32])
        linker.defineFunction(module: "m", name: "f", type: type) { _, _ in [i32(1)] }
        linker.defineFunction(module: "m", name: "gone", type: type) { _, _ in [i32(4)] }
        linker.defineFunction(module: "other", name: "f", type: type) { _, _ in [i32(3)] }
        let exporter = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module (func (export "f") (result i32) (i32.const 2)))
        """)), in: store)
        linker.define(instance: exporter, as: "m")
        let importer = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (import "m" "f" (func $m (result i32)))
          (import "other" "f" (func $o (result i32)))
          (func (export "both") (result i32) (i32.add (i32.mul (call $m) (i32.const 10)) (call $o))))
        """)), in: store)
        #expect(try importer.function("both")!.invoke() == [i32(23)])
        // The module's other definitions went with it: the instance exports no "gone".
        #expect(throws: HearthError.self) {
            try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
            (module (import "m" "gone" (func (result i32))))
            """)), in: store)
        }
    }

    @Test func importErrorsUseSpecWords() throws {
        let engine = Engine()
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2)))
        linker.define(module: "m", name: "mem", .memory(memory))
        let wantsBigger = try CompiledModule(engine: engine, bytes: WAT.parseModule("(module (import \"m\" \"mem\" (memory 2)))"))
        let wantsMissing = try CompiledModule(engine: engine, bytes: WAT.parseModule("(module (import \"m\" \"nope\" (func)))"))
        let fits = try CompiledModule(engine: engine, bytes: WAT.parseModule("(module (import \"m\" \"mem\" (memory 1 3)))"))
        #expect { _ = try linker.instantiate(wantsBigger, in: store) } throws: { ($0 as? HearthError)?.message.hasPrefix("incompatible import type") == true }
        #expect { _ = try linker.instantiate(wantsMissing, in: store) } throws: { ($0 as? HearthError)?.message.hasPrefix("unknown import") == true }
        _ = try linker.instantiate(fits, in: store)
    }

    @Test func failingSegmentKeepsEarlierWritesAndTraps() throws {
        let engine = Engine()
        let store = Store(engine: engine)
        let linker = Linker(engine: engine)
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1)))
        linker.define(module: "m", name: "mem", .memory(memory))
        let module = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module (import "m" "mem" (memory 1))
          (data (i32.const 0) "ab") (data (i32.const 65535) "cd"))
        """))
        do {
            _ = try linker.instantiate(module, in: store)
            Issue.record("expected a trap")
        } catch let trap as HearthError where trap.kind == .trap {
            #expect(trap.message == "out of bounds memory access")
        }
        #expect(try memory.read(0, count: 2) == Array("ab".utf8))
    }

    @Test func startFunctionRunsAtInstantiation() throws {
        let h = try Harness("""
        (module (global $g (export "g") (mut i64) (i64.const 1))
          (func $start (global.set $g (i64.const 77))) (start $start))
        """)
        #expect(h.instance.global("g")!.value == .i64(77))
    }

    @Test func importsDefinedOnDemandAreSuppliedOnceEachAndDirectDefinitionsComeFirst() throws {
        let engine = Engine()
        let linker = Linker(engine: engine)
        var asked: [String] = []
        let unary = FunctionType(parameters: [.i32], results: [.i32])
        func adding(_ k: UInt32) -> (borrowing Caller, [Value]) throws -> [Value] {
            { _, args in
                guard case .i32(let x) = args[0] else { return [] }
                return [.i32(x &+ k)]
            }
        }
        linker.defineOnDemand(module: "host") { linker, name in
            asked.append(name)
            guard let k: UInt32 = ["add1": 1, "add2": 2][name] else { return }
            linker.defineFunction(module: "host", name: name, type: unary, adding(k))
        }
        linker.defineFunction(module: "host", name: "add3", type: unary, adding(3))
        let module = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (import "host" "add1" (func $a (param i32) (result i32)))
          (import "host" "add3" (func $c (param i32) (result i32)))
          (import "host" "add1" (func $a2 (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $c (call $a2 (call $a (local.get 0))))))
        """))
        for _ in 0..<2 {
            let instance = try linker.instantiate(module, in: Store(engine: engine))
            #expect(try instance.function("run")!.invoke([i32(10)]) == [i32(15)])
        }
        // add1 once (kept after), add3 never (defined directly).
        #expect(asked == ["add1"])

        let wantsMissing = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module (import "host" "add9" (func (param i32) (result i32))))
        """))
        let missing = #expect(throws: HearthError.self) { try linker.instantiate(wantsMissing, in: Store(engine: engine)) }
        #expect(missing?.message == "unknown import \"host\" \"add9\"")
        #expect(asked == ["add1", "add9"])

        // An instance registered under the name supersedes the supplier too.
        let store = Store(engine: engine)
        let exporter = try linker.instantiate(CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module (func (export "add2") (param i32) (result i32) (i32.add (local.get 0) (i32.const 20))))
        """)), in: store)
        linker.define(instance: exporter, as: "host")
        let wantsAdd2 = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module (import "host" "add2" (func $f (param i32) (result i32)))
          (func (export "run") (param i32) (result i32) (call $f (local.get 0))))
        """))
        let importer = try linker.instantiate(wantsAdd2, in: store)
        #expect(try importer.function("run")!.invoke([i32(1)]) == [i32(21)])
        #expect(asked == ["add1", "add9"])
    }
}
