#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 64-bit memories and tables (memory64, Wasm 3.0). Their addresses and lengths are i64; a memory is still
/// at most 4 GiB here (grow fails beyond), so a checked in-bounds address fits the 32-bit
/// handlers. A load or store is `h_address64` (the checked address into a scratch slot) then
/// the ordinary access on that slot with offset 0. Bulk operations have 64-bit forms that read
/// their i64 operands whole and check bounds without overflowing.

/// `[handler, scratch, address, offset, width]`: traps unless `address + offset + width` is
/// within the selected memory, else writes `address + offset` to `scratch`.
func h_address64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = checkedAddress64(pc, fp, ms, st, atomic: false) else { return }
    fp[imm(pc, 1)] = ea
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `h_address64` for an atomic access: alignment is checked before bounds, as the threads
/// proposal's reference interpreter and wasmtime do, so an access both misaligned and out of
/// bounds traps "unaligned atomic" (FINDINGS.md F1).
func h_atomicAddress64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let ea = checkedAddress64(pc, fp, ms, st, atomic: true) else { return }
    fp[imm(pc, 1)] = ea
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// The effective address of the two handlers above, or nil after raising their trap. The
/// spec's effective address is the true sum, which may pass 2^64: its alignment is that of the
/// wrapped sum (the width divides 2^64), so an atomic checks it even then, and only after that
/// does the overflow make it out of bounds.
@inline(__always)
private func checkedAddress64(_ pc: PC, _ fp: FP, _ ms: Int, _ st: ST, atomic: Bool) -> UInt64? {
    let (ea, o1) = fp[imm(pc, 2)].addingReportingOverflow(pc[3])
    if atomic, _slowPath(ea & (pc[4] &- 1) != 0) { raise(st, .unalignedAtomic); return nil }
    let (end, o2) = ea.addingReportingOverflow(pc[4])
    if _slowPath(o1 || o2 || end > UInt64(ms)) { raise(st, .memoryOutOfBounds); return nil }
    return ea
}

/// `[handler, slot, trapKind]`: a 64-bit table's i64 index or count must fit in 32 bits (no
/// table is larger); then the 32-bit table handler that follows reads it as it is.
func h_checkIndex64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    if _slowPath(fp[imm(pc, 1)] > UInt64(UInt32.max)) { return raise(st, TrapKind(rawValue: imm(pc, 2)).unsafelyUnwrapped) }
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, dst/initValue, delta, tableCell]`: `table.grow` of a 64-bit table; the old size
/// or -1, both as i64.
func h_tableGrow64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let delta = fp[imm(pc, 2)]
    let old = delta > UInt64(Int32.max) ? -1 : growTable(immPointer(pc, 3, TableCell.self), Int(delta), fp[imm(pc, 1)])
    fp[imm(pc, 1)] = UInt64(bitPattern: Int64(old))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, dst/delta, memoryCell]`: the old size in pages, or -1 (all 64 bits).
func h_memoryGrow64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let cell = immPointer(pc, 2, MemoryCell.self)
    let delta = fp[imm(pc, 1)]
    let old = delta > UInt64(Int32.max) ? -1 : growMemory64(cell, Int(delta))
    fp[imm(pc, 1)] = UInt64(bitPattern: Int64(old))
    return dispatch(pc + 3, fp, cell.pointee.base, cell.pointee.byteCount, st, acc, facc)
}

@inline(never)
func growMemory64(_ cell: UnsafeMutablePointer<MemoryCell>, _ pages: Int) -> Int {
    cell.pointee.grow(by: pages)
}

/// Whether `[start, start + count)` lies within `size` bytes, without overflowing.
@inline(__always)
fileprivate func within(_ start: UInt64, _ count: UInt64, _ size: Int) -> Bool {
    let (end, overflow) = start.addingReportingOverflow(count)
    return !overflow && end <= UInt64(size)
}

/// `[handler, dst, value, count, memoryCell]`
func h_memoryFill64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = fp[imm(pc, 1)], n = fp[imm(pc, 3)]
    let cell = immPointer(pc, 4, MemoryCell.self)
    if _slowPath(!within(d, n, cell.pointee.byteCount)) { return raise(st, .memoryOutOfBounds) }
    memset(cell.pointee.base + Int(d), Int32(truncatingIfNeeded: fp[imm(pc, 2)] & 0xFF), Int(n))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, src, count, dstMemoryCell, srcMemoryCell, widths]`: either memory is 64-bit;
/// `widths` bit 0 says the destination is, bit 1 the source (the count is an i64 when both are).
/// An i32 operand is read from its low half: a slot's upper half is not always zero.
func h_memoryCopy64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let widths = pc[6]
    let d = operand(fp, imm(pc, 1), is64: widths & 1 != 0), s = operand(fp, imm(pc, 2), is64: widths & 2 != 0)
    let n = operand(fp, imm(pc, 3), is64: widths == 3)
    let dst = immPointer(pc, 4, MemoryCell.self), src = immPointer(pc, 5, MemoryCell.self)
    if _slowPath(!within(d, n, dst.pointee.byteCount) || !within(s, n, src.pointee.byteCount)) {
        return raise(st, .memoryOutOfBounds)
    }
    memmove(dst.pointee.base + Int(d), src.pointee.base + Int(s), Int(n))
    return dispatch(pc + 7, fp, m, ms, st, acc, facc)
}

@inline(__always)
fileprivate func operand(_ fp: FP, _ slot: Int, is64: Bool) -> UInt64 {
    is64 ? fp[slot] : UInt64(UInt32(truncatingIfNeeded: fp[slot]))
}

/// `[handler, dst, src, count, memoryCell, dataCell]`: `dst` is an i64.
func h_memoryInit64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let d = fp[imm(pc, 1)]
    let s = UInt64(UInt32(truncatingIfNeeded: fp[imm(pc, 2)])), n = UInt64(UInt32(truncatingIfNeeded: fp[imm(pc, 3)]))
    let mem = immPointer(pc, 4, MemoryCell.self), data = immPointer(pc, 5, DataCell.self)
    if _slowPath(!within(d, n, mem.pointee.byteCount) || !within(s, n, data.pointee.count)) {
        return raise(st, .memoryOutOfBounds)
    }
    memmove(mem.pointee.base + Int(d), data.pointee.bytes + Int(s), Int(n))
    return dispatch(pc + 6, fp, m, ms, st, acc, facc)
}
