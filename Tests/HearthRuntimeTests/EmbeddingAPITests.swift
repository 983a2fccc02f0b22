import Dispatch
import HearthRuntime
import HearthText
import Synchronization
import Testing

/// The embedding API's shape (issue #18): typed calls, per-store data for host functions
/// defined once, and one import for everything in the signatures.
@Suite struct EmbeddingAPITests {
    private let adder = """
    (module
      (import "host" "bump" (func $bump (param i32) (result i32)))
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
      (func (export "bumped") (param i32) (result i32) (call $bump (local.get 0)))
      (func (export "nothing")))
    """

    /// A counter per store: what a host function defined once must keep apart per instance.
    final class Counter { var calls = 0 }

    /// Whatever layer refuses a module, the embedder catches one type and switches on its kind,
    /// with the place the kind has: a byte offset, a function, a line and column.
    @Test func everyLoadFailureIsAHearthErrorOfItsKindWithItsPlace() throws {
        let engine = Engine()
        func failure(_ body: () throws -> Void) -> HearthError? {
            do { try body() } catch { return error as? HearthError }
            return nil
        }
        let notWasm = failure { _ = try CompiledModule(engine: engine, bytes: [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]) }
        #expect(notWasm?.kind == .decode && notWasm?.offset == 4 && notWasm?.message == "unknown binary version")
        let mistyped = try WAT.parseModule(#"(module (func (result i32) (i64.const 0)))"#)
        let invalid = failure { _ = try CompiledModule(engine: engine, bytes: mistyped) }
        #expect(invalid?.kind == .validate && invalid?.functionIndex == 0 && invalid?.message == "type mismatch")
        let wantsImport = try CompiledModule(engine: engine, bytes: WAT.parseModule(#"(module (import "env" "f" (func)))"#))
        let unlinked = failure { _ = try Linker(engine: engine).instantiate(wantsImport, in: Store(engine: engine)) }
        #expect(unlinked?.kind == .link && unlinked?.message.hasPrefix("unknown import") == true)
        let badText = failure { _ = try WAT.parseModule("(module\n  (func (i32.bogus)))") }
        #expect(badText?.kind == .decode && badText?.position?.line == 2 && badText?.message == "unknown operator i32.bogus")
    }


    /// A trap, a limit and a failing host function reach the embedder as the same one error
    /// type, of kind `trap`, saying why it stopped and where, with what the host threw.
    @Test func everyStopOfRunningCodeIsAHearthErrorOfKindTrapWithItsReasonAndBacktrace() throws {
        struct Refused: Error {}
        let engine = Engine()
        let module = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (import "host" "refuse" (func $refuse))
          (func $inner (unreachable))
          (func (export "crash") (call $inner))
          (func (export "spin") (loop (br 0)))
          (func (export "ask") (call $refuse)))
        """))
        let linker = Linker(engine: engine)
        linker.defineFunction(module: "host", name: "refuse", type: FunctionType(parameters: [], results: [])) { _, _ in
            throw Refused()
        }
        let store = Store(engine: engine)
        let instance = try linker.instantiate(module, in: store)
        func failure(_ body: () throws -> Void) -> HearthError? {
            do { try body() } catch { return error as? HearthError }
            return nil
        }
        let crash = failure { _ = try instance.function("crash")!.invoke() }
        #expect(crash?.kind == .trap && crash?.trap == .unreachable && crash?.message == "unreachable")
        #expect(crash?.backtrace.map(\.functionIndex) == [1, 2])
        #expect(crash?.description == "unreachable\n  0: inner\n  1: func[2]")
        let spin = failure {
            try store.withLimits(ExecutionLimits(fuel: 1_000)) { _ = try instance.function("spin")!.invoke() }
        }
        #expect(spin?.kind == .trap && spin?.trap == .outOfFuel && spin?.exceededLimit == .fuel)
        let ask = failure { _ = try instance.function("ask")!.invoke() }
        #expect(ask?.kind == .trap && ask?.trap == .hostError && ask?.underlying is Refused)
        #expect(crash?.exceededLimit == nil && ask?.offset == nil && ask?.exitStatus == nil)
    }
    /// A host function defined on the frame reads each number type from the caller's slots and
    /// writes its results there: exact values from Wasm, from Swift through an export, and a
    /// throw that traps as any host function's does.
    @Test func aHostFunctionOnTheFrameReadsAndWritesEveryNumberTypeInPlace() throws {
        struct Refused: Error {}
        let engine = Engine()
        let linker = Linker(engine: engine)
        let mix = FunctionType(parameters: [.i32, .i64, .f32, .f64], results: [.f64, .i64])
        try linker.defineFrameFunction(module: "host", name: "mix", type: mix) { _, frame in
            let (a, b, c, d) = (Int32(bitPattern: frame.i32(0)), frame.i64(1), frame.f32(2), frame.f64(3))
            guard a != 0 else { throw Refused() }
            frame.setF64(Double(a) + Double(c) + d)
            frame.setI64(b &* 2, at: 1)
        }
        let module = try CompiledModule(engine: engine, bytes: WAT.parseModule("""
        (module
          (import "host" "mix" (func $mix (param i32 i64 f32 f64) (result f64 i64)))
          (export "mix" (func $mix))
          (func (export "sum") (param i32) (result f64)
            (local $total f64) (local $wide i64)
            (block $done (loop $next
              (br_if $done (i32.eqz (local.get 0)))
              (call $mix (i32.const -3) (i64.const 0x4000000000000001) (f32.const 0.5) (f64.const 10))
              (local.set $wide)
              (local.set $total (f64.add (local.get $total)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br $next)))
            (f64.add (local.get $total) (f64.convert_i64_u (i64.shr_u (local.get $wide) (i64.const 62))))))
        """))
        let instance = try linker.instantiate(module, in: Store(engine: engine))
        // 1000 × (-3 + 0.5 + 10), plus the top two bits of 0x4000000000000001 × 2 (0b10): 2.
        #expect(try instance.function("sum")!.invoke([.i32(1000)]) == [.f64((7502.0).bitPattern)])
        #expect(try instance.function("mix")!.invoke([.i32(2), .i64(21), .f32(Float(1.5).bitPattern), .f64((0.25).bitPattern)])
                == [.f64((3.75).bitPattern), .i64(42)])
        let refused = #expect(throws: HearthError.self) {
            try instance.function("mix")!.invoke([.i32(0), .i64(0), .f32(0), .f64(0)])
        } as? HearthError
        #expect(refused?.trap == .hostError && refused?.underlying is Refused)
        #expect { try linker.defineFrameFunction(module: "host", name: "ref", type: FunctionType(parameters: [.externref], results: [])) { _, _ in } }
            throws: { ($0 as? HearthError)?.kind == .link && "\($0)".hasPrefix("unsupported: ") }
    }

    @Test func oneLinkerServesManyStoresAndEachHostCallSeesItsOwnStoresData() throws {
        let engine = Engine()
        let linker = Linker(engine: engine)
        // Defined once, for every store: the state lives in the calling store's data.
        linker.defineFunction(module: "host", name: "bump", type: FunctionType(parameters: [.i32], results: [.i32])) { caller, arguments in
            guard let counter = caller.data(as: Counter.self), case .i32(let n) = arguments[0] else { return [.i32(0)] }
            counter.calls += 1
            return [.i32(n + UInt32(counter.calls))]
        }
        let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule(adder))
        var instances: [(Counter, Instance)] = []
        for _ in 0..<3 {
            let store = Store(engine: engine)
            let counter = Counter()
            store.data = counter
            instances.append((counter, try linker.instantiate(module, in: store)))
        }
        let (first, firstInstance) = instances[0]
        let (second, secondInstance) = instances[1]
        let bumpFirst = try firstInstance.typedFunction("bumped", Int32.self, returning: Int32.self)
        let once: Int32 = try bumpFirst(10)
        let twice: Int32 = try bumpFirst(10)
        let bumpSecond = try secondInstance.typedFunction("bumped", Int32.self, returning: Int32.self)
        let other: Int32 = try bumpSecond(10)
        #expect([once, twice, other] == [11, 12, 11])
        #expect(first.calls == 2 && second.calls == 1 && instances[2].0.calls == 0)
    }

    @Test func oneCompiledModuleIsSharedByThreadsEachRunningItInItsOwnStore() throws {
        // Compiled once; `Engine` and `CompiledModule` are `Sendable`, so the closure below may
        // capture them (a compile-time check under Swift 6). Translation is per instance, so
        // the threads translate and run the same bodies at the same time.
        let engine = Engine()
        let module = try CompiledModule(engine: engine, bytes: try WAT.parseModule("""
        (module
          (memory 1)
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
          (func (export "fill") (param $seed i32) (result i32) (local $i i32) (local $sum i32)
            (loop $l
              (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $seed) (local.get $i)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
            (local.set $i (i32.const 0))
            (loop $s
              (local.set $sum (i32.add (local.get $sum) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $s (i32.lt_u (local.get $i) (i32.const 1000))))
            (local.get $sum)))
        """))
        let results = Mutex<[Int: [Int32]]>([:])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            do {
                let instance = try Linker(engine: engine).instantiate(module, in: Store(engine: engine))
                let fib = try instance.typedFunction("fib", Int32.self, returning: Int32.self)
                let fill = try instance.typedFunction("fill", Int32.self, returning: Int32.self)
                let answers: [Int32] = [try fib(20), try fill(Int32(thread))]
                results.withLock { $0[thread] = answers }
            } catch {
                results.withLock { $0[thread] = [] }
            }
        }
        // Each store's memory is its own: sum of seed + i for i < 1000 is 1000 * seed + 499,500.
        let expected = (0..<4).reduce(into: [Int: [Int32]]()) { $0[$1] = [6_765, Int32(1_000 * $1 + 499_500)] }
        #expect(results.withLock { $0 } == expected)
    }

    @Test func typedFunctionsCallWithSwiftValuesAndRefuseAMismatchedType() throws {
        let engine = Engine()
        let linker = Linker(engine: engine)
        linker.defineFunction(module: "host", name: "bump", type: FunctionType(parameters: [.i32], results: [.i32])) { _, a in a }
        let instance = try linker.instantiate(try CompiledModule(engine: engine, bytes: try WAT.parseModule(adder)), in: Store(engine: engine))
        let add = try instance.typedFunction("add", Int32.self, Int32.self, returning: Int32.self)
        let sums: [Int32] = [try add(2, 40), try add(-5, 3)]
        #expect(sums == [42, -2])
        let halve = try instance.typedFunction("half", Double.self, returning: Double.self)
        let half: Double = try halve(3)
        #expect(half == 1.5)
        let nothing = try instance.typedFunction("nothing", returning: NoResults.self)
        let none: NoResults = try nothing()
        #expect(none == NoResults(results: []))
        #expect { try instance.typedFunction("add", Int64.self, Int32.self, returning: Int32.self) } throws: { ($0 as? HearthError)?.kind == .link }
        #expect { try instance.typedFunction("add", Int32.self, Int32.self, returning: NoResults.self) } throws: { ($0 as? HearthError)?.kind == .link }
        #expect { try instance.typedFunction("missing", returning: NoResults.self) } throws: { ($0 as? HearthError)?.kind == .link }
    }
}
