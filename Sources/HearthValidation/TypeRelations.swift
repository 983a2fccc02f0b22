import HearthBinary

/// The subtyping rules of the spec (3.0, "Matching") over one module's types: type equivalence
/// is iso-recursive (two defined types are equal when their recursion groups are equal with
/// inner references taken as positions), and a defined type is below the types on its declared
/// supertype chain and the abstract type of its kind.
///
/// Built once per module while checking the type section, which is also where the rules for
/// type definitions themselves live (supertypes exist, are earlier, not final, and match).
struct TypeRelations {
    let types: [SubType]
    /// Per type index: the first index of a type equivalent to it.
    private var canonical: [Int]
    /// Per type index: the declared supertype, -1 for none.
    private var supertype: [Int]
    /// Per type index: how many supertypes are above it (0 for none).
    private var depth: [Int]
    private let maxDepth: Int
    let kinds: [HeapType.DefinedKind]

    /// `maxSubtypeDepth` bounds subtype chains (`ModuleLimits.subtypeDepth`): subtype checks walk
    /// them, so an unbounded chain makes validation quadratic in the module's size.
    init(validating module: Module, maxSubtypeDepth: Int = ModuleLimits.default.subtypeDepth) throws(HearthError) {
        types = module.types
        maxDepth = maxSubtypeDepth
        depth = [Int](repeating: 0, count: module.types.count)
        kinds = module.types.map(\.composite.kind)
        canonical = Array(0..<module.types.count)
        supertype = [Int](repeating: -1, count: module.types.count)
        var groups = FlatTable<RecursionGroupKey, Int>()
        for group in module.recursionGroups {
            for index in group { try checkIndices(of: types[index], below: group.upperBound) }
            let earlier = canonical
            let key = RecursionGroupKey(group: group, of: types) { earlier[Int($0)] }
            if let first = groups[key] {
                for index in group { canonical[index] = first + (index - group.lowerBound) }
            } else {
                groups[key] = group.lowerBound
            }
            // Declare the group's supertypes before matching any: a field may name a later
            // member of the group, whose supertype then matters.
            for index in group { try declareSupertype(of: index) }
            for index in group { try checkSupertype(of: index) }
        }
    }

    /// Every type index a definition mentions must be defined by the end of its group.
    private func checkIndices(of type: SubType, below end: Int) throws(HearthError) {
        func check(_ index: UInt32) throws(HearthError) {
            guard Int(index) < end else { throw HearthError.invalid("unknown type \(index)", at: 0) }
        }
        func check(_ t: ValueType) throws(HearthError) {
            if case .ref(let r) = t, case .concrete(let index) = r.heapType { try check(index) }
        }
        func check(_ field: FieldType) throws(HearthError) {
            if case .value(let t) = field.storage { try check(t) }
        }
        for s in type.supertypes { try check(s) }
        switch type.composite {
        case .function(let f):
            for t in f.parameters { try check(t) }
            for t in f.results { try check(t) }
        case .structure(let fields): for f in fields { try check(f) }
        case .array(let element): try check(element)
        }
    }

    /// At most one supertype, defined earlier.
    private mutating func declareSupertype(of index: Int) throws(HearthError) {
        let type = types[index]
        guard type.supertypes.count <= 1 else { throw HearthError.invalid("sub type", at: 0) }
        guard let s = type.supertypes.first.map(Int.init) else { return }
        guard s < index else { throw HearthError.invalid("unknown type \(s)", at: 0) }
        guard depth[s] < maxDepth else {
            throw HearthError.invalid("implementation limit: subtype chain of type \(index) deeper than \(maxDepth)", at: 0)
        }
        supertype[index] = s
        depth[index] = depth[s] + 1
    }

    /// The supertype is not final and its composite type matches.
    private func checkSupertype(of index: Int) throws(HearthError) {
        let s = supertype[index]
        guard s >= 0 else { return }
        guard !types[s].isFinal, compositeMatches(types[index].composite, types[s].composite) else {
            throw HearthError.invalid("sub type \(index) does not match its supertype \(s)", at: 0)
        }
    }

    private func compositeMatches(_ sub: CompositeType, _ sup: CompositeType) -> Bool {
        switch (sub, sup) {
        case (.function(let a), .function(let b)):
            return a.parameters.count == b.parameters.count && a.results.count == b.results.count
                && zip(b.parameters, a.parameters).allSatisfy { isSubtype($0, $1) }
                && zip(a.results, b.results).allSatisfy { isSubtype($0, $1) }
        case (.structure(let a), .structure(let b)):
            return a.count >= b.count && zip(a, b).allSatisfy { fieldMatches($0, $1) }
        case (.array(let a), .array(let b)):
            return fieldMatches(a, b)
        default:
            return false
        }
    }

    /// A mutable field is invariant, an immutable one covariant.
    func fieldMatches(_ sub: FieldType, _ sup: FieldType) -> Bool {
        guard sub.isMutable == sup.isMutable else { return false }
        switch (sub.storage, sup.storage) {
        case (.i8, .i8), (.i16, .i16): return true
        case (.value(let a), .value(let b)):
            return isSubtype(a, b) && (!sub.isMutable || isSubtype(b, a))
        default: return false
        }
    }

    // MARK: Matching

    func isSubtype(_ a: ValueType, _ b: ValueType) -> Bool {
        isSubtype(OperandType(a), OperandType(b))
    }

    /// `a <: b`; `unknown` matches anything.
    func isSubtype(_ a: OperandType, _ b: OperandType) -> Bool {
        if a == b || a == .unknown || b == .unknown { return true }
        guard a.isReference && b.isReference, b.isNullable || !a.isNullable else { return false }
        return isHeapSubtype(a.heap, b.heap)
    }

    func isHeapSubtype(_ a: UInt32, _ b: UInt32) -> Bool {
        typealias H = OperandType.Heap
        if a == b || a == H.bottom { return true }
        let first = H.firstConcrete
        switch (a >= first, b >= first) {
        case (true, true):
            return isDefinedSubtype(Int(a - first), Int(b - first))
        case (true, false):
            return HeapType.definedMatches(kinds[Int(a - first)], abstract: Self.abstract(b))
        case (false, true):
            return HeapType.abstractMatches(Self.abstract(a), defined: kinds[Int(b - first)])
        case (false, false):
            return HeapType.abstractMatches(Self.abstract(a), Self.abstract(b))
        }
    }

    /// The abstract heap type of a code below `Heap.firstConcrete` (not `bottom`).
    private static func abstract(_ code: UInt32) -> HeapType {
        OperandType.Heap.abstractTypes[Int(code)]
    }

    /// Whether defined type `a` is `b` (up to equivalence) or declares it up its supertype chain.
    func isDefinedSubtype(_ a: Int, _ b: Int) -> Bool {
        let target = canonical[b]
        var t = a
        while t >= 0 {
            if canonical[t] == target { return true }
            t = supertype[t]
        }
        return false
    }

    /// Whether two defined types are equivalent.
    func areEquivalent(_ a: Int, _ b: Int) -> Bool { canonical[a] == canonical[b] }

    /// The top of a reference's hierarchy (any, func, extern or exn), for casts, which must
    /// stay within one hierarchy.
    func top(ofHeap h: UInt32) -> UInt32 {
        typealias H = OperandType.Heap
        if h >= H.firstConcrete { return kinds[Int(h - H.firstConcrete)] == .function ? H.function : H.any }
        switch h {
        case H.function, H.noFunction: return H.function
        case H.extern, H.noExtern: return H.extern
        case H.exception, H.noException: return H.exception
        case H.bottom: return H.bottom
        default: return H.any
        }
    }
}
