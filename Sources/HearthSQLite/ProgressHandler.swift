import CSQLite

/// A deadline for the statements a connection runs: SQLite calls back every so many virtual
/// machine steps, and a statement still running past the deadline stops with `SQLITE_INTERRUPT`
/// ("interrupted"). Host work a guest starts (a recursive query through its `sql` import) is then
/// bounded by the guest's own deadline instead of holding a core after the guest was stopped.
final class ProgressDeadline {
    let deadline: ContinuousClock.Instant
    init(_ deadline: ContinuousClock.Instant) { self.deadline = deadline }
}

/// Nonzero stops the running statement.
let progressTrampoline: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let context else { return 0 }
    let box = Unmanaged<ProgressDeadline>.fromOpaque(context).takeUnretainedValue()
    return ContinuousClock.now >= box.deadline ? 1 : 0
}

extension Database {
    /// Runs `body` with statements stopped (`SQLITE_INTERRUPT`) once `deadline` has passed; the
    /// clock is looked at every 1,000 virtual machine steps (a few microseconds).
    public func withDeadline<T>(_ deadline: ContinuousClock.Instant?, _ body: () throws -> T) throws -> T {
        guard let deadline, let db = handle else { return try body() }
        let box = ProgressDeadline(deadline)
        sqlite3_progress_handler(db, 1_000, progressTrampoline, Unmanaged.passUnretained(box).toOpaque())
        defer {
            sqlite3_progress_handler(db, 0, nil, nil)
            withExtendedLifetime(box) {}
        }
        return try body()
    }
}
