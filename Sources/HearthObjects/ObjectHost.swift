import Foundation

/// What a namespace's objects share: configuration, factory, alarm scheduler, residency, and
/// the registry that guarantees one live `DurableObject` per id in this process.
package final class ObjectHost: Sendable {
    package let directory: URL
    package let configuration: ObjectConfiguration
    let factory: ObjectHandlerFactory
    let scheduler: AlarmScheduler
    let residency: Residency
    private let registry = Locked<Registry>(Registry())

    private struct WeakObject {
        weak var object: DurableObject?
    }

    private struct Registry {
        var objects: [ObjectID: WeakObject] = [:]
        var closed = false
    }

    init(directory: URL, configuration: ObjectConfiguration, factory: @escaping ObjectHandlerFactory, scheduler: AlarmScheduler) {
        self.directory = directory
        self.configuration = configuration
        self.factory = factory
        self.scheduler = scheduler
        residency = Residency(capacity: configuration.maxResidentObjects, byteBudget: configuration.maxResidentBytes)
    }

    var isClosed: Bool { registry.withLock { $0.closed } }

    /// The live object for `id`, created if none is alive. Objects are held weakly: once no
    /// caller holds one it goes away entirely, and a later lookup creates a fresh actor.
    func object(for id: ObjectID) throws -> DurableObject {
        try registry.withLock { registry in
            guard !registry.closed else { throw ObjectError.namespaceClosed }
            if let existing = registry.objects[id]?.object { return existing }
            if registry.objects.count > 64 { registry.objects = registry.objects.filter { $0.value.object != nil } }
            let created = DurableObject(id: id, host: self)
            registry.objects[id] = WeakObject(object: created)
            return created
        }
    }

    /// The live object for `id`, if there is one.
    func existingObject(_ id: ObjectID) -> DurableObject? {
        registry.withLock { $0.objects[id]?.object }
    }

    /// Forgets the live object for `id` (deleted): the next lookup creates a new one.
    func forget(_ id: ObjectID) {
        registry.withLock { _ = $0.objects.removeValue(forKey: id) }
        residency.remove(id)
    }

    /// Hibernates the given objects in the background (eviction under the residency caps).
    func evict(_ ids: [ObjectID]) {
        for id in ids {
            guard let object = existingObject(id) else { continue }
            Task { await object.hibernate() }
        }
    }

    /// Refuses new events from now on and returns the objects still alive.
    func shutDown() -> [DurableObject] {
        registry.withLock { registry in
            registry.closed = true
            return registry.objects.values.compactMap(\.object)
        }
    }
}
