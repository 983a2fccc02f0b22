/// Why execution stopped abnormally: the `trap` of a `HearthError` of kind `trap`. Raw values are stored by handlers in the execution state
/// (0 means "no trap"), so they start at 1.
public enum TrapKind: Int, Sendable {
    case unreachable = 1
    case memoryOutOfBounds
    case tableOutOfBounds
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case callStackExhausted
    /// A host function threw, or the host asked for something impossible.
    case hostError
    /// `Store.interrupt()` stopped the running code.
    case interrupted
    /// The store's fuel ran out.
    case outOfFuel
    /// `call_ref` / `return_call_ref` on a null reference.
    case nullFunctionReference
    /// `ref.as_non_null` on a null reference.
    case nullReference
    /// GC: `struct.get`/`struct.set` on null.
    case nullStructureReference
    /// GC: an array instruction on null.
    case nullArrayReference
    /// GC: `i31.get_*` on null.
    case nullI31Reference
    /// GC: an array index or range past its length.
    case arrayOutOfBounds
    /// GC: `ref.cast` of a value not in the target type.
    case castFailure
    /// GC: an object larger than the heap allows.
    case allocationTooLarge
    /// An atomic access (threads) whose address is not a multiple of its width.
    case unalignedAtomic
    /// `memory.atomic.wait*` on a memory that is not shared.
    case expectedSharedMemory
    /// `memory.atomic.wait*` without a timeout whose value matched: the store runs one thread,
    /// so nothing could ever notify it.
    case waitWithoutNotifier
    /// A Wasm exception left the Wasm code the host called; the error's `exception` (`HearthRuntime`) carries it.
    case uncaughtException
    /// `throw_ref` on a null exception reference.
    case nullExceptionReference
    /// A GC allocation that would take the store's heap past its cap even after a collection
    /// (`EngineConfiguration.maxMemoryPages` in bytes, else 4 GiB).
    case gcHeapExhausted

    /// The spec's wording (the script runner matches on it).
    public var message: String {
        switch self {
        case .unreachable: return "unreachable"
        case .memoryOutOfBounds: return "out of bounds memory access"
        case .tableOutOfBounds: return "out of bounds table access"
        case .undefinedElement: return "undefined element"
        case .uninitializedElement: return "uninitialized element"
        case .indirectCallTypeMismatch: return "indirect call type mismatch"
        case .integerDivideByZero: return "integer divide by zero"
        case .integerOverflow: return "integer overflow"
        case .invalidConversionToInteger: return "invalid conversion to integer"
        case .callStackExhausted: return "call stack exhausted"
        case .hostError: return "host error"
        case .interrupted: return "interrupted"
        case .outOfFuel: return "all fuel consumed"
        case .nullFunctionReference: return "null function reference"
        case .nullReference: return "null reference"
        case .nullStructureReference: return "null structure reference"
        case .nullArrayReference: return "null array reference"
        case .nullI31Reference: return "null i31 reference"
        case .arrayOutOfBounds: return "out of bounds array access"
        case .castFailure: return "cast failure"
        case .allocationTooLarge: return "allocation too large"
        case .unalignedAtomic: return "unaligned atomic"
        case .expectedSharedMemory: return "expected shared memory"
        case .waitWithoutNotifier: return "atomic wait without timeout can never be woken (single-threaded store)"
        case .uncaughtException: return "uncaught exception"
        case .nullExceptionReference: return "null exception reference"
        case .gcHeapExhausted: return "GC heap out of memory"
        }
    }
}

/// One frame of a trap's backtrace, innermost first.
public struct BacktraceFrame: Sendable, CustomStringConvertible {
    /// Index in the module's function index space.
    public var functionIndex: Int
    /// From the module's name section, when present.
    public var name: String?

    /// A frame of `functionIndex`, named `name` when the name section has one.
    public init(functionIndex: Int, name: String?) {
        self.functionIndex = functionIndex
        self.name = name
    }

    public var description: String { name ?? "func[\(functionIndex)]" }
}
