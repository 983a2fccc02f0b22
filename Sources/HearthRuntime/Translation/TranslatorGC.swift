import HearthBinary

/// Translation of the GC instructions. Allocating instructions take their operands in home
/// slots and write the new reference to the first of them (or to the top's home slot), never
/// retargeted to a local: the handler scans the value stack up to those slots for roots, so
/// everything live must sit below them.
extension Translator {
    mutating func translate(_ gc: GCInstruction) {
        switch gc {
        case .structNew(let x):
            let type = context.runtimeTypes[Int(x)]
            let fields = fieldLayouts(type)
            let slots = fields.reduce(0) { $0 + $1.kind.slots }
            let base = popHome(fields.count)
            emit(h_structNew, pointer(type), base, UInt64(slots))
            push(.home)
        case .structNewDefault(let x):
            emit(h_structNewDefault, slot(height), pointer(context.runtimeTypes[Int(x)]))
            push(.home)
        case .structGet(let x, let field, let extend):
            let layout = fieldLayouts(context.runtimeTypes[Int(x)])[Int(field)]
            let reference = popSlot()
            emitResult(Self.getHandler(layout.kind, extend, array: false), [reference, UInt64(layout.offset)],
                       width: layout.kind.slots)
        case .structSet(let x, let field):
            let layout = fieldLayouts(context.runtimeTypes[Int(x)])[Int(field)]
            let value = popSlot(), reference = popSlot()
            emit(h_structSet, reference, value, UInt64(layout.offset), UInt64(layout.kind.rawValue))
        case .arrayNew(let x):
            let type = context.runtimeTypes[Int(x)]
            let base = popHome(2)
            emit(h_arrayNew, pointer(type), base, UInt64(elementKind(type).slots))
            push(.home)
        case .arrayNewDefault(let x):
            emit(h_arrayNewDefault, pointer(context.runtimeTypes[Int(x)]), popHome(1))
            push(.home)
        case .arrayNewFixed(let x, let count):
            let type = context.runtimeTypes[Int(x)]
            let base = popHome(Int(count))
            emit(h_arrayNewFixed, pointer(type), base, UInt64(count), UInt64(elementKind(type).slots))
            push(.home)
        case .arrayNewData(let x, let data):
            emit(h_arrayNewData, pointer(context.runtimeTypes[Int(x)]), popHome(2), pointer(context.data[Int(data)]))
            push(.home)
        case .arrayNewElem(let x, let element):
            emit(h_arrayNewElem, pointer(context.runtimeTypes[Int(x)]), popHome(2), pointer(context.elements[Int(element)]))
            push(.home)
        case .arrayGet(let x, let extend):
            let kind = elementKind(context.runtimeTypes[Int(x)])
            let index = popSlot(), reference = popSlot()
            emitResult(Self.getHandler(kind, extend, array: true), [reference, index], width: kind.slots)
        case .arraySet(let x):
            let kind = elementKind(context.runtimeTypes[Int(x)])
            let value = popSlot(), index = popSlot(), reference = popSlot()
            emit(h_arraySet, reference, index, value, UInt64(kind.rawValue))
        case .arrayLen:
            emitResult(h_arrayLen, popSlot())
        case .arrayFill(let x):
            emit(h_arrayFill, popHome(4), UInt64(elementKind(context.runtimeTypes[Int(x)]).slots))
        case .arrayCopy:
            emit(h_arrayCopy, popHome(5))
        case .arrayInitData(_, let data):
            emit(h_arrayInitData, popHome(4), pointer(context.data[Int(data)]))
        case .arrayInitElem(_, let element):
            emit(h_arrayInitElem, popHome(4), pointer(context.elements[Int(element)]))
        case .refTest(let type):
            let (target, id) = castTarget(type)
            emitResult(h_refTest, popSlot(), target, id)
        case .refCast(let type):
            let (target, id) = castTarget(type)
            let operand = operands[height - 1]
            let reference = popSlot()
            emit(h_refCast, reference, target, id)
            push(operand.isLocal ? operand : .home)
        case .brOnCast(let depth, _, let to, let fail):
            let (target, id) = castTarget(to)
            let operand = operands[height - 1]
            let reference = popSlot()
            push(operand.isLocal ? operand : .home)
            branch(depth: depth, condition: .cast(reference, target: target, id: id, whenFails: fail))
        case .anyConvertExtern, .externConvertAny:
            // Host references are the same word in both hierarchies (see ReferenceHandlers).
            break
        case .refI31: emitResult(h_refI31, popSlot())
        case .i31Get(let signed): emitResult(signed ? h_i31GetS : h_i31GetU, popSlot())
        }
    }

    mutating func translateRefEq() {
        let rhs = popSlot(), lhs = popSlot()
        emitResult(h_refEq, lhs, rhs)
    }

    private func fieldLayouts(_ type: UnsafeMutablePointer<RuntimeType>) -> UnsafeBufferPointer<FieldLayout> {
        UnsafeBufferPointer(start: type.pointee.fields, count: type.pointee.fieldCount)
    }

    private func elementKind(_ type: UnsafeMutablePointer<RuntimeType>) -> FieldKind { type.pointee.fields[0].kind }

    private static func getHandler(_ kind: FieldKind, _ extend: GCInstruction.Extension, array: Bool) -> Handler {
        switch (kind, extend == .signed) {
        case (.i8, true): return array ? h_arrayGetI8S : h_structGetI8S
        case (.i8, false): return array ? h_arrayGetI8U : h_structGetI8U
        case (.i16, true): return array ? h_arrayGetI16S : h_structGetI16S
        case (.i16, false): return array ? h_arrayGetI16U : h_structGetI16U
        case (.i32, _): return array ? h_arrayGet32 : h_structGet32
        case (.i64, _), (.reference, _): return array ? h_arrayGet64 : h_structGet64
        case (.v128, _): return array ? h_arrayGet128 : h_structGet128
        }
    }

    /// The `CastKind` word (with the nullable bit) and type id a cast to `type` tests.
    private func castTarget(_ type: ReferenceType) -> (UInt64, UInt64) {
        let nullable = type.isNullable ? CastKind.nullableBit : 0
        let kind: CastKind
        var id: UInt64 = 0
        switch type.heapType {
        case .any: kind = .any
        case .eq: kind = .eq
        case .i31: kind = .i31
        case .structure: kind = .structure
        case .array: kind = .array
        case .none: kind = .none
        case .function: kind = .function
        case .noFunction: kind = .noFunction
        case .extern: kind = .extern
        case .noExtern: kind = .noExtern
        case .exception: kind = .exception
        case .noException: kind = .noException
        case .concrete(let index):
            kind = context.runtimeTypes[Int(index)].pointee.kind == .function ? .definedFunction : .definedObject
            id = UInt64(context.typeIDs[Int(index)])
        }
        return (kind.rawValue | nullable, id)
    }
}
