import Synchronization

/// A value guarded by a lock, for the little shared state that lives outside any actor
/// (namespace registries read synchronously from several objects). A class around a `Mutex`,
/// so closures and several owners can share it.
package final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: sending Value) { mutex = Mutex(value) }

    package func withLock<T>(_ body: (inout sending Value) throws -> sending T) rethrows -> sending T {
        try mutex.withLock(body)
    }
}
