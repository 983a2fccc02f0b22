/// The operand forms of an instruction, derived from its declared words.
///
/// Every form keeps the instruction's words, so the translator switches forms by rewriting the
/// handler word alone (DESIGN.md, "Accumulator"):
/// - `_aK` reads the source of word K from the accumulator instead of its slot;
/// - `_r` leaves the result in the accumulator instead of the destination slot;
/// - `_aKr` does both;
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
        if let k = accumulatorOperand { name += "_a\(k)" + (resultInAccumulator ? "r" : "") }
        else if resultInAccumulator { name += "_r" }
        return name
    }
}

extension Instruction {
    /// The words (1-based) read from frame slots.
    var sourceWords: [Int] {
        words.enumerated().compactMap { if case .source = $0.element { return $0.offset + 1 } else { return nil } }
    }

    var producesValue: Bool { if case .value = effect { return true } else { return false } }

    /// The word holding the branch offset.
    var branchWord: Int? { words.firstIndex(of: .branch).map { $0 + 1 } }

    /// Every accumulator form, plain first.
    var accumulatorForms: [Form] {
        guard hasAccumulatorForms else { return [.plain] }
        var forms: [Form] = [.plain]
        if producesValue { forms.append(Form(resultInAccumulator: true)) }
        for k in sourceWords {
            precondition(k <= 4, "\(name): AccumulatorForms has room for words 1 to 4")
            forms.append(Form(accumulatorOperand: k))
            if producesValue { forms.append(Form(accumulatorOperand: k, resultInAccumulator: true)) }
        }
        return forms
    }
}
