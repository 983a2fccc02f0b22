/// Which objects hold in-memory state, least recently used first; beyond the cap the oldest are
/// chosen for eviction (memory pressure), which the namespace carries out by hibernating them.
final class Residency: Sendable {
    let capacity: Int
    private let order = Locked<[ObjectID]>([])

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Marks `id` as just used; returns the objects to evict to stay within the cap.
    func admit(_ id: ObjectID) -> [ObjectID] {
        order.withLock { order in
            order.removeAll { $0 == id }
            order.append(id)
            let excess = order.count - capacity
            guard excess > 0 else { return [] }
            let evicted = Array(order.prefix(excess))
            order.removeFirst(excess)
            return evicted
        }
    }

    func remove(_ id: ObjectID) {
        order.withLock { $0.removeAll { $0 == id } }
    }

    /// Resident ids, least recently used first.
    var ids: [ObjectID] { order.withLock { $0 } }
}
