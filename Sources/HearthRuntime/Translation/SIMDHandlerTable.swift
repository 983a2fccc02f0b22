import HearthBinary

/// The handler of each SIMD operator of the `plain` and `lane` forms; nil for the forms the
/// translator emits itself (memory accesses, `v128.const`, `i8x16.shuffle`).
///
/// The operand layout follows from the operator's `signature` and `form`, with v128 operands
/// and results named by their first slot (DESIGN.md, "Frames"):
/// - `plain`: `[handler, dst, operands...]` in signature order: `[h, dst, a]`, `[h, dst, a, b]`,
///   `v128.bitselect` `[h, dst, a, b, mask]`; a shift's second operand is its i32 count slot,
///   a splat's only operand is its scalar slot.
/// - `lane`: the lane number follows the operand slots: extract_lane `[h, dst, v, lane]`,
///   replace_lane `[h, dst, v, x, lane]`.
/// Every handler reads all its operands before writing dst, so dst may be any operand's slot.
func simdHandler(_ op: SIMDOperator) -> Handler? {
    switch op {
    case .i8x16Swizzle: return h_i8x16Swizzle
    case .i8x16Splat: return h_i8x16Splat
    case .i16x8Splat: return h_i16x8Splat
    case .i32x4Splat: return h_i32x4Splat
    case .i64x2Splat: return h_i64x2Splat
    case .f32x4Splat: return h_i32x4Splat  // the same bits
    case .f64x2Splat: return h_i64x2Splat  // the same bits
    case .i8x16ExtractLaneS: return h_i8x16ExtractLaneS
    case .i8x16ExtractLaneU: return h_i8x16ExtractLaneU
    case .i8x16ReplaceLane: return h_i8x16ReplaceLane
    case .i16x8ExtractLaneS: return h_i16x8ExtractLaneS
    case .i16x8ExtractLaneU: return h_i16x8ExtractLaneU
    case .i16x8ReplaceLane: return h_i16x8ReplaceLane
    case .i32x4ExtractLane: return h_i32x4ExtractLane
    case .i32x4ReplaceLane: return h_i32x4ReplaceLane
    case .i64x2ExtractLane: return h_i64x2ExtractLane
    case .i64x2ReplaceLane: return h_i64x2ReplaceLane
    case .f32x4ExtractLane: return h_i32x4ExtractLane  // the same bits
    case .f32x4ReplaceLane: return h_i32x4ReplaceLane  // the same bits
    case .f64x2ExtractLane: return h_i64x2ExtractLane  // the same bits
    case .f64x2ReplaceLane: return h_i64x2ReplaceLane  // the same bits
    case .i8x16Eq: return h_i8x16Eq
    case .i8x16Ne: return h_i8x16Ne
    case .i8x16LtS: return h_i8x16LtS
    case .i8x16LtU: return h_i8x16LtU
    case .i8x16GtS: return h_i8x16GtS
    case .i8x16GtU: return h_i8x16GtU
    case .i8x16LeS: return h_i8x16LeS
    case .i8x16LeU: return h_i8x16LeU
    case .i8x16GeS: return h_i8x16GeS
    case .i8x16GeU: return h_i8x16GeU
    case .i16x8Eq: return h_i16x8Eq
    case .i16x8Ne: return h_i16x8Ne
    case .i16x8LtS: return h_i16x8LtS
    case .i16x8LtU: return h_i16x8LtU
    case .i16x8GtS: return h_i16x8GtS
    case .i16x8GtU: return h_i16x8GtU
    case .i16x8LeS: return h_i16x8LeS
    case .i16x8LeU: return h_i16x8LeU
    case .i16x8GeS: return h_i16x8GeS
    case .i16x8GeU: return h_i16x8GeU
    case .i32x4Eq: return h_i32x4Eq
    case .i32x4Ne: return h_i32x4Ne
    case .i32x4LtS: return h_i32x4LtS
    case .i32x4LtU: return h_i32x4LtU
    case .i32x4GtS: return h_i32x4GtS
    case .i32x4GtU: return h_i32x4GtU
    case .i32x4LeS: return h_i32x4LeS
    case .i32x4LeU: return h_i32x4LeU
    case .i32x4GeS: return h_i32x4GeS
    case .i32x4GeU: return h_i32x4GeU
    case .f32x4Eq: return h_f32x4Eq
    case .f32x4Ne: return h_f32x4Ne
    case .f32x4Lt: return h_f32x4Lt
    case .f32x4Gt: return h_f32x4Gt
    case .f32x4Le: return h_f32x4Le
    case .f32x4Ge: return h_f32x4Ge
    case .f64x2Eq: return h_f64x2Eq
    case .f64x2Ne: return h_f64x2Ne
    case .f64x2Lt: return h_f64x2Lt
    case .f64x2Gt: return h_f64x2Gt
    case .f64x2Le: return h_f64x2Le
    case .f64x2Ge: return h_f64x2Ge
    case .v128Not: return h_v128Not
    case .v128And: return h_v128And
    case .v128Andnot: return h_v128Andnot
    case .v128Or: return h_v128Or
    case .v128Xor: return h_v128Xor
    case .v128Bitselect: return h_v128Bitselect
    // Relaxed SIMD: the deterministic choice is the 2.0 instruction the relaxed one loosens
    // wherever the spec allows its result.
    case .i8x16RelaxedSwizzle: return h_i8x16Swizzle
    case .i32x4RelaxedTruncF32x4S: return h_i32x4TruncSatF32x4S
    case .i32x4RelaxedTruncF32x4U: return h_i32x4TruncSatF32x4U
    case .i32x4RelaxedTruncF64x2SZero: return h_i32x4TruncSatF64x2SZero
    case .i32x4RelaxedTruncF64x2UZero: return h_i32x4TruncSatF64x2UZero
    case .f32x4RelaxedMadd: return h_f32x4RelaxedMadd
    case .f32x4RelaxedNmadd: return h_f32x4RelaxedNmadd
    case .f64x2RelaxedMadd: return h_f64x2RelaxedMadd
    case .f64x2RelaxedNmadd: return h_f64x2RelaxedNmadd
    case .i8x16RelaxedLaneselect, .i16x8RelaxedLaneselect, .i32x4RelaxedLaneselect, .i64x2RelaxedLaneselect:
        return h_v128Bitselect
    case .f32x4RelaxedMin: return h_f32x4Min
    case .f32x4RelaxedMax: return h_f32x4Max
    case .f64x2RelaxedMin: return h_f64x2Min
    case .f64x2RelaxedMax: return h_f64x2Max
    case .i16x8RelaxedQ15mulrS: return h_i16x8Q15mulrSatS
    case .i16x8RelaxedDotI8x16I7x16S: return h_i16x8RelaxedDotI8x16I7x16S
    case .i32x4RelaxedDotI8x16I7x16AddS: return h_i32x4RelaxedDotI8x16I7x16AddS
    case .v128AnyTrue: return h_v128AnyTrue
    case .f32x4DemoteF64x2Zero: return h_f32x4DemoteF64x2Zero
    case .f64x2PromoteLowF32x4: return h_f64x2PromoteLowF32x4
    case .i8x16Abs: return h_i8x16Abs
    case .i8x16Neg: return h_i8x16Neg
    case .i8x16Popcnt: return h_i8x16Popcnt
    case .i8x16AllTrue: return h_i8x16AllTrue
    case .i8x16Bitmask: return h_i8x16Bitmask
    case .i8x16NarrowI16x8S: return h_i8x16NarrowI16x8S
    case .i8x16NarrowI16x8U: return h_i8x16NarrowI16x8U
    case .f32x4Ceil: return h_f32x4Ceil
    case .f32x4Floor: return h_f32x4Floor
    case .f32x4Trunc: return h_f32x4Trunc
    case .f32x4Nearest: return h_f32x4Nearest
    case .i8x16Shl: return h_i8x16Shl
    case .i8x16ShrS: return h_i8x16ShrS
    case .i8x16ShrU: return h_i8x16ShrU
    case .i8x16Add: return h_i8x16Add
    case .i8x16AddSatS: return h_i8x16AddSatS
    case .i8x16AddSatU: return h_i8x16AddSatU
    case .i8x16Sub: return h_i8x16Sub
    case .i8x16SubSatS: return h_i8x16SubSatS
    case .i8x16SubSatU: return h_i8x16SubSatU
    case .f64x2Ceil: return h_f64x2Ceil
    case .f64x2Floor: return h_f64x2Floor
    case .i8x16MinS: return h_i8x16MinS
    case .i8x16MinU: return h_i8x16MinU
    case .i8x16MaxS: return h_i8x16MaxS
    case .i8x16MaxU: return h_i8x16MaxU
    case .f64x2Trunc: return h_f64x2Trunc
    case .i8x16AvgrU: return h_i8x16AvgrU
    case .i16x8ExtaddPairwiseI8x16S: return h_i16x8ExtaddPairwiseI8x16S
    case .i16x8ExtaddPairwiseI8x16U: return h_i16x8ExtaddPairwiseI8x16U
    case .i32x4ExtaddPairwiseI16x8S: return h_i32x4ExtaddPairwiseI16x8S
    case .i32x4ExtaddPairwiseI16x8U: return h_i32x4ExtaddPairwiseI16x8U
    case .i16x8Abs: return h_i16x8Abs
    case .i16x8Neg: return h_i16x8Neg
    case .i16x8Q15mulrSatS: return h_i16x8Q15mulrSatS
    case .i16x8AllTrue: return h_i16x8AllTrue
    case .i16x8Bitmask: return h_i16x8Bitmask
    case .i16x8NarrowI32x4S: return h_i16x8NarrowI32x4S
    case .i16x8NarrowI32x4U: return h_i16x8NarrowI32x4U
    case .i16x8ExtendLowI8x16S: return h_i16x8ExtendLowI8x16S
    case .i16x8ExtendHighI8x16S: return h_i16x8ExtendHighI8x16S
    case .i16x8ExtendLowI8x16U: return h_i16x8ExtendLowI8x16U
    case .i16x8ExtendHighI8x16U: return h_i16x8ExtendHighI8x16U
    case .i16x8Shl: return h_i16x8Shl
    case .i16x8ShrS: return h_i16x8ShrS
    case .i16x8ShrU: return h_i16x8ShrU
    case .i16x8Add: return h_i16x8Add
    case .i16x8AddSatS: return h_i16x8AddSatS
    case .i16x8AddSatU: return h_i16x8AddSatU
    case .i16x8Sub: return h_i16x8Sub
    case .i16x8SubSatS: return h_i16x8SubSatS
    case .i16x8SubSatU: return h_i16x8SubSatU
    case .f64x2Nearest: return h_f64x2Nearest
    case .i16x8Mul: return h_i16x8Mul
    case .i16x8MinS: return h_i16x8MinS
    case .i16x8MinU: return h_i16x8MinU
    case .i16x8MaxS: return h_i16x8MaxS
    case .i16x8MaxU: return h_i16x8MaxU
    case .i16x8AvgrU: return h_i16x8AvgrU
    case .i16x8ExtmulLowI8x16S: return h_i16x8ExtmulLowI8x16S
    case .i16x8ExtmulHighI8x16S: return h_i16x8ExtmulHighI8x16S
    case .i16x8ExtmulLowI8x16U: return h_i16x8ExtmulLowI8x16U
    case .i16x8ExtmulHighI8x16U: return h_i16x8ExtmulHighI8x16U
    case .i32x4Abs: return h_i32x4Abs
    case .i32x4Neg: return h_i32x4Neg
    case .i32x4AllTrue: return h_i32x4AllTrue
    case .i32x4Bitmask: return h_i32x4Bitmask
    case .i32x4ExtendLowI16x8S: return h_i32x4ExtendLowI16x8S
    case .i32x4ExtendHighI16x8S: return h_i32x4ExtendHighI16x8S
    case .i32x4ExtendLowI16x8U: return h_i32x4ExtendLowI16x8U
    case .i32x4ExtendHighI16x8U: return h_i32x4ExtendHighI16x8U
    case .i32x4Shl: return h_i32x4Shl
    case .i32x4ShrS: return h_i32x4ShrS
    case .i32x4ShrU: return h_i32x4ShrU
    case .i32x4Add: return h_i32x4Add
    case .i32x4Sub: return h_i32x4Sub
    case .i32x4Mul: return h_i32x4Mul
    case .i32x4MinS: return h_i32x4MinS
    case .i32x4MinU: return h_i32x4MinU
    case .i32x4MaxS: return h_i32x4MaxS
    case .i32x4MaxU: return h_i32x4MaxU
    case .i32x4DotI16x8S: return h_i32x4DotI16x8S
    case .i32x4ExtmulLowI16x8S: return h_i32x4ExtmulLowI16x8S
    case .i32x4ExtmulHighI16x8S: return h_i32x4ExtmulHighI16x8S
    case .i32x4ExtmulLowI16x8U: return h_i32x4ExtmulLowI16x8U
    case .i32x4ExtmulHighI16x8U: return h_i32x4ExtmulHighI16x8U
    case .i64x2Abs: return h_i64x2Abs
    case .i64x2Neg: return h_i64x2Neg
    case .i64x2AllTrue: return h_i64x2AllTrue
    case .i64x2Bitmask: return h_i64x2Bitmask
    case .i64x2ExtendLowI32x4S: return h_i64x2ExtendLowI32x4S
    case .i64x2ExtendHighI32x4S: return h_i64x2ExtendHighI32x4S
    case .i64x2ExtendLowI32x4U: return h_i64x2ExtendLowI32x4U
    case .i64x2ExtendHighI32x4U: return h_i64x2ExtendHighI32x4U
    case .i64x2Shl: return h_i64x2Shl
    case .i64x2ShrS: return h_i64x2ShrS
    case .i64x2ShrU: return h_i64x2ShrU
    case .i64x2Add: return h_i64x2Add
    case .i64x2Sub: return h_i64x2Sub
    case .i64x2Mul: return h_i64x2Mul
    case .i64x2Eq: return h_i64x2Eq
    case .i64x2Ne: return h_i64x2Ne
    case .i64x2LtS: return h_i64x2LtS
    case .i64x2GtS: return h_i64x2GtS
    case .i64x2LeS: return h_i64x2LeS
    case .i64x2GeS: return h_i64x2GeS
    case .i64x2ExtmulLowI32x4S: return h_i64x2ExtmulLowI32x4S
    case .i64x2ExtmulHighI32x4S: return h_i64x2ExtmulHighI32x4S
    case .i64x2ExtmulLowI32x4U: return h_i64x2ExtmulLowI32x4U
    case .i64x2ExtmulHighI32x4U: return h_i64x2ExtmulHighI32x4U
    case .f32x4Abs: return h_f32x4Abs
    case .f32x4Neg: return h_f32x4Neg
    case .f32x4Sqrt: return h_f32x4Sqrt
    case .f32x4Add: return h_f32x4Add
    case .f32x4Sub: return h_f32x4Sub
    case .f32x4Mul: return h_f32x4Mul
    case .f32x4Div: return h_f32x4Div
    case .f32x4Min: return h_f32x4Min
    case .f32x4Max: return h_f32x4Max
    case .f32x4Pmin: return h_f32x4Pmin
    case .f32x4Pmax: return h_f32x4Pmax
    case .f64x2Abs: return h_f64x2Abs
    case .f64x2Neg: return h_f64x2Neg
    case .f64x2Sqrt: return h_f64x2Sqrt
    case .f64x2Add: return h_f64x2Add
    case .f64x2Sub: return h_f64x2Sub
    case .f64x2Mul: return h_f64x2Mul
    case .f64x2Div: return h_f64x2Div
    case .f64x2Min: return h_f64x2Min
    case .f64x2Max: return h_f64x2Max
    case .f64x2Pmin: return h_f64x2Pmin
    case .f64x2Pmax: return h_f64x2Pmax
    case .i32x4TruncSatF32x4S: return h_i32x4TruncSatF32x4S
    case .i32x4TruncSatF32x4U: return h_i32x4TruncSatF32x4U
    case .f32x4ConvertI32x4S: return h_f32x4ConvertI32x4S
    case .f32x4ConvertI32x4U: return h_f32x4ConvertI32x4U
    case .i32x4TruncSatF64x2SZero: return h_i32x4TruncSatF64x2SZero
    case .i32x4TruncSatF64x2UZero: return h_i32x4TruncSatF64x2UZero
    case .f64x2ConvertLowI32x4S: return h_f64x2ConvertLowI32x4S
    case .f64x2ConvertLowI32x4U: return h_f64x2ConvertLowI32x4U
    case .v128Load, .v128Load8x8S, .v128Load8x8U, .v128Load16x4S, .v128Load16x4U, .v128Load32x2S,
         .v128Load32x2U, .v128Load8Splat, .v128Load16Splat, .v128Load32Splat, .v128Load64Splat,
         .v128Store, .v128Const, .i8x16Shuffle, .v128Load8Lane, .v128Store8Lane, .v128Load16Lane,
         .v128Store16Lane, .v128Load32Lane, .v128Store32Lane, .v128Load64Lane, .v128Store64Lane,
         .v128Load32Zero, .v128Load64Zero:
        return nil
    }
}
