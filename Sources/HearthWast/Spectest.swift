import HearthBinary
import HearthRuntime

/// The `spectest` host module every spec script imports: print functions, four globals, a table
/// and memories (one shared), with the shapes the spec interpreter gives them.
public enum Spectest {
    /// Defines the module's functions, globals, tables and memories in `linker`, owned by `store`;
    /// each print call is passed to `printer` as text (dropped by default). Throws if `store`
    /// cannot create a table, memory or global.
    public static func define(in linker: Linker, store: Store, printer: @escaping (String) -> Void = { _ in }) throws {
        let prints: [(String, [ValueType])] = [
            ("print", []), ("print_i32", [.i32]), ("print_i64", [.i64]), ("print_f32", [.f32]),
            ("print_f64", [.f64]), ("print_i32_f32", [.i32, .f32]), ("print_f64_f64", [.f64, .f64]),
        ]
        for (name, parameters) in prints {
            linker.defineFunction(module: "spectest", name: name, type: FunctionType(parameters: parameters)) { _, args in
                printer("\(name)(\(args.map { "\($0)" }.joined(separator: ", ")))")
                return []
            }
        }
        let globals: [(String, ValueType, Value)] = [
            ("global_i32", .i32, .i32(666)),
            ("global_i64", .i64, .i64(666)),
            ("global_f32", .f32, .f32(Float(666.6).bitPattern)),
            ("global_f64", .f64, .f64(Double(666.6).bitPattern)),
        ]
        for (name, type, value) in globals {
            let global = try Global(store: store, type: GlobalType(valueType: type, isMutable: false), value: value)
            linker.define(module: "spectest", name: name, .global(global))
        }
        let table = try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)),
                              initial: .null(.function))
        linker.define(module: "spectest", name: "table", .table(table))
        // The 3.0 scripts' 64-bit table (table64.wast).
        let table64 = try Table(store: store, type: TableType(elementType: .funcref, limits: Limits(min: 10, max: 20, is64: true)),
                                initial: .null(.function))
        linker.define(module: "spectest", name: "table64", .table(table64))
        let memory = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2)))
        linker.define(module: "spectest", name: "memory", .memory(memory))
        // The threads proposal's scripts import this one (a 2.0 script never does).
        let shared = try Memory(store: store, type: MemoryType(limits: Limits(min: 1, max: 2, isShared: true)))
        linker.define(module: "spectest", name: "shared_memory", .memory(shared))
    }
}
