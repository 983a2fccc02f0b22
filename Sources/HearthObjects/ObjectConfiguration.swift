import Foundation
import HearthSQLite

/// Caps applied to every object's database (the SQLite run-time limits plus a size cap).
public struct StorageLimits: Sendable {
    /// Largest string, blob or row (`SQLITE_LIMIT_LENGTH`).
    public var maxValueBytes: Int32
    /// Longest SQL text (`SQLITE_LIMIT_SQL_LENGTH`).
    public var maxSQLLength: Int32
    /// Most columns in a table or result (`SQLITE_LIMIT_COLUMN`).
    public var maxColumns: Int32
    /// Largest key-value key, in UTF-8 bytes.
    public var maxKeyBytes: Int
    /// Database size cap (`max_page_count`); writes beyond it fail as "database or disk is full".
    public var maxDatabaseBytes: Int64
    /// Most keys in one batch `get`/`put`/`delete` (workerd: 128).
    public var maxBatchKeys: Int
    /// Most bound parameters in one SQL statement (`SQLITE_LIMIT_VARIABLE_NUMBER`; workerd: 100).
    public var maxBoundParameters: Int32
    /// Longest LIKE or GLOB pattern (`SQLITE_LIMIT_LIKE_PATTERN_LENGTH`; workerd: 50).
    public var maxLikePatternBytes: Int32

    /// The defaults: 2 MiB values, 100,000 bytes of SQL, 100 columns, 2 KiB keys, a 1 GiB database,
    /// 128 keys per batch, 100 bound parameters and 50-byte LIKE patterns.
    public init(maxValueBytes: Int32 = 2 * 1024 * 1024, maxSQLLength: Int32 = 100_000, maxColumns: Int32 = 100,
                maxKeyBytes: Int = 2048, maxDatabaseBytes: Int64 = 1 << 30, maxBatchKeys: Int = 128,
                maxBoundParameters: Int32 = 100, maxLikePatternBytes: Int32 = 50) {
        self.maxBatchKeys = maxBatchKeys
        self.maxBoundParameters = maxBoundParameters
        self.maxLikePatternBytes = maxLikePatternBytes
        self.maxValueBytes = maxValueBytes
        self.maxSQLLength = maxSQLLength
        self.maxColumns = maxColumns
        self.maxKeyBytes = maxKeyBytes
        self.maxDatabaseBytes = maxDatabaseBytes
    }
}

/// How failed alarm handlers are retried: after `baseDelay × 2ⁿ` for the n-th retry (n from 0).
public struct AlarmRetryPolicy: Sendable {
    /// Seconds before the first retry of a failed `alarm()`; each retry after it waits twice as long.
    public var baseDelay: TimeInterval
    /// Failed `alarm()` calls retried before the alarm is given up (workerd: 6).
    public var maxRetries: Int
    /// The longest wait between attempts to deliver an alarm the host could not run (its object
    /// could not be built, its turn did not commit): those are retried until they succeed.
    public var maxDelay: TimeInterval
    /// Up to this fraction is added at random to each delay, so alarms that failed together do
    /// not all come back together.
    public var jitter: Double

    /// workerd's schedule by default: 2 s doubling, six retries, host delivery failures retried at
    /// most 5 minutes apart, up to 25% jitter.
    public init(baseDelay: TimeInterval = 2, maxRetries: Int = 6, maxDelay: TimeInterval = 300, jitter: Double = 0.25) {
        self.baseDelay = baseDelay
        self.maxRetries = maxRetries
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The delay before retry number `retry` (0 for the first retry), without jitter.
    public func delay(forRetry retry: Int) -> TimeInterval { baseDelay * pow(2, Double(min(retry, 62))) }

    /// `delay(forRetry:)` with jitter: what a failed `alarm()` waits.
    public func jitteredDelay(forRetry retry: Int) -> TimeInterval { jittered(delay(forRetry: retry)) }

    /// What the host waits after its own failure to deliver (attempt 0 first): backing off as
    /// retries do, capped at `maxDelay`, jittered; these attempts are not counted as retries.
    public func deliveryRetryDelay(attempt: Int) -> TimeInterval { jittered(min(delay(forRetry: attempt), maxDelay)) }

    private func jittered(_ delay: TimeInterval) -> TimeInterval { delay * (1 + Double.random(in: 0...max(jitter, 0))) }
}

/// Settings of an object namespace.
public struct ObjectConfiguration: Sendable {
    /// An object idle this long (no event in flight) drops its in-memory state.
    public var idleTimeout: TimeInterval
    /// At most this many objects keep in-memory state; beyond it the least recently used hibernate.
    public var maxResidentObjects: Int
    /// Memory pressure: when the states of resident objects hold more bytes than this (as their
    /// handlers report, `ObjectHandler.residentBytes`), the least recently used hibernate.
    public var maxResidentBytes: Int
    /// Caps applied to each object's database: value, key and database sizes, SQL limits, batch sizes.
    public var limits: StorageLimits
    /// How alarms whose handler failed, or that the host could not deliver, are retried.
    public var alarmRetry: AlarmRetryPolicy
    /// Time source of alarms and idle hibernation; tests substitute one running ahead of real time.
    public var clock: any ObjectClock
    /// `synchronous` level of object databases; FULL makes every committed turn survive power loss.
    public var synchronous: SynchronousMode
    /// Events (requests) that may wait for one object's input gate; more are refused at once
    /// (`ObjectError.overloaded`) rather than queued without bound behind a slow one.
    public var maxQueuedEvents: Int
    /// Seconds a `blockConcurrencyWhile` of its own may hold the object (workerd: 30): past it
    /// the block is abandoned, its writes rolled back and the object reset, and other events run
    /// again. Real time, not the object clock: it guards against a body that never ends.
    public var blockConcurrencyTimeout: TimeInterval
    /// How far back point-in-time recovery reaches (workerd: 30 days), or nil to keep no history:
    /// each committed turn's pages are then written once (the WAL) instead of twice.
    public var historyRetention: TimeInterval?

    /// The defaults: 10 s idle timeout, at most 1000 resident objects holding 8 GiB, FULL sync, 256
    /// queued events per object, 30 s `blockConcurrencyWhile`, 30 days of point-in-time history.
    public init(idleTimeout: TimeInterval = 10, maxResidentObjects: Int = 1000, maxResidentBytes: Int = 8 << 30,
                limits: StorageLimits = StorageLimits(),
                alarmRetry: AlarmRetryPolicy = AlarmRetryPolicy(), clock: any ObjectClock = SystemObjectClock(),
                synchronous: SynchronousMode = .full, maxQueuedEvents: Int = 256, blockConcurrencyTimeout: TimeInterval = 30,
                historyRetention: TimeInterval? = 30 * 86_400) {
        self.historyRetention = historyRetention
        self.maxQueuedEvents = maxQueuedEvents
        self.blockConcurrencyTimeout = blockConcurrencyTimeout
        self.idleTimeout = idleTimeout
        self.maxResidentObjects = maxResidentObjects
        self.maxResidentBytes = maxResidentBytes
        self.limits = limits
        self.alarmRetry = alarmRetry
        self.clock = clock
        self.synchronous = synchronous
    }
}
