import HearthBinary

/// Handler tables for the operand forms the translator picks when it can: a binary operator
/// with a constant right operand, and the fused compare-and-branch instructions.

/// The `[handler, dst, lhs, constant]` form of `op`, if it has one.
func immediateHandler(_ op: NumericOperator) -> Handler? {
    switch op {
    case .i32Add: return h_i32AddImm
    case .i32Sub: return h_i32SubImm
    case .i32Mul: return h_i32MulImm
    case .i32And: return h_i32AndImm
    case .i32Or: return h_i32OrImm
    case .i32Xor: return h_i32XorImm
    case .i32Shl: return h_i32ShlImm
    case .i32ShrS: return h_i32ShrSImm
    case .i32ShrU: return h_i32ShrUImm
    case .i64Add: return h_i64AddImm
    case .i64Sub: return h_i64SubImm
    case .i64Mul: return h_i64MulImm
    case .i64And: return h_i64AndImm
    case .i64Or: return h_i64OrImm
    case .i64Xor: return h_i64XorImm
    case .i64Shl: return h_i64ShlImm
    case .i64ShrS: return h_i64ShrSImm
    case .i64ShrU: return h_i64ShrUImm
    case .f32Add: return h_f32AddImm
    case .f32Sub: return h_f32SubImm
    case .f32Mul: return h_f32MulImm
    case .f32Div: return h_f32DivImm
    case .f64Add: return h_f64AddImm
    case .f64Sub: return h_f64SubImm
    case .f64Mul: return h_f64MulImm
    case .f64Div: return h_f64DivImm
    default: return nil
    }
}

/// The `[handler, dst, rhs, constant]` form of `op` computing `constant op rhs`, for operators
/// whose constant left operand cannot simply be swapped to the right (float subtraction and
/// division; float add and multiply answer their `Imm` form, see ImmediateHandlers.swift).
func reversedImmediateHandler(_ op: NumericOperator) -> Handler? {
    switch op {
    case .i32Sub: return h_i32SubImmRev
    case .i64Sub: return h_i64SubImmRev
    case .f32Add: return h_f32AddImm
    case .f32Sub: return h_f32SubImmRev
    case .f32Mul: return h_f32MulImm
    case .f32Div: return h_f32DivImmRev
    case .f64Add: return h_f64AddImm
    case .f64Sub: return h_f64SubImmRev
    case .f64Mul: return h_f64MulImm
    case .f64Div: return h_f64DivImmRev
    default: return nil
    }
}

/// Whether `op`'s operands may be swapped (so a constant left operand can become the immediate).
func isCommutative(_ op: NumericOperator) -> Bool {
    switch op {
    case .i32Add, .i32Mul, .i32And, .i32Or, .i32Xor, .i64Add, .i64Mul, .i64And, .i64Or, .i64Xor: return true
    default: return false
    }
}

/// The integer comparison `op` performs, and whether on i64, if it can fuse with a branch.
func intCompare(_ op: NumericOperator) -> (IntCompare, is64: Bool)? {
    switch op {
    case .i32Eq: return (.eq, false)
    case .i32Ne: return (.ne, false)
    case .i32LtS: return (.ltS, false)
    case .i32LtU: return (.ltU, false)
    case .i32GtS: return (.gtS, false)
    case .i32GtU: return (.gtU, false)
    case .i32LeS: return (.leS, false)
    case .i32LeU: return (.leU, false)
    case .i32GeS: return (.geS, false)
    case .i32GeU: return (.geU, false)
    case .i64Eq: return (.eq, true)
    case .i64Ne: return (.ne, true)
    case .i64LtS: return (.ltS, true)
    case .i64LtU: return (.ltU, true)
    case .i64GtS: return (.gtS, true)
    case .i64GtU: return (.gtU, true)
    case .i64LeS: return (.leS, true)
    case .i64LeU: return (.leU, true)
    case .i64GeS: return (.geS, true)
    case .i64GeU: return (.geU, true)
    default: return nil
    }
}

/// The fused branch taken when `compare` holds: `[handler, lhs, rhs or constant, offset]`.
func fusedBranchHandler(_ compare: IntCompare, is64: Bool, immediate: Bool) -> Handler {
    switch (compare, is64, immediate) {
    case (.eq, false, false): return h_brI32Eq
    case (.eq, false, true): return h_brI32EqImm
    case (.ne, false, false): return h_brI32Ne
    case (.ne, false, true): return h_brI32NeImm
    case (.ltS, false, false): return h_brI32LtS
    case (.ltS, false, true): return h_brI32LtSImm
    case (.ltU, false, false): return h_brI32LtU
    case (.ltU, false, true): return h_brI32LtUImm
    case (.gtS, false, false): return h_brI32GtS
    case (.gtS, false, true): return h_brI32GtSImm
    case (.gtU, false, false): return h_brI32GtU
    case (.gtU, false, true): return h_brI32GtUImm
    case (.leS, false, false): return h_brI32LeS
    case (.leS, false, true): return h_brI32LeSImm
    case (.leU, false, false): return h_brI32LeU
    case (.leU, false, true): return h_brI32LeUImm
    case (.geS, false, false): return h_brI32GeS
    case (.geS, false, true): return h_brI32GeSImm
    case (.geU, false, false): return h_brI32GeU
    case (.geU, false, true): return h_brI32GeUImm
    case (.eq, true, false): return h_brI64Eq
    case (.eq, true, true): return h_brI64EqImm
    case (.ne, true, false): return h_brI64Ne
    case (.ne, true, true): return h_brI64NeImm
    case (.ltS, true, false): return h_brI64LtS
    case (.ltS, true, true): return h_brI64LtSImm
    case (.ltU, true, false): return h_brI64LtU
    case (.ltU, true, true): return h_brI64LtUImm
    case (.gtS, true, false): return h_brI64GtS
    case (.gtS, true, true): return h_brI64GtSImm
    case (.gtU, true, false): return h_brI64GtU
    case (.gtU, true, true): return h_brI64GtUImm
    case (.leS, true, false): return h_brI64LeS
    case (.leS, true, true): return h_brI64LeSImm
    case (.leU, true, false): return h_brI64LeU
    case (.leU, true, true): return h_brI64LeUImm
    case (.geS, true, false): return h_brI64GeS
    case (.geS, true, true): return h_brI64GeSImm
    case (.geU, true, false): return h_brI64GeU
    case (.geU, true, true): return h_brI64GeUImm
    }
}

/// The `[handler, dst, lhs, constant]` value form of an integer comparison.
func compareImmediateHandler(_ compare: IntCompare, is64: Bool) -> Handler {
    switch (compare, is64) {
    case (.eq, false): return h_i32EqImm
    case (.ne, false): return h_i32NeImm
    case (.ltS, false): return h_i32LtSImm
    case (.ltU, false): return h_i32LtUImm
    case (.gtS, false): return h_i32GtSImm
    case (.gtU, false): return h_i32GtUImm
    case (.leS, false): return h_i32LeSImm
    case (.leU, false): return h_i32LeUImm
    case (.geS, false): return h_i32GeSImm
    case (.geU, false): return h_i32GeUImm
    case (.eq, true): return h_i64EqImm
    case (.ne, true): return h_i64NeImm
    case (.ltS, true): return h_i64LtSImm
    case (.ltU, true): return h_i64LtUImm
    case (.gtS, true): return h_i64GtSImm
    case (.gtU, true): return h_i64GtUImm
    case (.leS, true): return h_i64LeSImm
    case (.leU, true): return h_i64LeUImm
    case (.geS, true): return h_i64GeSImm
    case (.geU, true): return h_i64GeUImm
    }
}
