#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// memory.size / memory.grow and the bulk-memory instructions. Bulk operations check the
/// whole range before writing anything (Wasm 2.0 semantics) and then use memmove/memset.

/// `[handler, memoryCell]`: makes `memoryCell` the memory the registers hold. Loads and stores
/// address memory 0 through the registers; an access to another memory is wrapped in two of
/// these (that memory, then memory 0 again), so the access handlers stay as they are.
func h_selectMemory(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = immPointer(pc, 1, MemoryCell.self)
    return dispatch(pc + 2, fp, cell.pointee.base, cell.pointee.byteCount, st, acc, facc)
}

/// `[handler, dst, memoryCell]`
func h_memorySize(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = immPointer(pc, 2, MemoryCell.self)
    writeI32(fp, imm(pc, 1), UInt32(truncatingIfNeeded: cell.pointee.byteCount &>> cell.pointee.pageSizeLog2))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst/delta, memoryCell]`; reloads the memory base afterwards.
func h_memoryGrow(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = immPointer(pc, 2, MemoryCell.self)
    let old = growMemory(cell, Int(readI32(fp, imm(pc, 1))))
    writeI32(fp, imm(pc, 1), UInt32(truncatingIfNeeded: old))
    return dispatch(pc + 3, fp, cell.pointee.base, cell.pointee.byteCount, st, acc, facc)
}

@inline(never)
func growMemory(_ cell: UnsafeMutablePointer<MemoryCell>, _ pages: Int) -> Int {
    cell.pointee.grow(by: pages)
}

/// `[handler, dst, value, count, memoryCell]`
func h_memoryFill(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = Int(readI32(fp, imm(pc, 1))), n = Int(readI32(fp, imm(pc, 3)))
    // The cell's own base, checked against the cell's own size (not memory 0's registers).
    let cell = immPointer(pc, 4, MemoryCell.self)
    if _slowPath(d + n > cell.pointee.byteCount) {
        return raise(st, .memoryOutOfBounds)
    }
    memset(cell.pointee.base + d, Int32(truncatingIfNeeded: readI32(fp, imm(pc, 2)) & 0xFF), n)
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src, count, dstMemoryCell, srcMemoryCell]`
func h_memoryCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = Int(readI32(fp, imm(pc, 1))), s = Int(readI32(fp, imm(pc, 2))), n = Int(readI32(fp, imm(pc, 3)))
    let dst = immPointer(pc, 4, MemoryCell.self), src = immPointer(pc, 5, MemoryCell.self)
    if _slowPath(d + n > dst.pointee.byteCount || s + n > src.pointee.byteCount) {
        return raise(st, .memoryOutOfBounds)
    }
    memmove(dst.pointee.base + d, src.pointee.base + s, n)
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src, count, memoryCell, dataCell]`
func h_memoryInit(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = Int(readI32(fp, imm(pc, 1))), s = Int(readI32(fp, imm(pc, 2))), n = Int(readI32(fp, imm(pc, 3)))
    let mem = immPointer(pc, 4, MemoryCell.self), data = immPointer(pc, 5, DataCell.self)
    if _slowPath(d + n > mem.pointee.byteCount || s + n > data.pointee.count) {
        return raise(st, .memoryOutOfBounds)
    }
    memmove(mem.pointee.base + d, data.pointee.bytes + s, n)
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}

/// `[handler, dataCell]`
func h_dataDrop(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    immPointer(pc, 1, DataCell.self).pointee.count = 0
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}
