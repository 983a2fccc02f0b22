/// Which objects hold in-memory state, least recently used first, and how much memory each
/// state holds. Beyond either cap (the number of resident objects, or their bytes: memory
/// pressure) the least recently used are chosen for eviction, which the namespace carries out
/// by hibernating them. The object just used is never chosen.
final class Residency: Sendable {
    let capacity: Int
    let byteBudget: Int
    private struct State {
        var order: [ObjectID] = []
        var bytes: [ObjectID: Int] = [:]
        var totalBytes = 0
    }
    private let state = Locked(State())

    init(capacity: Int, byteBudget: Int = .max) {
        self.capacity = max(1, capacity)
        self.byteBudget = max(0, byteBudget)
    }

    /// Marks `id` as just used; returns the objects to evict to stay within the caps.
    func admit(_ id: ObjectID) -> [ObjectID] {
        state.withLock { state in
            state.order.removeAll { $0 == id }
            state.order.append(id)
            return evictions(&state, keeping: id)
        }
    }

    /// Records how many bytes `id`'s state holds now (after an event); returns the objects to
    /// evict if that pushed the total over the budget.
    func record(_ id: ObjectID, bytes: Int) -> [ObjectID] {
        state.withLock { state in
            guard state.order.contains(id) else { return [] }
            state.totalBytes += bytes - (state.bytes[id] ?? 0)
            state.bytes[id] = bytes
            return evictions(&state, keeping: id)
        }
    }

    func remove(_ id: ObjectID) {
        state.withLock { state in
            state.order.removeAll { $0 == id }
            state.totalBytes -= state.bytes.removeValue(forKey: id) ?? 0
        }
    }

    private func evictions(_ state: inout State, keeping id: ObjectID) -> [ObjectID] {
        var evicted: [ObjectID] = []
        while let oldest = state.order.first, oldest != id,
              state.order.count > capacity || state.totalBytes > byteBudget {
            state.order.removeFirst()
            state.totalBytes -= state.bytes.removeValue(forKey: oldest) ?? 0
            evicted.append(oldest)
        }
        return evicted
    }

    /// Resident ids, least recently used first.
    var ids: [ObjectID] { state.withLock { $0.order } }

    /// Bytes held by resident objects' states, as last reported.
    var residentBytes: Int { state.withLock { $0.totalBytes } }
}
