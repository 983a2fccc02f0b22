#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Table instructions. Table elements are reference words (see `TableCell`).

/// `[handler, dst/index, tableCell]`
func h_tableGet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let t = immPointer(pc, 2, TableCell.self), i = Int(readI32(fp, imm(pc, 1)))
    if _slowPath(i >= t.pointee.count) { return raise(st, .tableOutOfBounds) }
    fp[imm(pc, 1)] = t.pointee.elements[i]
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, index, value, tableCell]`
func h_tableSet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let t = immPointer(pc, 3, TableCell.self), i = Int(readI32(fp, imm(pc, 1)))
    if _slowPath(i >= t.pointee.count) { return raise(st, .tableOutOfBounds) }
    t.pointee.elements[i] = fp[imm(pc, 2)]
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, tableCell]`
func h_tableSize(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    writeI32(fp, imm(pc, 1), UInt32(immPointer(pc, 2, TableCell.self).pointee.count))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst/initValue, delta, tableCell]`
func h_tableGrow(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let old = growTable(immPointer(pc, 3, TableCell.self), Int(readI32(fp, imm(pc, 2))), fp[imm(pc, 1)])
    writeI32(fp, imm(pc, 1), UInt32(truncatingIfNeeded: old))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

@inline(never)
func growTable(_ cell: UnsafeMutablePointer<TableCell>, _ delta: Int, _ value: UInt64) -> Int {
    cell.pointee.grow(by: delta, value: value)
}

/// `[handler, index, value, count, tableCell]`
func h_tableFill(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let t = immPointer(pc, 4, TableCell.self)
    let i = Int(readI32(fp, imm(pc, 1))), n = Int(readI32(fp, imm(pc, 3)))
    if _slowPath(i + n > t.pointee.count) { return raise(st, .tableOutOfBounds) }
    (t.pointee.elements + i).update(repeating: fp[imm(pc, 2)], count: n)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src, count, dstTableCell, srcTableCell]`
func h_tableCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = Int(readI32(fp, imm(pc, 1))), s = Int(readI32(fp, imm(pc, 2))), n = Int(readI32(fp, imm(pc, 3)))
    let dst = immPointer(pc, 4, TableCell.self), src = immPointer(pc, 5, TableCell.self)
    if _slowPath(d + n > dst.pointee.count || s + n > src.pointee.count) { return raise(st, .tableOutOfBounds) }
    memmove(dst.pointee.elements + d, src.pointee.elements + s, n * 8) // ranges may overlap
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src, count, tableCell, elementCell]`
func h_tableInit(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = Int(readI32(fp, imm(pc, 1))), s = Int(readI32(fp, imm(pc, 2))), n = Int(readI32(fp, imm(pc, 3)))
    let t = immPointer(pc, 4, TableCell.self), e = immPointer(pc, 5, ElementCell.self)
    if _slowPath(d + n > t.pointee.count || s + n > e.pointee.count) { return raise(st, .tableOutOfBounds) }
    (t.pointee.elements + d).update(from: e.pointee.elements + s, count: n)
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

/// `[handler, elementCell]`
func h_elemDrop(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    immPointer(pc, 1, ElementCell.self).pointee.count = 0
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}
