/// Identifies the turn a task is running in, so `blockConcurrencyWhile` called from inside an
/// event (which already holds the input gate) runs directly instead of waiting for itself.
struct TurnToken: Hashable, Sendable {
    let object: ObjectIdentifier
    let serial: UInt64
}

enum TurnContext {
    @TaskLocal static var current: TurnToken?
}
