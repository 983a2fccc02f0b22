#!/usr/bin/env python3
"""Generates Sources/HearthBinary/SIMDOperator.swift from the opcode table below.

Every fixed-width SIMD instruction of WebAssembly 2.0 and of relaxed SIMD (0xFD prefix, u32
sub-opcode) with its text name, its immediate form and its typing, so the decoder, validator, text format and interpreter
share one table.
"""
import os

T = {'v': 'v128', 'i': 'i32', 'I': 'i64', 'f': 'f32', 'F': 'f64'}
ops = []  # (sub-opcode, name, form, params, results, extra)

def add(code, name, form, sig='', width=0, lanes=0):
    p, r = sig.split('>') if sig else ('', '')
    ops.append((code, name, form, [T[c] for c in p], [T[c] for c in r], width, lanes))

# Memory: (name, bytes accessed). Loads pop an address and push a v128.
for code, (name, width) in enumerate([
        ('v128.load', 16), ('v128.load8x8_s', 8), ('v128.load8x8_u', 8), ('v128.load16x4_s', 8),
        ('v128.load16x4_u', 8), ('v128.load32x2_s', 8), ('v128.load32x2_u', 8),
        ('v128.load8_splat', 1), ('v128.load16_splat', 2), ('v128.load32_splat', 4),
        ('v128.load64_splat', 8), ('v128.store', 16)]):
    add(code, name, 'memory', '', width)
add(0x0C, 'v128.const', 'constant', '>v')
add(0x0D, 'i8x16.shuffle', 'shuffle', 'vv>v')
add(0x0E, 'i8x16.swizzle', 'plain', 'vv>v')
for code, (name, s) in zip(range(0x0F, 0x15), [('i8x16', 'i'), ('i16x8', 'i'), ('i32x4', 'i'),
                                               ('i64x2', 'I'), ('f32x4', 'f'), ('f64x2', 'F')]):
    add(code, name + '.splat', 'plain', s + '>v')
code = 0x15
for shape, lanes, s, signed in [('i8x16', 16, 'i', True), ('i16x8', 8, 'i', True), ('i32x4', 4, 'i', False),
                                ('i64x2', 2, 'I', False), ('f32x4', 4, 'f', False), ('f64x2', 2, 'F', False)]:
    if signed:
        add(code, shape + '.extract_lane_s', 'lane', 'v>' + s, lanes=lanes); code += 1
        add(code, shape + '.extract_lane_u', 'lane', 'v>' + s, lanes=lanes); code += 1
    else:
        add(code, shape + '.extract_lane', 'lane', 'v>' + s, lanes=lanes); code += 1
    add(code, shape + '.replace_lane', 'lane', 'v' + s + '>v', lanes=lanes); code += 1
assert code == 0x23
for shape in ('i8x16', 'i16x8', 'i32x4'):
    for n in 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u'.split():
        add(code, f'{shape}.{n}', 'plain', 'vv>v'); code += 1
for shape in ('f32x4', 'f64x2'):
    for n in 'eq ne lt gt le ge'.split():
        add(code, f'{shape}.{n}', 'plain', 'vv>v'); code += 1
assert code == 0x4D
add(0x4D, 'v128.not', 'plain', 'v>v')
for code, n in zip(range(0x4E, 0x52), ('and', 'andnot', 'or', 'xor')):
    add(code, 'v128.' + n, 'plain', 'vv>v')
add(0x52, 'v128.bitselect', 'plain', 'vvv>v')
add(0x53, 'v128.any_true', 'plain', 'v>i')
for i, w in enumerate((1, 2, 4, 8)):
    add(0x54 + i, f'v128.load{w * 8}_lane', 'memoryLane', '', w, 16 // w)
    add(0x58 + i, f'v128.store{w * 8}_lane', 'memoryLane', '', w, 16 // w)
add(0x5C, 'v128.load32_zero', 'memory', '', 4)
add(0x5D, 'v128.load64_zero', 'memory', '', 8)
unary, binary = 'v>v', 'vv>v'
table = {
    0x5E: ('f32x4.demote_f64x2_zero', unary), 0x5F: ('f64x2.promote_low_f32x4', unary),
    0x60: ('i8x16.abs', unary), 0x61: ('i8x16.neg', unary), 0x62: ('i8x16.popcnt', unary),
    0x63: ('i8x16.all_true', 'v>i'), 0x64: ('i8x16.bitmask', 'v>i'),
    0x65: ('i8x16.narrow_i16x8_s', binary), 0x66: ('i8x16.narrow_i16x8_u', binary),
    0x67: ('f32x4.ceil', unary), 0x68: ('f32x4.floor', unary), 0x69: ('f32x4.trunc', unary),
    0x6A: ('f32x4.nearest', unary),
    0x6B: ('i8x16.shl', 'vi>v'), 0x6C: ('i8x16.shr_s', 'vi>v'), 0x6D: ('i8x16.shr_u', 'vi>v'),
    0x6E: ('i8x16.add', binary), 0x6F: ('i8x16.add_sat_s', binary), 0x70: ('i8x16.add_sat_u', binary),
    0x71: ('i8x16.sub', binary), 0x72: ('i8x16.sub_sat_s', binary), 0x73: ('i8x16.sub_sat_u', binary),
    0x74: ('f64x2.ceil', unary), 0x75: ('f64x2.floor', unary),
    0x76: ('i8x16.min_s', binary), 0x77: ('i8x16.min_u', binary), 0x78: ('i8x16.max_s', binary),
    0x79: ('i8x16.max_u', binary), 0x7A: ('f64x2.trunc', unary), 0x7B: ('i8x16.avgr_u', binary),
    0x7C: ('i16x8.extadd_pairwise_i8x16_s', unary), 0x7D: ('i16x8.extadd_pairwise_i8x16_u', unary),
    0x7E: ('i32x4.extadd_pairwise_i16x8_s', unary), 0x7F: ('i32x4.extadd_pairwise_i16x8_u', unary),
    0x80: ('i16x8.abs', unary), 0x81: ('i16x8.neg', unary), 0x82: ('i16x8.q15mulr_sat_s', binary),
    0x83: ('i16x8.all_true', 'v>i'), 0x84: ('i16x8.bitmask', 'v>i'),
    0x85: ('i16x8.narrow_i32x4_s', binary), 0x86: ('i16x8.narrow_i32x4_u', binary),
    0x87: ('i16x8.extend_low_i8x16_s', unary), 0x88: ('i16x8.extend_high_i8x16_s', unary),
    0x89: ('i16x8.extend_low_i8x16_u', unary), 0x8A: ('i16x8.extend_high_i8x16_u', unary),
    0x8B: ('i16x8.shl', 'vi>v'), 0x8C: ('i16x8.shr_s', 'vi>v'), 0x8D: ('i16x8.shr_u', 'vi>v'),
    0x8E: ('i16x8.add', binary), 0x8F: ('i16x8.add_sat_s', binary), 0x90: ('i16x8.add_sat_u', binary),
    0x91: ('i16x8.sub', binary), 0x92: ('i16x8.sub_sat_s', binary), 0x93: ('i16x8.sub_sat_u', binary),
    0x94: ('f64x2.nearest', unary), 0x95: ('i16x8.mul', binary),
    0x96: ('i16x8.min_s', binary), 0x97: ('i16x8.min_u', binary), 0x98: ('i16x8.max_s', binary),
    0x99: ('i16x8.max_u', binary), 0x9B: ('i16x8.avgr_u', binary),
    0x9C: ('i16x8.extmul_low_i8x16_s', binary), 0x9D: ('i16x8.extmul_high_i8x16_s', binary),
    0x9E: ('i16x8.extmul_low_i8x16_u', binary), 0x9F: ('i16x8.extmul_high_i8x16_u', binary),
    0xA0: ('i32x4.abs', unary), 0xA1: ('i32x4.neg', unary),
    0xA3: ('i32x4.all_true', 'v>i'), 0xA4: ('i32x4.bitmask', 'v>i'),
    0xA7: ('i32x4.extend_low_i16x8_s', unary), 0xA8: ('i32x4.extend_high_i16x8_s', unary),
    0xA9: ('i32x4.extend_low_i16x8_u', unary), 0xAA: ('i32x4.extend_high_i16x8_u', unary),
    0xAB: ('i32x4.shl', 'vi>v'), 0xAC: ('i32x4.shr_s', 'vi>v'), 0xAD: ('i32x4.shr_u', 'vi>v'),
    0xAE: ('i32x4.add', binary), 0xB1: ('i32x4.sub', binary), 0xB5: ('i32x4.mul', binary),
    0xB6: ('i32x4.min_s', binary), 0xB7: ('i32x4.min_u', binary), 0xB8: ('i32x4.max_s', binary),
    0xB9: ('i32x4.max_u', binary), 0xBA: ('i32x4.dot_i16x8_s', binary),
    0xBC: ('i32x4.extmul_low_i16x8_s', binary), 0xBD: ('i32x4.extmul_high_i16x8_s', binary),
    0xBE: ('i32x4.extmul_low_i16x8_u', binary), 0xBF: ('i32x4.extmul_high_i16x8_u', binary),
    0xC0: ('i64x2.abs', unary), 0xC1: ('i64x2.neg', unary),
    0xC3: ('i64x2.all_true', 'v>i'), 0xC4: ('i64x2.bitmask', 'v>i'),
    0xC7: ('i64x2.extend_low_i32x4_s', unary), 0xC8: ('i64x2.extend_high_i32x4_s', unary),
    0xC9: ('i64x2.extend_low_i32x4_u', unary), 0xCA: ('i64x2.extend_high_i32x4_u', unary),
    0xCB: ('i64x2.shl', 'vi>v'), 0xCC: ('i64x2.shr_s', 'vi>v'), 0xCD: ('i64x2.shr_u', 'vi>v'),
    0xCE: ('i64x2.add', binary), 0xD1: ('i64x2.sub', binary), 0xD5: ('i64x2.mul', binary),
    0xD6: ('i64x2.eq', binary), 0xD7: ('i64x2.ne', binary), 0xD8: ('i64x2.lt_s', binary),
    0xD9: ('i64x2.gt_s', binary), 0xDA: ('i64x2.le_s', binary), 0xDB: ('i64x2.ge_s', binary),
    0xDC: ('i64x2.extmul_low_i32x4_s', binary), 0xDD: ('i64x2.extmul_high_i32x4_s', binary),
    0xDE: ('i64x2.extmul_low_i32x4_u', binary), 0xDF: ('i64x2.extmul_high_i32x4_u', binary),
}
for base, shape in ((0xE0, 'f32x4'), (0xEC, 'f64x2')):
    table[base] = (shape + '.abs', unary)
    table[base + 1] = (shape + '.neg', unary)
    table[base + 3] = (shape + '.sqrt', unary)
    for i, n in enumerate('add sub mul div min max pmin pmax'.split()):
        table[base + 4 + i] = (f'{shape}.{n}', binary)
for code, n in zip(range(0xF8, 0x100), [
        'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u', 'f32x4.convert_i32x4_s',
        'f32x4.convert_i32x4_u', 'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero',
        'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u']):
    table[code] = (n, unary)
for code in sorted(table):
    add(code, table[code][0], 'plain', table[code][1])
assert len({o[0] for o in ops}) == len(ops) == 236, len(ops)
# Relaxed SIMD (Wasm 3.0): sub-opcodes 0x100 and up, decoded under the 3.0 rules only.
ternary = 'vvv>v'
for code, (name, sig) in zip(range(0x100, 0x114), [
        ('i8x16.relaxed_swizzle', binary), ('i32x4.relaxed_trunc_f32x4_s', unary),
        ('i32x4.relaxed_trunc_f32x4_u', unary), ('i32x4.relaxed_trunc_f64x2_s_zero', unary),
        ('i32x4.relaxed_trunc_f64x2_u_zero', unary), ('f32x4.relaxed_madd', ternary),
        ('f32x4.relaxed_nmadd', ternary), ('f64x2.relaxed_madd', ternary), ('f64x2.relaxed_nmadd', ternary),
        ('i8x16.relaxed_laneselect', ternary), ('i16x8.relaxed_laneselect', ternary),
        ('i32x4.relaxed_laneselect', ternary), ('i64x2.relaxed_laneselect', ternary),
        ('f32x4.relaxed_min', binary), ('f32x4.relaxed_max', binary), ('f64x2.relaxed_min', binary),
        ('f64x2.relaxed_max', binary), ('i16x8.relaxed_q15mulr_s', binary),
        ('i16x8.relaxed_dot_i8x16_i7x16_s', binary), ('i32x4.relaxed_dot_i8x16_i7x16_add_s', ternary)]):
    add(code, name, 'plain', sig)
assert len(ops) == 256
assert len({o[1] for o in ops}) == len(ops)

def case_name(n):
    t, rest = n.split('.', 1)
    parts = [t] + rest.split('_')
    return parts[0] + ''.join(p[:1].upper() + p[1:] for p in parts[1:])

out = []
out.append('// Generated by Sources/HearthBinary/Generators/gen-simd-ops.py: edit the script, not this file.\n')
out.append('/// A fixed-width SIMD instruction of Wasm 2.0, or of relaxed SIMD (Wasm 3.0, `isRelaxed`). The raw')
out.append('/// value is the sub-opcode after the 0xFD prefix; `form` says which immediates follow it (see')
out.append('/// `SIMDInstruction`).')
out.append('public enum SIMDOperator: UInt32, CaseIterable, Sendable {')
for c, n, *_ in ops:
    out.append(f'    case {case_name(n)} = 0x{c:02X}')
out.append('')
def switch(prop, doc, typ, groups, default=None):
    out.append('')
    out.append(f'    /// {doc}')
    out.append(f'    public var {prop}: {typ} {{')
    out.append('        switch self {')
    for value, names in groups.items():
        out.append('        case ' + ', '.join('.' + x for x in names) + ':')
        out.append(f'            return {value}')
    if default is not None:
        out.append('        default:')
        out.append(f'            return {default}')
    out.append('        }')
    out.append('    }')
out.pop()
def group(key, filt=lambda o: True):
    g = {}
    for o in ops:
        if filt(o): g.setdefault(key(o), []).append(case_name(o[1]))
    return g
out.append('')
out.append('    /// The name in the text format, e.g. `i32x4.add`.')
out.append('    public var textName: String {')
out.append('        switch self {')
for c, n, *_ in ops:
    out.append(f'        case .{case_name(n)}: return "{n}"')
out.append('        }')
out.append('    }')
switch('form', 'Which immediates follow the sub-opcode.', 'SIMDForm', group(lambda o: '.' + o[2]))
switch('signature', 'Operand types (first operand first) and result types, for the `plain`, `lane`, `constant`\n'
       '    /// and `shuffle` forms; memory forms depend on the address type (see `SIMDInstruction`).',
       '(operands: [ValueType], results: [ValueType])',
       group(lambda o: '([' + ', '.join('.' + t for t in o[3]) + '], [' + ', '.join('.' + t for t in o[4]) + '])',
             lambda o: o[2] not in ('memory', 'memoryLane')), default='([], [])')
switch('memoryWidth', 'Bytes a memory form reads or writes (its natural alignment); 0 for other forms.', 'Int',
       group(lambda o: str(o[5]), lambda o: o[5] > 0), default='0')
switch('laneCount', 'How many lanes a lane immediate indexes (the shape of `lane` and `memoryLane` forms); 0 otherwise.',
       'UInt8', group(lambda o: str(o[6]), lambda o: o[6] > 0), default='0')
out.append('')
out.append('    /// Whether a memory form writes memory (`v128.store`, `v128.storeN_lane`).')
out.append('    public var isStore: Bool { self == .v128Store || (form == .memoryLane && rawValue >= 0x58) }')
out.append('')
out.append('    /// Relaxed SIMD (Wasm 3.0): results may differ between platforms within what the spec allows.')
out.append('    public var isRelaxed: Bool { rawValue >= 0x100 }')
out.append('')
out.append('    /// The largest alignment a memory form allows, as a power of two.')
out.append('    public var maxAlignLog2: UInt32 { UInt32(memoryWidth.trailingZeroBitCount) }')
out.append('')
out.append('    /// Looks an operator up by its text-format name.')
out.append('    public static let byTextName: [String: SIMDOperator] = {')
out.append('        var table: [String: SIMDOperator] = [:]')
out.append('        for op in SIMDOperator.allCases { table[op.textName] = op }')
out.append('        return table')
out.append('    }()')
out.append('}')
path = os.path.join(os.path.dirname(__file__), '..', 'SIMDOperator.swift')
open(path, 'w').write('\n'.join(out) + '\n')
