/// Fused pairs (superinstructions): a producer that hands its result to the next instruction
/// in the accumulator (`_r`) and that consumer (`_aK`, `_aKr`), run as one handler. Each pair
/// saves a dispatch, which on the hosts measured costs more than the instructions a handler
/// runs (`Benchmarks/RESULTS.md`, "where the time goes against WasmKit"). Chosen from the links
/// the translator makes in the benchmark workloads (`hearth disasm`, adjacent `_r` / `_aK`
/// pairs): index arithmetic (`base + i * k`, `h ^ (h >> k)`), bit tests (`(x & m) == k`) and the
/// multiply-add of floating-point loops (two roundings, as the two instructions do: no fused
/// multiply-add), the stack pointer's prologue and epilogue, loads and stores (which may trap:
/// the pair traps as the sequence would), floats loaded into arithmetic and stored from it.
struct FusedPair {
    var producer: Instruction
    var consumer: Instruction

    var name: String { pairName(producer, then: consumer.handler) }

    /// The handler of the pair whose consumer takes `form`: its accumulator operand, whether
    /// its result goes to the accumulator, and for a branch whether it is the backward one
    /// closing a loop (`h_i32Load8UThenBackIf_a1`: a byte loaded, the loop repeated while it is
    /// not zero).
    func handler(_ form: Form) -> String {
        "h_" + pairName(producer, then: Form(backward: form.backward).handler(of: consumer)) + form.suffix
    }

    /// The consumer forms a pair exists for: every word reading a value as wide as the
    /// producer's result (or either side the raw slot: globals) from an accumulator a result
    /// form of the producer leaves it in, with the result in the slot or in the accumulator.
    /// A value of either class on both sides travels in the integer accumulator, as the
    /// translator links it. A branch consumer comes forward and backward: the translator turns
    /// a branch to a loop header into its backward form before pairs are fused.
    var consumerForms: [Form] {
        guard case .value(let produced, _) = producer.effect else { return [] }
        let forward = consumer.accumulatorForms.filter { form in
            guard let k = form.accumulatorOperand, case .source(_, let view) = consumer.words[k - 1] else { return false }
            if producer.resultIsEitherClass && consumer.sourceIsEitherClass(k) && form.floatBits { return false }
            // A 64-bit integer read as a 32-bit one is wrapped, as the consumer's `_aK` form
            // reads it (the translator links `i32.wrap_i64`'s zero-extending stand-in so).
            let wraps = !produced.isFloat && !view.isFloat && produced.width == 64 && view.width == 32
            return (view == .raw || produced == .raw || view.width == produced.width || wraps)
                && producerForm(for: consumer.accumulator(ofSource: k, form)) != nil
        }
        guard consumer.isBranch else { return forward }
        return forward + forward.map { form in
            var backward = form
            backward.backward = true
            return backward
        }
    }

    /// The producer's result form that leaves its value in `accumulator`, if it has one.
    func producerForm(for accumulator: Accumulator) -> Form? {
        var form = Form(resultInAccumulator: true)
        if producer.resultAccumulator(form) == accumulator { return form }
        form.floatBits = true
        return producer.resultIsEitherClass && producer.resultAccumulator(form) == accumulator ? form : nil
    }

    /// The producer's result form a pair with the consumer's `form` replaces.
    func producerForm(consumer form: Form) -> Form {
        producerForm(for: consumer.accumulator(ofSource: form.accumulatorOperand!, form))!
    }
}

/// A pair's name, `firstThenSecond`: the first's instruction name, then the second's handler
/// name without `h_` (so the backward form of a branch reads `Back...`), capitalized. Suffixes
/// of forms (`_a2r`) come after it.
func pairName(_ first: Instruction, then secondHandler: String) -> String {
    let second = secondHandler.dropFirst("h_".count)
    return first.name + "Then" + second.prefix(1).uppercased() + second.dropFirst()
}

/// The pairs, by instruction name: (producer, consumer).
let fusedPairNames: [(String, String)] = [
    // 32-bit index and hash arithmetic.
    ("i32MulImm", "i32Add"), ("i32MulImm", "i32Sub"), ("i32ShlImm", "i32Add"), ("i32ShlImm", "i32Or"),
    ("i32ShlImm", "i32Xor"), ("i32ShrUImm", "i32Add"), ("i32ShrUImm", "i32Or"), ("i32ShrUImm", "i32Xor"),
    ("i32ShrUImm", "i32AndImm"), ("i32AndImm", "i32Add"), ("i32AndImm", "i32EqImm"), ("i32AndImm", "i32NeImm"),
    ("i32AndImm", "i32OrImm"), ("i32Xor", "i32Add"), ("i32Add", "i32Xor"), ("i32Mul", "i32Add"),
    ("i32AddImm", "i32AndImm"),
    // 64-bit.
    ("i64Mul", "i64Add"), ("i64MulImm", "i64Add"), ("i64ShrUImm", "i64Or"), ("i64ShrUImm", "i64Xor"),
    ("i64ShlImm", "i64Or"), ("i64XorImm", "i64Or"), ("i64AndImm", "i64OrImm"),
    // Floating point: products summed or subtracted.
    ("f64Mul", "f64Add"), ("f64Mul", "f64Sub"), ("f64Mul", "f64Mul"), ("f64Sub", "f64Mul"), ("f64Add", "f64Mul"),
    ("f32Mul", "f32Add"), ("f32Mul", "f32Sub"),
    // The stack pointer of C's frames (`global.get`, `i32.sub`; `i32.add`, `global.set`).
    ("globalGet", "i32SubImm"), ("i32AddImm", "globalSet"),
    // Loads feeding arithmetic and stores of computed values.
    ("i32Load8U", "i32AndImm"), ("i32Load", "i32AddImm"), ("i32AddImm", "i32Store"), ("i64Load", "i64Store"),
    // Floats loaded into arithmetic, and results stored (n-body's and matrix products' loops).
    ("i64Load", "f64Mul"), ("i64Load", "f64Add"), ("i64Load", "f64Sub"), ("i64LoadBiased", "f64Mul"),
    ("i64LoadBiased", "f64Sub"), ("f64Add", "i64Store"), ("f64Sub", "i64Store"),
    // Linear congruential steps, and products widened to 64 bits.
    ("i32MulImm", "i32AddImm"), ("i64ExtendI32U", "i64Mul"),
    // Byte scans: a byte loaded and tested (`strlen`'s loop, `memchr`'s), and two compared
    // (`memcmp`'s).
    ("i32Load8U", "brIf"), ("i32Load8U", "brI32Eq"), ("i32Load8U", "i32Sub"),
    // A 64-bit index wrapped to a byte's address (`sieve`'s outer loop, `composite[i]`).
    ("i64ExtendI32U", "i32Load8U"),
    // An element's address in a frame's array, then a field beside it (`&stack[sp] - 2`:
    // every binary operator of `vm`'s bytecode interpreter).
    ("i32AddShl", "i32AddImm"),
]

extension InstructionSet {
    /// The fused pairs, resolved to instructions.
    var fusedPairs: [FusedPair] {
        let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return fusedPairNames.map { names in
            guard let producer = byName[names.0], let consumer = byName[names.1] else {
                preconditionFailure("fused pair \(names): no such instruction")
            }
            return FusedPair(producer: producer, consumer: consumer)
        }
    }
}

/// Adjacent pairs: two instructions that follow each other, run as one handler. Nothing is
/// handed over: the first writes its slot as it would alone and the second reads it there, so
/// the second's handler word and words stay valid and a branch may land on it (it then runs
/// alone). No label or link rule applies; every place the two meet saves a dispatch. Chosen from
/// the loops of the benchmark workloads (`hearth disasm`): a counter and a pointer stepped
/// together, a step copied to a second local, a load closing a loop on a compare (`sort`'s
/// partition scans), a decrement tested for zero, a step closing its loop, a store and the
/// step of its address (`sieve`'s strided marking).
struct AdjacentPair {
    var first: Instruction
    var second: Instruction
    /// The second's form: plain or backward (an accumulator operand would be the first's result,
    /// which is a fused pair's business).
    var secondForm: Form

    var name: String { pairName(first, then: secondForm.handler(of: second)) }
}

/// The adjacent pairs, by handler name (without `h_`): (first, second). The first is a plain
/// instruction with a value or an effect only (a store); the second a plain or backward one.
let adjacentPairNames: [(String, String)] = [
    ("i32AddImm", "i32AddImm"), ("i32AddImm", "copy"), ("i32AddImm", "i32Load"), ("i32AddImm", "brUnless"),
    ("i32AddImm", "brIf"), ("copy", "copy"), ("copy", "backIf"), ("i32Load", "backI32LtU"), ("i32Load", "backI32GtU"),
    ("i32Load", "brI32GtU"), ("i32Load", "brI32LtU"),
    // A loop's step, then its backward branch (the step is not the tested local, or not an
    // immediate, so no stepped form applies): `sieve`'s loops, and the commonest in `cc1`.
    ("i64Add", "backI64LeU"), ("i64Add", "backI64LtU"), ("i64AddImm", "backI64LtU"), ("i64AddImm", "backI64LeU"),
    ("i32AddImm", "backI32NeImm"), ("copy", "backI32Ne"), ("i32Load", "backI32Ne"),
    // A constant stored, then its address stepped: `sieve`'s inner loop (`composite[j] = 1`
    // with `j += i`), a third of its dispatches.
    ("i32Store8Constant", "i32Add"),
    // Two steps of different locals (`sieve`'s outer loop: a counter and an offset).
    ("i32AddImm", "i32Add"),
    // An interpreter's fetch: the index kept and stepped (`op = code[pc++]`), an element of a
    // constant array loaded (`code[pc]`), a frame array's base then an element's address
    // (`vm`'s dispatch loop, every bytecode instruction).
    ("copy", "i32AddImm"), ("i32ShlImm", "i32LoadBiased"), ("i32AddImm", "i32AddShl"),
    // A value saved before its local is xor-ed (`loop`'s `c ^= ...`).
    ("copy", "i32Xor"),
]

extension InstructionSet {
    /// The adjacent pairs, resolved to instructions and forms.
    var adjacentPairs: [AdjacentPair] {
        var forms: [String: (Instruction, Form)] = [:]
        for instruction in all {
            for form in [Form.plain, Form(backward: true)] where form == .plain || instruction.isBranch {
                forms[String(form.handler(of: instruction).dropFirst(2))] = (instruction, form)
            }
        }
        return adjacentPairNames.map { names in
            guard let (first, firstForm) = forms[names.0], let (second, secondForm) = forms[names.1] else {
                preconditionFailure("adjacent pair \(names): no such instruction")
            }
            precondition(firstForm == .plain && (first.producesValue || first.isEffectOnly),
                         "adjacent pair \(names): the first must be plain, with a value or an effect only")
            return AdjacentPair(first: first, second: second, secondForm: secondForm)
        }
    }
}
