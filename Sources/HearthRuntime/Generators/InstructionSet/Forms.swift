/// The operand forms of an instruction, derived from its declared words.
///
/// Every form keeps the instruction's words, so the translator switches forms by rewriting the
/// handler word alone (DESIGN.md, "Accumulator"):
/// - `_aK` reads the source of word K from the accumulator instead of its slot;
/// - `_r` leaves the result in the accumulator instead of the destination slot;
/// - `_aKr` does both;
/// - a trailing `f` moves the accumulator words that hold bits of either class (`raw` slots, a
///   load shared with float loads) from the integer accumulator to the float one: `f64.load`
///   feeding `f64.add` is `h_i64Load_rf` then `h_f64Add_a2`. Float views always use the float
///   accumulator, integer views the integer one;
/// - `h_back...`, the backward form of a branch `h_br...`, polls (fuel, interrupt) when taken, as
///   the loop header's `h_poll` it jumps past would;
/// - `h_backStep...`, a backward branch fused with the `h_i32AddImm` just before it (a loop's
///   counter stepped in place, `i += k`): it takes the add's place and words, adds, then tests
///   with the branch's words, which follow the add's unchanged (the branch's own handler word
///   among them, unread). One dispatch per iteration instead of two.
struct Form: Hashable {
    var accumulatorOperand: Int?
    var resultInAccumulator = false
    var backward = false
    /// The backward branch fused with the in-place add before it (`step`); implies `backward`.
    var stepped = false
    /// The words of either class in the accumulator use the float one (the `f` forms).
    var floatBits = false

    /// The instruction a stepped branch runs first.
    static let stepName = "i32AddImm"

    static let plain = Form()

    /// The handler name of this form of `instruction`.
    func handler(of instruction: Instruction) -> String {
        var name = instruction.handler
        if backward {
            precondition(name.hasPrefix("h_br"), name)
            name = (stepped ? "h_backStep" : "h_back") + name.dropFirst("h_br".count)
        }
        return name + suffix
    }

    /// `_aK`, `_r`, `_aKr`, with `f` for the float forms of values of either class; empty
    /// for the plain form.
    var suffix: String {
        let f = floatBits ? "f" : ""
        if let k = accumulatorOperand { return "_a\(k)" + (resultInAccumulator ? "r" : "") + f }
        return resultInAccumulator ? "_r" + f : ""
    }
}

extension Instruction {
    /// The words (1-based) read from frame slots.
    var sourceWords: [Int] {
        words.enumerated().compactMap { if case .source = $0.element { return $0.offset + 1 } else { return nil } }
    }

    var producesValue: Bool { if case .value = effect { return true } else { return false } }

    /// Whether its body is all it does (a store, a global set): no value, no branch.
    var isEffectOnly: Bool { if case .none = effect { return true } else { return false } }

    /// The word holding the branch offset.
    var branchWord: Int? { words.firstIndex(of: .branch).map { $0 + 1 } }

    /// The view of source word `k`.
    func sourceView(_ k: Int) -> View {
        guard case .source(_, let view) = words[k - 1] else { preconditionFailure("\(name): word \(k) is no source") }
        return view
    }

    /// The view of the result.
    var resultView: View {
        guard case .value(let view, _) = effect else { preconditionFailure("\(name): no result") }
        return view
    }

    /// Whether source word `k` may hold either class (raw bits).
    func sourceIsEitherClass(_ k: Int) -> Bool { sourceView(k) == .raw }

    /// Whether the result may be of either class.
    var resultIsEitherClass: Bool { producesValue && (resultView == .raw || carriesFloats) }

    /// The accumulator source word `k` is read from in `form`.
    func accumulator(ofSource k: Int, _ form: Form) -> Accumulator {
        sourceView(k).isFloat || (sourceIsEitherClass(k) && form.floatBits) ? .float : .integer
    }

    /// The accumulator `form` leaves its result in.
    func resultAccumulator(_ form: Form) -> Accumulator {
        resultView.isFloat || (resultIsEitherClass && form.floatBits) ? .float : .integer
    }

    /// Every accumulator form, plain first; a form with a word of either class in the
    /// accumulator also comes in its float version (`floatBits`).
    var accumulatorForms: [Form] {
        guard hasAccumulatorForms else { return [.plain] }
        var forms: [Form] = [.plain]
        if producesValue { forms.append(Form(resultInAccumulator: true)) }
        for k in sourceWords {
            precondition(k <= 4, "\(name): AccumulatorForms has room for words 1 to 4")
            forms.append(Form(accumulatorOperand: k))
            if producesValue { forms.append(Form(accumulatorOperand: k, resultInAccumulator: true)) }
        }
        return forms + forms.filter(hasFloatVersion).map { form in
            var float = form
            float.floatBits = true
            return float
        }
    }

    /// Whether `form` puts a word of either class in the accumulator.
    func hasFloatVersion(_ form: Form) -> Bool {
        (form.accumulatorOperand.map(sourceIsEitherClass) ?? false) || (form.resultInAccumulator && resultIsEitherClass)
    }
}
