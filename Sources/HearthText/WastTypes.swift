import HearthBinary

/// A parsed .wast script: the commands in source order.
public struct WastScript {
    /// The script's commands in the order they run.
    public var commands: [WastCommand]

    /// A script running `commands` in order.
    public init(commands: [WastCommand]) { self.commands = commands }

    /// Parses a script. Modules inside it are kept as source (or bytes) and only encoded on
    /// demand, so a deliberately malformed module does not make the script itself fail.
    public static func parse(_ text: String) throws -> WastScript {
        var parser = try WastParser(source: Array(text.utf8))
        return try parser.parse()
    }
}

/// One command of a script with the (1-based) line it starts on.
public struct WastCommand {
    /// What the command does, with the module, action or expected results it carries.
    public var kind: WastCommandKind
    /// The 1-based line of the script the command starts on, for reports.
    public var line: Int

    /// A command of `kind` starting on `line`.
    public init(kind: WastCommandKind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

/// What a script command asks for.
public enum WastCommandKind {
    /// Defines and instantiates a module.
    case module(WastModule)
    /// `(module definition $id? ...)`: compiles a module without instantiating it (3.0).
    case moduleDefinition(WastModule)
    /// `(module instance $instance? $definition?)`: instantiates a definition (the last one
    /// when unnamed), as the current module.
    case moduleInstance(instance: String?, definition: String?)
    /// `(register "name" $id?)`: makes a module's exports importable under `name`.
    case register(name: String, module: String?)
    case action(WastAction)
    case assertReturn(WastAction, [WastExpected])
    case assertTrap(WastAction, message: String)
    /// `assert_trap` on a module: instantiation (its start function) must trap.
    case assertTrapModule(WastModule, message: String)
    case assertExhaustion(WastAction, message: String)
    case assertInvalid(WastModule, message: String)
    case assertMalformed(WastModule, message: String)
    case assertUnlinkable(WastModule, message: String)
    case assertUninstantiable(WastModule, message: String)
    /// `assert_exception`: the action must end in an uncaught Wasm exception (3.0).
    case assertException(WastAction)
}

/// A module in a script, as written.
public struct WastModule {
    /// The `$id` naming the module, if any.
    public var name: String?
    /// The module as written: text, binary or quoted text.
    public var source: Source

    /// How a script spells a module: `(module ...)` text, `(module binary ...)` bytes, or
    /// `(module quote ...)` strings.
    public enum Source {
        /// The source of the whole `(module ...)` form.
        case text(String)
        case binary([UInt8])
        /// The concatenated strings of `(module quote ...)`, as bytes: they may be malformed
        /// UTF-8, which the text parser must report.
        case quote([UInt8])
    }

    /// A module named `name` (nil: unnamed) given by `source`.
    public init(name: String?, source: Source) {
        self.name = name
        self.source = source
    }

    /// Produces the binary: `.text` and `.quote` go through `WAT.parseModule` (so a malformed text
    /// module throws here, which is what assert_malformed checks), `.binary` returns the bytes.
    public func encode(features: FeatureSet = .default) throws -> [UInt8] {
        switch source {
        case .text(let text): return try WAT.parseModule(text, features: features)
        case .quote(let bytes): return try WAT.parseModule(bytes: bytes, features: features)
        case .binary(let bytes): return bytes
        }
    }
}

/// Something a script does to a module instance.
public enum WastAction {
    case invoke(module: String?, name: String, arguments: [WastValue])
    case get(module: String?, name: String)
}

/// A concrete value: an argument, or an exact expected result.
public enum WastValue: Equatable {
    case i32(UInt32)
    case i64(UInt64)
    /// Bit pattern.
    case f32(UInt32)
    /// Bit pattern.
    case f64(UInt64)
    /// 16 bytes, little-endian lane order.
    case v128([UInt8])
    case refNull(HeapType)
    case refExtern(UInt32)
    case refFunc(UInt32?)
}

/// Which NaNs a `nan:canonical` / `nan:arithmetic` expectation accepts.
public enum NaNKind: Equatable {
    case canonical, arithmetic
}

/// The shape of a `v128.const` (how its 16 bytes split into lanes).
public enum V128Shape: String, Equatable {
    case i8x16, i16x8, i32x4, i64x2, f32x4, f64x2

    /// How many lanes the 16 bytes split into (16 for `i8x16` ... 2 for `i64x2`/`f64x2`).
    public var laneCount: Int {
        switch self {
        case .i8x16: return 16
        case .i16x8: return 8
        case .i32x4, .f32x4: return 4
        case .i64x2, .f64x2: return 2
        }
    }
}

/// An expected result of `assert_return`.
public indirect enum WastExpected {
    case value(WastValue)
    case f32NaN(NaNKind)
    case f64NaN(NaNKind)
    /// A vector with at least one NaN-pattern lane: each lane is `.value` (i/f lane as
    /// `.i32`/`.i64`/`.f32`/`.f64` bits, i8/i16 lanes as `.i32`) or an `f32NaN` / `f64NaN`.
    case v128Lanes(V128Shape, [WastExpected])
    /// `(ref.null)` accepts any null when the heap type is omitted.
    case refNull(HeapType?)
    /// `(ref.extern n)`, or any non-null extern reference when `n` is omitted.
    case refExtern(UInt32?)
    /// `(ref.func)`: any non-null function reference.
    case refFunc
    /// `(ref.struct)`, `(ref.array)`, `(ref.i31)`, `(ref.eq)`, `(ref.any)`: any non-null
    /// reference of that abstract heap type.
    case refOf(HeapType)
    /// `(either ...)`: any of the alternatives.
    case either([WastExpected])
}
