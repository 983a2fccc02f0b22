/// Loads and stores of memory 0 through the memory registers (`m`, `ms`), in four addressing
/// modes. Accesses that move the same bytes share one instruction: slots hold raw bits, so an
/// f64 load is an i64 load and an i64 `load8_u` or `store32` is its i32 twin (identical handlers
/// would otherwise be merged by LLVM behind a jump thunk, an extra jump on every access).

/// How an access finds its effective address. The address arithmetic wraps in 32 bits as the
/// separate `i32.add`/`i32.shl` would; the offset is added in 64 bits, so one unsigned compare
/// against the size is the whole bounds check.
enum AddressMode: CaseIterable {
    /// `[handler, dst, address, offset, memory]`, stores `[handler, address, value, offset, memory]`.
    case plain
    /// `base + constant` (C reaches struct fields below a pointer as `load (add p (const -32))`,
    /// a load's offset immediate cannot be negative): `[handler, dst, base, bias, offset]`,
    /// stores `[handler, base, bias, value, offset]`.
    case biased
    /// `base + (index << shift)` (C indexes arrays so): `[handler, dst, base, index, shift,
    /// offset, memory]`, stores `[handler, base, index, shift, value, offset, memory]`.
    case indexed
    /// A constant address (C's globals and statics: `i32.const 0` then `load offset=a`), added
    /// to the offset by the translator: `[handler, dst, address]`, stores `[handler, address,
    /// value]`.
    case absolute

    var suffix: String {
        switch self {
        case .plain: return ""
        case .biased: return "Biased"
        case .indexed: return "Indexed"
        case .absolute: return "Absolute"
        }
    }

    /// The address words (before a store's value) and the words after it.
    var addressWords: [Word] {
        switch self {
        case .plain: return [.source("address", .i32)]
        case .biased: return [.source("base", .i32), .constant("bias", .i32)]
        case .indexed: return [.source("base", .i32), .source("index", .i32), .constant("shift", .i32)]
        case .absolute: return [.offset("address")]
        }
    }
    var trailingWords: [Word] {
        switch self {
        case .plain, .indexed: return [.offset("offset"), .memory]
        case .biased: return [.offset("offset")]
        case .absolute: return []
        }
    }
    var effectiveAddress: String {
        switch self {
        case .plain: return "let ea = Int(address) &+ offset"
        case .biased: return "let ea = Int(base &+ bias) &+ offset"
        case .indexed: return "let ea = Int(base &+ (index &<< shift)) &+ offset"
        case .absolute: return "let ea = address"
        }
    }
}

/// One load or store instruction family.
struct MemoryAccess {
    /// `i32Load8S`, `i64Store`...
    var name: String
    /// The Swift type of the bytes in memory.
    var stored: String
    var bytes: Int
    /// Loads: the slot view of the result and the conversion of the loaded `v`.
    var load: (View, String)?
    /// Stores: the conversion of the slot's raw bits `value` to `stored`.
    var store: String?
    /// The `MemoryOperator` cases of the plain instruction, and of the biased and indexed ones.
    var implements: [String]
    var fusedImplements: [String]

    /// The instruction for `mode`; for a store with `constantValue`, the value is a constant
    /// word instead of a slot (`p[i] = 0`, `s->flag = 1`: no constant materialised first).
    func instruction(_ mode: AddressMode, constantValue: Bool = false) -> Instruction {
        let check = ["\(mode.effectiveAddress)",
                     "if _slowPath(ea &+ \(bytes) > ms) {",
                     "    return raise(st, .memoryOutOfBounds)",
                     "}"]
        if let (view, conversion) = load {
            return Instruction(name: name + mode.suffix, summary: "load \(bytes) bytes (`\(stored)`)",
                               words: [.destination(view)] + mode.addressWords + mode.trailingWords,
                               body: check + ["let v = m.loadUnaligned(fromByteOffset: ea, as: \(stored).self)"],
                               effect: .value(view, conversion),
                               carriesFloats: implements.contains { $0.hasPrefix("f") })
        }
        let value: Word = constantValue ? .constant("value", .raw) : .source("value", .raw)
        return Instruction(name: name + mode.suffix + (constantValue ? "Constant" : ""),
                           summary: "store \(bytes) bytes (`\(stored)`)" + (constantValue ? " of a constant" : ""),
                           words: mode.addressWords + [value] + mode.trailingWords,
                           body: check + ["m.storeBytes(of: \(store!), toByteOffset: ea, as: \(stored).self)"],
                           effect: .none)
    }
}

let memoryAccesses: [MemoryAccess] = [
    MemoryAccess(name: "i32Load", stored: "UInt32", bytes: 4, load: (.i32, "v"),
                 implements: ["i32Load", "f32Load", "i64Load32U"], fusedImplements: ["i32Load", "f32Load", "i64Load32U"]),
    MemoryAccess(name: "i64Load", stored: "UInt64", bytes: 8, load: (.i64, "v"),
                 implements: ["i64Load", "f64Load"], fusedImplements: ["i64Load", "f64Load"]),
    MemoryAccess(name: "i32Load8S", stored: "Int8", bytes: 1, load: (.i32, "UInt32(bitPattern: Int32(v))"),
                 implements: ["i32Load8S"], fusedImplements: ["i32Load8S"]),
    MemoryAccess(name: "i32Load8U", stored: "UInt8", bytes: 1, load: (.i32, "UInt32(v)"),
                 implements: ["i32Load8U", "i64Load8U"], fusedImplements: ["i32Load8U", "i64Load8U"]),
    MemoryAccess(name: "i32Load16S", stored: "Int16", bytes: 2, load: (.i32, "UInt32(bitPattern: Int32(v))"),
                 implements: ["i32Load16S"], fusedImplements: ["i32Load16S"]),
    MemoryAccess(name: "i32Load16U", stored: "UInt16", bytes: 2, load: (.i32, "UInt32(v)"),
                 implements: ["i32Load16U", "i64Load16U"], fusedImplements: ["i32Load16U", "i64Load16U"]),
    MemoryAccess(name: "i64Load8S", stored: "Int8", bytes: 1, load: (.i64, "UInt64(bitPattern: Int64(v))"),
                 implements: ["i64Load8S"], fusedImplements: []),
    MemoryAccess(name: "i64Load16S", stored: "Int16", bytes: 2, load: (.i64, "UInt64(bitPattern: Int64(v))"),
                 implements: ["i64Load16S"], fusedImplements: []),
    MemoryAccess(name: "i64Load32S", stored: "Int32", bytes: 4, load: (.i64, "UInt64(bitPattern: Int64(v))"),
                 implements: ["i64Load32S"], fusedImplements: []),
    MemoryAccess(name: "i32Store", stored: "UInt32", bytes: 4, store: "UInt32(truncatingIfNeeded: value)",
                 implements: ["i32Store", "f32Store", "i64Store32"], fusedImplements: ["i32Store", "f32Store", "i64Store32"]),
    MemoryAccess(name: "i64Store", stored: "UInt64", bytes: 8, store: "value",
                 implements: ["i64Store", "f64Store"], fusedImplements: ["i64Store", "f64Store"]),
    MemoryAccess(name: "i32Store8", stored: "UInt8", bytes: 1, store: "UInt8(truncatingIfNeeded: value)",
                 implements: ["i32Store8", "i64Store8"], fusedImplements: ["i32Store8", "i64Store8"]),
    MemoryAccess(name: "i32Store16", stored: "UInt16", bytes: 2, store: "UInt16(truncatingIfNeeded: value)",
                 implements: ["i32Store16", "i64Store16"], fusedImplements: ["i32Store16", "i64Store16"]),
]

extension MemoryAccess {
    /// Whether the access has biased, indexed and absolute instructions.
    var isFused: Bool { !fusedImplements.isEmpty }
    var isStore: Bool { store != nil }

    /// The address modes it has instructions for.
    var modes: [AddressMode] { AddressMode.allCases.filter { $0 == .plain || isFused } }
}

/// `[handler, dst, base, index, shift]`: `base + (index << shift)`, the address arithmetic of
/// an indexed access on its own when the access does not follow directly.
let addShift = Instruction(name: "i32AddShl", summary: "`base + (index << shift)`",
                           words: [.destination(.i32), .source("a", .i32), .source("b", .i32), .constant("shift", .i32)],
                           effect: .value(.i32, "a &+ (b &<< shift)"))
