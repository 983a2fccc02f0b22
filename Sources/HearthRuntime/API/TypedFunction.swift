import HearthBinary

/// A Swift type that is one WebAssembly number: `Int32`/`UInt32` (i32), `Int64`/`UInt64` (i64),
/// `Float` (f32), `Double` (f64).
public protocol WasmValue {
    /// The WebAssembly type it stands for.
    static var valueType: ValueType { get }
    /// The value as the engine passes it.
    var value: Value { get }
    /// The Swift value of an engine value of `valueType`.
    init(wasmValue value: Value)
}

extension Int32: WasmValue {
    /// `.i32`: an `Int32` is passed as an i32.
    public static var valueType: ValueType { .i32 }
    /// The i32 with the same bits (two's complement).
    public var value: Value { .i32(UInt32(bitPattern: self)) }
    /// The i32 read as a signed `Int32`; a precondition failure if `value` is not an i32.
    public init(wasmValue value: Value) { guard case .i32(let v) = value else { preconditionFailure("not an i32") }; self.init(bitPattern: v) }
}

extension UInt32: WasmValue {
    /// `.i32`: a `UInt32` is passed as an i32.
    public static var valueType: ValueType { .i32 }
    /// The i32 holding this value.
    public var value: Value { .i32(self) }
    /// The i32 as a `UInt32`; a precondition failure if `value` is not an i32.
    public init(wasmValue value: Value) { guard case .i32(let v) = value else { preconditionFailure("not an i32") }; self = v }
}

extension Int64: WasmValue {
    /// `.i64`: an `Int64` is passed as an i64.
    public static var valueType: ValueType { .i64 }
    /// The i64 with the same bits (two's complement).
    public var value: Value { .i64(UInt64(bitPattern: self)) }
    /// The i64 read as a signed `Int64`; a precondition failure if `value` is not an i64.
    public init(wasmValue value: Value) { guard case .i64(let v) = value else { preconditionFailure("not an i64") }; self.init(bitPattern: v) }
}

extension UInt64: WasmValue {
    /// `.i64`: a `UInt64` is passed as an i64.
    public static var valueType: ValueType { .i64 }
    /// The i64 holding this value.
    public var value: Value { .i64(self) }
    /// The i64 as a `UInt64`; a precondition failure if `value` is not an i64.
    public init(wasmValue value: Value) { guard case .i64(let v) = value else { preconditionFailure("not an i64") }; self = v }
}

extension Float: WasmValue {
    /// `.f32`: a `Float` is passed as an f32.
    public static var valueType: ValueType { .f32 }
    /// The f32 with the same bit pattern (NaN payloads kept).
    public var value: Value { .f32(bitPattern) }
    /// The f32 with the same bit pattern; a precondition failure if `value` is not an f32.
    public init(wasmValue value: Value) { guard case .f32(let v) = value else { preconditionFailure("not an f32") }; self.init(bitPattern: v) }
}

extension Double: WasmValue {
    /// `.f64`: a `Double` is passed as an f64.
    public static var valueType: ValueType { .f64 }
    /// The f64 with the same bit pattern (NaN payloads kept).
    public var value: Value { .f64(bitPattern) }
    /// The f64 with the same bit pattern; a precondition failure if `value` is not an f64.
    public init(wasmValue value: Value) { guard case .f64(let v) = value else { preconditionFailure("not an f64") }; self.init(bitPattern: v) }
}

/// What a typed function answers: one `WasmValue`, or `NoResults` for a function without.
public protocol WasmResults {
    /// The WebAssembly result types it stands for.
    static var valueTypes: [ValueType] { get }
    /// The Swift value of results of `valueTypes`.
    init(results: [Value])
}

/// The results of a function that answers nothing.
public struct NoResults: WasmResults, Equatable {
    /// None: the function returns nothing.
    public static var valueTypes: [ValueType] { [] }
    /// Ignores `results`, which is empty for a function with no results.
    public init(results: [Value]) {}
}

extension Int32: WasmResults {}
extension UInt32: WasmResults {}
extension Int64: WasmResults {}
extension UInt64: WasmResults {}
extension Float: WasmResults {}
extension Double: WasmResults {}

extension WasmResults where Self: WasmValue {
    /// The single result type, `valueType`.
    public static var valueTypes: [ValueType] { [valueType] }
    /// The first (the only) result converted with `init(wasmValue:)`.
    public init(results: [Value]) { self.init(wasmValue: results[0]) }
}

/// A function whose WebAssembly type was checked once against Swift types, called with Swift
/// values and no `[Value]` bookkeeping at the call site:
///
///     let add = try instance.typedFunction("add", Int32.self, Int32.self, returning: Int32.self)
///     let sum = try add(2, 40)   // 42
public struct TypedFunction<each Parameter: WasmValue, Result: WasmResults> {
    /// The function being called.
    public let function: Function

    /// Checks that `function`'s type is exactly the Swift types'; throws a `HearthError` (`link`) if not.
    public init(_ function: Function, _ parameters: repeat (each Parameter).Type, returning: Result.Type = Result.self) throws {
        var expected: [ValueType] = []
        repeat expected.append((each Parameter).valueType)
        let wanted = FunctionType(parameters: expected, results: Result.valueTypes)
        guard function.type == wanted else {
            throw HearthError.link("the function's type is \(function.type), not \(wanted)")
        }
        self.function = function
    }

    /// Calls the function; traps are thrown as `HearthError`s of kind `trap`.
    public func callAsFunction(_ arguments: repeat each Parameter) throws -> Result {
        var values: [Value] = []
        repeat values.append((each arguments).value)
        return Result(results: try function.invoke(values))
    }
}

extension Instance {
    /// The export `name` as a `TypedFunction` with the given Swift parameter and result types;
    /// throws a `HearthError` (`link`) when there is no such function or its type differs.
    public func typedFunction<each Parameter: WasmValue, Result: WasmResults>(
        _ name: String, _ parameters: repeat (each Parameter).Type, returning: Result.Type = Result.self
    ) throws -> TypedFunction<repeat each Parameter, Result> {
        guard let function = function(name) else { throw HearthError.link("no exported function \"\(name)\"") }
        return try TypedFunction(function, repeat each parameters, returning: returning)
    }
}
