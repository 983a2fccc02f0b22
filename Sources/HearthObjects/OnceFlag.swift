import Foundation

/// A flag that can be claimed once across threads: when an answer and a timer race to complete
/// one caller, the first to claim it answers and the other stays silent.
package final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    package init() {}

    /// True for the first caller only.
    package func claim() -> Bool {
        lock.withLock {
            if claimed { return false }
            claimed = true
            return true
        }
    }
}
