import HearthBinary

/// The annotations the text format gives meaning to: `@custom` (a custom section, placed
/// relative to the others), `@name` (a name for the name section) and
/// `@metadata.code.branch_hint` (checked for placement; the hints themselves are not
/// emitted). The lexer hands them over with where they sat (`Lexer.Annotation`).
extension ModuleParser {
    /// Where a custom section goes: before the section at `position` in the binary's section
    /// order (`ModuleEncoder.sectionOrder`), the end being "after last".
    struct CustomSection {
        var name: [UInt8]
        var bytes: [UInt8]
        var position: Int
    }

    /// Checks and applies the module's annotations. `moduleForm` is the index of the
    /// `(module` form's `(` (-1 for bare fields): module fields are its children.
    func applyAnnotations(moduleForm: Int) throws {
        var moduleNamed = false
        var hintAnchors = Set<Int>()
        for annotation in lexer.annotations {
            let place = TokenCursor(lexer: lexer, index: max(0, min(annotation.anchor, lexer.tokens.count)))
            switch annotation.name {
            case "custom":
                guard annotation.parent == moduleForm else { throw place.error("misplaced @custom annotation") }
                module.customSections.append(try customSection(annotation, at: place))
            case "name":
                let form = annotation.parent
                guard form >= 0, annotation.anchor == nameSlot(of: form), form + 1 < lexer.tokens.count,
                      Self.namedForms.contains(lexer.text(lexer.tokens[form + 1])) else {
                    throw place.error("misplaced @name annotation")
                }
                guard let first = annotation.body.first, first.kind == .string, annotation.body.count == 1 else {
                    throw place.error("@name annotation: malformed name")
                }
                guard let name = String(validating: lexer.strings[first.payload], as: UTF8.self) else {
                    throw place.error("@name annotation: malformed UTF-8 encoding")
                }
                if form == moduleForm {
                    guard !moduleNamed else { throw place.error("@name annotation: multiple module") }
                    moduleNamed = true
                    module.name = name
                } else if let index = functionForms[form] {
                    module.functionNames[index] = name
                }
            default: // metadata.code.branch_hint
                guard annotation.parent != moduleForm, annotation.parent >= 0 else {
                    throw place.error("@metadata.code.branch_hint annotation: not in a function")
                }
                guard hintAnchors.insert(annotation.anchor).inserted else {
                    throw place.error("@metadata.code.branch_hint annotation: duplicate annotation")
                }
                guard isBranch(at: annotation.anchor) else {
                    throw place.error("@metadata.code.branch_hint annotation: invalid target")
                }
            }
        }
    }

    /// The definitions a `@name` may name.
    private static let namedForms: Set<String> = ["module", "func", "tag", "global", "table", "memory", "type", "elem", "data"]

    /// Right after the form's keyword and optional `$id`: where a `@name` may stand.
    private func nameSlot(of form: Int) -> Int {
        let afterKeyword = form + 2
        guard afterKeyword < lexer.tokens.count, lexer.tokens[afterKeyword].kind == .id else { return afterKeyword }
        return afterKeyword + 1
    }

    /// A branch hint must precede `if` or `br_if`, plain or folded.
    private func isBranch(at index: Int) -> Bool {
        var i = index
        if i < lexer.tokens.count, lexer.tokens[i].kind == .leftParen { i += 1 }
        guard i < lexer.tokens.count, lexer.tokens[i].kind == .atom else { return false }
        let word = lexer.text(lexer.tokens[i])
        return word == "if" || word == "br_if"
    }

    /// `"name" placement? "bytes"*`.
    private func customSection(_ annotation: Lexer.Annotation, at place: TokenCursor) throws -> CustomSection {
        let body = annotation.body
        guard let first = body.first, first.kind == .string else {
            throw place.error("@custom annotation: missing section name")
        }
        let name = lexer.strings[first.payload]
        guard String(validating: name, as: UTF8.self) != nil else {
            throw place.error("@custom annotation: malformed UTF-8 encoding")
        }
        var position = ModuleEncoder.sectionOrder.count
        var bytes: [UInt8] = []
        var i = 1
        while i < body.count {
            let token = body[i]
            switch token.kind {
            case .string:
                bytes += lexer.strings[token.payload]
                i += 1
            case .leftParen:
                // `(before|after section)`
                guard i + 1 < body.count, body[i + 1].kind == .atom,
                      case let side = lexer.text(body[i + 1]), side == "before" || side == "after" else {
                    throw place.error("@custom annotation: malformed placement")
                }
                guard i + 3 < body.count, body[i + 2].kind == .atom, body[i + 3].kind == .rightParen,
                      let at = Self.position(side, lexer.text(body[i + 2])) else {
                    throw place.error("@custom annotation: malformed section kind")
                }
                position = at
                i += 4
            default:
                throw place.error("@custom annotation: unexpected token")
            }
        }
        return CustomSection(name: name, bytes: bytes, position: position)
    }

    /// Where `(before|after section)` puts a custom section, as a position in
    /// `ModuleEncoder.sectionOrder` (its count: the end); `first` and `last` name the ends.
    private static func position(_ side: String, _ section: String) -> Int? {
        if section == "first" { return 0 }
        if section == "last" { return ModuleEncoder.sectionOrder.count }
        guard let index = ModuleEncoder.sectionOrder.firstIndex(of: section) else { return nil }
        return side == "before" ? index : index + 1
    }
}
