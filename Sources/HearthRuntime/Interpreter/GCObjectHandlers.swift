#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Handlers of the struct and array instructions (Wasm GC). Objects are laid out as
/// `ObjectLayout` describes; a reference is the object's address. Operands that several
/// instructions share sit in consecutive slots from `base`, as the translator materialises
/// them; results go to `base` (or `dst`).

// MARK: Structs

/// `[handler, runtimeType, base, argumentSlots]`: `struct.new`; fields from `base`, in order.
func h_structNew(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 1, RuntimeType.self)
    let base = imm(pc, 2)
    guard let object = allocateObject(st, type, payloadBytes: type.pointee.payloadBytes, length: 0,
                                      scanTop: fp + base + imm(pc, 3)) else { return }
    let payload = object + ObjectLayout.headerBytes
    var slot = base
    for f in 0..<type.pointee.fieldCount {
        let field = type.pointee.fields[f]
        writeField(payload + Int(field.offset), field.kind, fp, slot)
        slot &+= field.kind.slots
    }
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, runtimeType]`: `struct.new_default` (zeroed fields are the defaults).
func h_structNewDefault(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 2, RuntimeType.self)
    guard let object = allocateObject(st, type, payloadBytes: type.pointee.payloadBytes, length: 0,
                                      scanTop: fp + imm(pc, 1)) else { return }
    fp[imm(pc, 1)] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// The field at byte `offset` of the struct in slot `ref`; nil after trapping on null.
@inline(__always)
fileprivate func structField(_ fp: FP, _ ref: Int, _ offset: Int, _ st: ST) -> UnsafeMutableRawPointer? {
    let word = fp[ref]
    if _slowPath(word == 0) { raise(st, .nullStructureReference); return nil }
    return UnsafeMutableRawPointer(bitPattern: UInt(word)).unsafelyUnwrapped + (ObjectLayout.headerBytes + offset)
}

/// `[handler, dst, ref, offset]` for the `struct.get` handlers below.
func h_structGet32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt32.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGet64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = p.load(as: UInt64.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGet128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    let dst = imm(pc, 1)
    fp[dst] = p.load(as: UInt64.self)
    fp[dst &+ 1] = p.load(fromByteOffset: 8, as: UInt64.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGetI8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(p.load(as: Int8.self))))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGetI8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt8.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGetI16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(p.load(as: Int16.self))))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_structGetI16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 2), imm(pc, 3), st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt16.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, ref, value, offset, kind]`: `struct.set`, storing as `FieldKind(rawValue: kind)`.
func h_structSet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = structField(fp, imm(pc, 1), imm(pc, 3), st) else { return }
    writeField(p, FieldKind(rawValue: UInt8(truncatingIfNeeded: pc[4])).unsafelyUnwrapped, fp, imm(pc, 2))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

// MARK: Arrays

/// The array in slot `ref`; nil after trapping on null.
@inline(__always)
fileprivate func array(_ fp: FP, _ ref: Int, _ st: ST) -> UnsafeMutableRawPointer? {
    let word = fp[ref]
    if _slowPath(word == 0) { raise(st, .nullArrayReference); return nil }
    return UnsafeMutableRawPointer(bitPattern: UInt(word)).unsafelyUnwrapped
}

@inline(__always) fileprivate func length(_ array: UnsafeMutableRawPointer) -> Int {
    Int(array.load(fromByteOffset: 8, as: UInt64.self) & 0xFFFF_FFFF)
}

@inline(__always) fileprivate func elementKind(_ array: UnsafeMutableRawPointer) -> FieldKind {
    array.load(as: UnsafeMutablePointer<RuntimeType>.self).pointee.fields[0].kind
}

/// A new array of `count` elements of `type` (nil after trapping).
@inline(__always)
fileprivate func newArray(_ st: ST, _ type: UnsafeMutablePointer<RuntimeType>, _ count: UInt32, scanTop: FP) -> UnsafeMutableRawPointer? {
    let bytes = Int(count) * type.pointee.fields[0].kind.size
    return allocateObject(st, type, payloadBytes: bytes, length: count, scanTop: scanTop)
}

/// `[handler, runtimeType, base, valueSlots]`: `array.new`; the value at `base`, the length after it.
func h_arrayNew(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 1, RuntimeType.self)
    let base = imm(pc, 2), valueSlots = imm(pc, 3)
    let count = readI32(fp, base &+ valueSlots)
    guard let object = newArray(st, type, count, scanTop: fp + base + valueSlots + 1) else { return }
    let kind = type.pointee.fields[0].kind
    let elements = object + ObjectLayout.headerBytes
    for i in 0..<Int(count) { writeField(elements + i * kind.size, kind, fp, base) }
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, runtimeType, base]`: `array.new_default`; the length at `base`.
func h_arrayNewDefault(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 2)
    guard let object = newArray(st, immPointer(pc, 1, RuntimeType.self), readI32(fp, base), scanTop: fp + base + 1) else { return }
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, runtimeType, base, count, valueSlots]`: `array.new_fixed`; the values from `base`.
func h_arrayNewFixed(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 1, RuntimeType.self)
    let base = imm(pc, 2), count = imm(pc, 3), valueSlots = imm(pc, 4)
    guard let object = newArray(st, type, UInt32(count), scanTop: fp + base + count * valueSlots) else { return }
    let kind = type.pointee.fields[0].kind
    let elements = object + ObjectLayout.headerBytes
    for i in 0..<count { writeField(elements + i * kind.size, kind, fp, base &+ i &* valueSlots) }
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, runtimeType, base, dataCell]`: `array.new_data`; offset and length at `base`.
/// Elements are stored little-endian at their own width, as data bytes are: one copy.
func h_arrayNewData(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 1, RuntimeType.self)
    let base = imm(pc, 2)
    let data = immPointer(pc, 3, DataCell.self)
    let offset = Int(readI32(fp, base)), count = readI32(fp, base &+ 1)
    let bytes = Int(count) * type.pointee.fields[0].kind.size
    if _slowPath(offset + bytes > data.pointee.count) { return raise(st, .memoryOutOfBounds) }
    guard let object = newArray(st, type, count, scanTop: fp + base + 2) else { return }
    memcpy(object + ObjectLayout.headerBytes, data.pointee.bytes + offset, bytes)
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, runtimeType, base, elementCell]`: `array.new_elem`; offset and length at `base`.
func h_arrayNewElem(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let type = immPointer(pc, 1, RuntimeType.self)
    let base = imm(pc, 2)
    let segment = immPointer(pc, 3, ElementCell.self)
    let offset = Int(readI32(fp, base)), count = readI32(fp, base &+ 1)
    if _slowPath(offset + Int(count) > segment.pointee.count) { return raise(st, .tableOutOfBounds) }
    guard let object = newArray(st, type, count, scanTop: fp + base + 2) else { return }
    memcpy(object + ObjectLayout.headerBytes, segment.pointee.elements + offset, Int(count) * 8)
    fp[base] = UInt64(UInt(bitPattern: object))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// Element `index` (slot) of the array in slot `ref`, `size` bytes wide; nil after trapping.
@inline(__always)
fileprivate func element(_ fp: FP, _ ref: Int, _ index: Int, _ size: Int, _ st: ST) -> UnsafeMutableRawPointer? {
    guard let a = array(fp, ref, st) else { return nil }
    let i = Int(readI32(fp, index))
    if _slowPath(i >= length(a)) { raise(st, .arrayOutOfBounds); return nil }
    return a + (ObjectLayout.headerBytes + i &* size)
}

/// `[handler, dst, ref, index]` for the `array.get` handlers below.
func h_arrayGet32(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 4, st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt32.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGet64(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 8, st) else { return }
    fp[imm(pc, 1)] = p.load(as: UInt64.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGet128(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 16, st) else { return }
    let dst = imm(pc, 1)
    fp[dst] = p.load(as: UInt64.self)
    fp[dst &+ 1] = p.load(fromByteOffset: 8, as: UInt64.self)
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGetI8S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 1, st) else { return }
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(p.load(as: Int8.self))))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGetI8U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 1, st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt8.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGetI16S(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 2, st) else { return }
    fp[imm(pc, 1)] = UInt64(UInt32(bitPattern: Int32(p.load(as: Int16.self))))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

func h_arrayGetI16U(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let p = element(fp, imm(pc, 2), imm(pc, 3), 2, st) else { return }
    fp[imm(pc, 1)] = UInt64(p.load(as: UInt16.self))
    return dispatch(pc + 4, fp, m, ms, st, acc, facc)
}

/// `[handler, ref, index, value, kind]`: `array.set`, storing as `FieldKind(rawValue: kind)`.
func h_arraySet(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let kind = FieldKind(rawValue: UInt8(truncatingIfNeeded: pc[4])).unsafelyUnwrapped
    guard let p = element(fp, imm(pc, 1), imm(pc, 2), kind.size, st) else { return }
    writeField(p, kind, fp, imm(pc, 3))
    return dispatch(pc + 5, fp, m, ms, st, acc, facc)
}

/// `[handler, dst, ref]`
func h_arrayLen(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    guard let a = array(fp, imm(pc, 2), st) else { return }
    fp[imm(pc, 1)] = UInt64(length(a))
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, base, valueSlots]`: `array.fill`; the array, offset, value and count from `base`.
func h_arrayFill(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    guard let a = array(fp, base, st) else { return }
    let offset = Int(readI32(fp, base &+ 1)), count = Int(readI32(fp, base &+ 2 &+ imm(pc, 2)))
    if _slowPath(offset + count > length(a)) { return raise(st, .arrayOutOfBounds) }
    let kind = elementKind(a)
    let elements = a + ObjectLayout.headerBytes
    for i in offset..<(offset + count) { writeField(elements + i * kind.size, kind, fp, base &+ 2) }
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, base]`: `array.copy`; destination array and offset, source array and offset,
/// count from `base`. Overlapping ranges copy as if through a temporary (`memmove`).
func h_arrayCopy(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    guard let d = array(fp, base, st), let s = array(fp, base &+ 2, st) else { return }
    let dOffset = Int(readI32(fp, base &+ 1)), sOffset = Int(readI32(fp, base &+ 3))
    let count = Int(readI32(fp, base &+ 4))
    if _slowPath(dOffset + count > length(d) || sOffset + count > length(s)) { return raise(st, .arrayOutOfBounds) }
    let size = elementKind(d).size
    memmove(d + ObjectLayout.headerBytes + dOffset * size, s + ObjectLayout.headerBytes + sOffset * size, count * size)
    return dispatch(pc + 2, fp, m, ms, st, acc, facc)
}

/// `[handler, base, dataCell]`: `array.init_data`; array, destination, source offset, count.
func h_arrayInitData(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let data = immPointer(pc, 2, DataCell.self)
    guard let a = array(fp, base, st) else { return }
    let d = Int(readI32(fp, base &+ 1)), s = Int(readI32(fp, base &+ 2)), count = Int(readI32(fp, base &+ 3))
    if _slowPath(d + count > length(a)) { return raise(st, .arrayOutOfBounds) }
    let size = elementKind(a).size
    if _slowPath(s + count * size > data.pointee.count) { return raise(st, .memoryOutOfBounds) }
    memcpy(a + ObjectLayout.headerBytes + d * size, data.pointee.bytes + s, count * size)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

/// `[handler, base, elementCell]`: `array.init_elem`; array, destination, source offset, count.
func h_arrayInitElem(_ pc: PC, _ fp: FP, _ m: MB, _ ms: Int, _ st: ST, _ acc: UInt64, _ facc: Double) {
    let base = imm(pc, 1)
    let segment = immPointer(pc, 2, ElementCell.self)
    guard let a = array(fp, base, st) else { return }
    let d = Int(readI32(fp, base &+ 1)), s = Int(readI32(fp, base &+ 2)), count = Int(readI32(fp, base &+ 3))
    if _slowPath(d + count > length(a)) { return raise(st, .arrayOutOfBounds) }
    if _slowPath(s + count > segment.pointee.count) { return raise(st, .tableOutOfBounds) }
    memcpy(a + ObjectLayout.headerBytes + d * 8, segment.pointee.elements + s, count * 8)
    return dispatch(pc + 3, fp, m, ms, st, acc, facc)
}

// MARK: Field access

/// Stores the value in slot `slot` (two slots for a `v128`) as `kind`: `FieldKind.store` for
/// frame slots, repeated here so that it inlines into the handlers (see DESIGN.md on per-file
/// copies).
@inline(__always)
fileprivate func writeField(_ p: UnsafeMutableRawPointer, _ kind: FieldKind, _ fp: FP, _ slot: Int) {
    switch kind {
    case .i8: p.storeBytes(of: UInt8(truncatingIfNeeded: fp[slot]), as: UInt8.self)
    case .i16: p.storeBytes(of: UInt16(truncatingIfNeeded: fp[slot]), as: UInt16.self)
    case .i32: p.storeBytes(of: UInt32(truncatingIfNeeded: fp[slot]), as: UInt32.self)
    case .i64, .reference: p.storeBytes(of: fp[slot], as: UInt64.self)
    case .v128:
        p.storeBytes(of: fp[slot], as: UInt64.self)
        p.storeBytes(of: fp[slot &+ 1], toByteOffset: 8, as: UInt64.self)
    }
}
