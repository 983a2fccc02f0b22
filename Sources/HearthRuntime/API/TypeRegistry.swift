import HearthBinary
import Synchronization

/// A defined type as the machine sees it, at a fixed address for the engine's lifetime, so
/// function records (and later GC objects) can point at it. `ancestors` lists the ids of its
/// supertype chain from the root down to itself, so "is `t` a subtype of `u`" is a short scan
/// with no lock and no dictionary.
struct RuntimeType {
    var id: Int
    var kind: HeapType.DefinedKind
    var ancestorCount: Int
    var ancestors: UnsafeMutablePointer<Int>
    /// Struct and array types: where each field (the element) sits in an object.
    var fields: UnsafeMutablePointer<FieldLayout>
    var fieldCount: Int
    /// A struct's payload size in bytes.
    var payloadBytes: Int

    /// Whether the type with id `other` is this type or one of its declared supertypes.
    @inline(__always)
    func isSubtype(of other: Int) -> Bool {
        var i = ancestorCount
        while i > 0 {
            i &-= 1
            if ancestors[i] == other { return true }
        }
        return false
    }
}

/// The engine-wide registry of defined types. Types are canonicalized by recursion group
/// (iso-recursive equivalence, spec 3.0): equivalent types of any two modules get the same id,
/// so `call_indirect`'s type check stays one integer compare, with a supertype scan only when
/// the compare fails. Registered types live as long as the engine.
final class TypeRegistry: Sendable {
    private struct State: ~Copyable {
        var groups = FlatTable<RecursionGroupKey, Int>()
        /// Indexed by id; id 0 is unused.
        var types: [UnsafeMutablePointer<RuntimeType>] = []
        var definitions: [SubType] = []
    }

    private let state = Mutex(State())

    deinit {
        state.withLock { state in
            // Id 0 is a placeholder that was never initialized.
            for (id, t) in state.types.enumerated() {
                if id > 0 {
                    t.pointee.ancestors.deallocate()
                    t.pointee.fields.deallocate()
                }
                t.deallocate()
            }
        }
    }

    /// The ids of every type of `module`, registering the groups not seen before.
    func register(_ module: Module) -> [Int] {
        state.withLock { state in
            var ids = [Int](repeating: 0, count: module.types.count)
            for group in module.recursionGroups {
                let key = RecursionGroupKey(group: group, of: module.types) { ids[Int($0)] }
                let base = Self.register(key, group: group, of: module.types, earlierIDs: ids, &state)
                for index in group { ids[index] = base + (index - group.lowerBound) }
            }
            return ids
        }
    }

    /// The id of a function type defined on its own (a host function's type).
    func register(_ type: FunctionType) -> Int {
        let types = [SubType(type)]
        return state.withLock { state in
            let key = RecursionGroupKey(group: 0..<1, of: types) { _ in preconditionFailure("host function types name no defined type") }
            return Self.register(key, group: 0..<1, of: types, earlierIDs: [], &state)
        }
    }

    /// The base id of the group `key`, allocating the group's runtime types when it is new.
    private static func register(_ key: RecursionGroupKey, group: Range<Int>, of types: [SubType],
                                 earlierIDs: [Int], _ state: inout State) -> Int {
        if let base = state.groups[key] { return base }
        if state.types.isEmpty { state.types.append(UnsafeMutablePointer<RuntimeType>.allocate(capacity: 1)) }
        let base = state.types.count
        state.groups[key] = base
        for index in group {
            let sub = types[index]
            let id = base + (index - group.lowerBound)
            // Supertypes come earlier: in an earlier group, or earlier in this one.
            var chain: [Int] = []
            if let s = sub.supertypes.first.map(Int.init) {
                let superID = group.contains(s) ? base + (s - group.lowerBound) : earlierIDs[s]
                let parent = state.types[superID].pointee
                chain = Array(UnsafeBufferPointer(start: parent.ancestors, count: parent.ancestorCount))
            }
            chain.append(id)
            let ancestors = UnsafeMutablePointer<Int>.allocate(capacity: chain.count)
            ancestors.initialize(from: chain, count: chain.count)
            let layout = ObjectLayout(sub.composite)
            let fields = UnsafeMutablePointer<FieldLayout>.allocate(capacity: max(layout.fields.count, 1))
            fields.initialize(from: layout.fields, count: layout.fields.count)
            let t = UnsafeMutablePointer<RuntimeType>.allocate(capacity: 1)
            t.initialize(to: RuntimeType(id: id, kind: sub.composite.kind, ancestorCount: chain.count, ancestors: ancestors,
                                         fields: fields, fieldCount: layout.fields.count, payloadBytes: layout.payloadBytes))
            state.types.append(t)
            state.definitions.append(sub)
        }
        return base
    }

    /// The runtime type with id `id` (from `register`).
    func type(_ id: Int) -> UnsafeMutablePointer<RuntimeType> {
        state.withLock { $0.types[id] }
    }

    /// `a <: b` for two registered ids.
    func isSubtype(_ a: Int, _ b: Int) -> Bool {
        a == b || type(a).pointee.isSubtype(of: b)
    }

    /// `a <: b` for value types whose concrete heap types are registered ids (see
    /// `canonical(_:ids:)`).
    func isSubtype(_ a: ValueType, _ b: ValueType) -> Bool {
        if a == b { return true }
        guard case .ref(let ra) = a, case .ref(let rb) = b, rb.isNullable || !ra.isNullable else { return false }
        switch (ra.heapType, rb.heapType) {
        case (.concrete(let x), .concrete(let y)): return isSubtype(Int(x), Int(y))
        case (.concrete(let x), let h): return HeapType.definedMatches(type(Int(x)).pointee.kind, abstract: h)
        case (let h, .concrete(let y)): return HeapType.abstractMatches(h, defined: type(Int(y)).pointee.kind)
        case (let g, let h): return HeapType.abstractMatches(g, h)
        }
    }

    /// `type` with its concrete heap type (a module's type index) replaced by the registered
    /// id, so that types of different modules compare.
    static func canonical(_ type: ValueType, ids: [Int]) -> ValueType {
        guard case .ref(let r) = type else { return type }
        return .ref(canonical(r, ids: ids))
    }

    static func canonical(_ type: ReferenceType, ids: [Int]) -> ReferenceType {
        guard case .concrete(let index) = type.heapType else { return type }
        return ReferenceType(isNullable: type.isNullable, heapType: .concrete(UInt32(ids[Int(index)])))
    }
}
