import Synchronization

/// A flag that can be claimed once across threads: when an answer and a timer race to complete
/// one caller, the first to claim it answers and the other stays silent.
package final class OnceFlag: Sendable {
    private let claimed = Atomic<Bool>(false)

    package init() {}

    /// True for the first caller only.
    package func claim() -> Bool {
        claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
