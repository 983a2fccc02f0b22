import HearthBinary

/// The one-instruction code a call from the host returns to: it leaves the handler chain.
/// Written once by its initializer and only read afterwards, by every thread (a pointer cannot
/// say so to the compiler).
nonisolated(unsafe) let exitCode: PC = {
    let code = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    code.initialize(to: word(h_exit))
    return PC(code)
}()

extension Store {
    /// Runs `entity` from the host: arguments go to a fresh frame above every live one, a
    /// control entry makes the callee return to `exitCode`, and the handler chain runs until
    /// it returns (normally or by a trap).
    func invoke(_ entity: FunctionEntity, _ arguments: [Value]) throws -> [Value] {
        let type = entity.type
        guard arguments.count == type.parameters.count,
              zip(arguments, type.parameters).allSatisfy({ matches($0.0, $0.1, of: entity) }) else {
            throw HearthError.trap(.hostError, "argument type mismatch: expected \(type)")
        }
        let st = state
        let fp = st.pointee.stackTop
        let savedCSP = st.pointee.csp
        let slotsNeeded = entity.frameSlots
        if fp + slotsNeeded > st.pointee.stackLimit || savedCSP + 1 >= st.pointee.cspLimit {
            throw HearthError.trap(.callStackExhausted)
        }
        write(arguments, to: fp)
        let entry = savedCSP + 1
        entry.initialize(to: ControlEntry(callerFP: fp, returnPC: exitCode, callerMemory: emptyMemory.cell,
                                          callee: entity.record))
        st.pointee.csp = entry
        st.pointee.trap = 0
        run(entity.record.pointee.code, fp, entity.record.pointee.memory, st)
        try finishRun(from: savedCSP)
        return read(type.results, from: fp)
    }

    /// After the handler chain entered above control entry `savedCSP` returned: throws its
    /// trap, if it trapped, with the backtrace of the entries it left, and resets the control
    /// stack to `savedCSP`.
    func finishRun(from savedCSP: UnsafeMutablePointer<ControlEntry>) throws {
        let st = state
        guard st.pointee.trap != 0 else { return }
        let kind = TrapKind(rawValue: st.pointee.trap)!
        let trace = backtrace(from: savedCSP + 1, to: st.pointee.csp)
        st.pointee.trap = 0
        st.pointee.csp = savedCSP
        let error = kind == .hostError ? pendingError : nil
        pendingError = nil
        if var hearthError = error as? HearthError {
            // A trap from a nested call keeps its place, gaining the backtrace here if it has
            // none. Another kind (a WASI program's `proc_exit`) is the outcome itself, as
            // wasmtime's `I32Exit` is, not a trap's `underlying`; from a nested call too.
            if hearthError.kind == .trap, hearthError.backtrace.isEmpty { hearthError.backtrace = trace }
            throw hearthError
        }
        if let error { throw HearthError.trap(.hostError, "\(error)", backtrace: trace, underlying: error) }
        if kind == .uncaughtException { throw uncaughtExceptionTrap(backtrace: trace) }
        throw HearthError.trap(kind, backtrace: trace)
    }

    /// Whether the host's `value` fits parameter type `type` of `entity` (whose concrete heap
    /// types are indices into its module's types).
    private func matches(_ value: Value, _ type: ValueType, of entity: FunctionEntity) -> Bool {
        switch (value, type) {
        case (.i32, .i32), (.i64, .i64), (.f32, .f32), (.f64, .f64), (.v128, .v128): return true
        case (.ref(.null), .ref(let t)): return t.isNullable
        case (.ref(.function(let f)), .ref(let t)):
            guard f.store === self else { return false }
            if t.heapType == .function { return true }
            guard case .concrete(let index) = t.heapType, case .wasm(let instance, _, _) = entity.kind else { return false }
            let ids = instance.takeUnretainedValue().module.typeIDs
            return engine.types.isSubtype(f.entity.typeID, ids[Int(index)])
        case (.ref(.extern), .ref(let t)): return t.heapType == .extern || t.heapType == .any
        case (.ref(.i31), .ref(let t)): return [.any, .eq, .i31].contains(t.heapType)
        case (.ref(.object(let o)), .ref(let t)):
            guard o.store === self else { return false }
            switch t.heapType {
            case .any, .eq: return true
            case .structure: return !o.isArray
            case .array: return o.isArray
            case .concrete(let index):
                guard case .wasm(let instance, _, _) = entity.kind else { return false }
                return engine.types.isSubtype(o.runtimeTypeID, instance.takeUnretainedValue().module.typeIDs[Int(index)])
            default: return false
            }
        default: return false
        }
    }

    /// The functions of the control entries `first...last`, innermost first.
    private func backtrace(from first: UnsafeMutablePointer<ControlEntry>, to last: UnsafeMutablePointer<ControlEntry>) -> [BacktraceFrame] {
        guard last >= first else { return [] }
        var frames: [BacktraceFrame] = []
        var entry = last
        while entry >= first && frames.count < 64 {
            let entity = FunctionEntity.from(entry.pointee.callee)
            if case .wasm(let instance, _, let index) = entity.kind {
                let names = instance.takeUnretainedValue().module.module.names
                frames.append(BacktraceFrame(functionIndex: index, name: names?.functionNames[UInt32(index)]))
            } else {
                frames.append(BacktraceFrame(functionIndex: -1, name: "<host>"))
            }
            entry -= 1
        }
        return frames
    }
}

/// Cold path of `h_translate`: translates the function and installs its code in the record.
@inline(never)
func translateOnFirstCall(_ record: UnsafeMutablePointer<FunctionRecord>, _ st: ST) -> Bool {
    let store = Store.from(st)
    let entity = FunctionEntity.from(record)
    guard case .wasm(let instanceRef, let definedIndex, _) = entity.kind else { return false }
    do {
        var translator = Translator(context: instanceRef.takeUnretainedValue().context, definedIndex: definedIndex)
        let words = try translator.translate()
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count)
        buffer.initialize(from: words, count: words.count)
        store.codeBuffers.append(buffer)
        record.pointee.code = PC(buffer)
        if !translator.handlers.table.isEmpty { store.exceptions.handlerTables[record] = translator.handlers.table }
        return true
    } catch {
        store.pendingError = error
        return false
    }
}

/// Cold path of `h_hostCall`: reads the arguments from the frame, calls the Swift closure
/// (which may re-enter Wasm above this frame) and writes the results back to slots 0...
@inline(never)
func callHostFunction(_ record: UnsafeMutablePointer<FunctionRecord>, _ fp: FP, _ st: ST) -> Bool {
    // The store and the entity outlive the call (the running code keeps them): borrowed, not
    // retained, on the path every guest->host call takes.
    Unmanaged<Store>.fromOpaque(st.pointee.store!)._withUnsafeGuaranteedRef { store in
        Unmanaged<FunctionEntity>.fromOpaque(record.pointee.entity)._withUnsafeGuaranteedRef { entity in
            callHostFunction(entity, store, fp, st)
        }
    }
}

@inline(__always)
private func callHostFunction(_ entity: FunctionEntity, _ store: Store, _ fp: FP, _ st: ST) -> Bool {
    guard let host = entity.host else { return false }
    return host._withUnsafeGuaranteedRef { callHostFunction($0, entity, store, fp, st) }
}

@inline(__always)
private func callHostFunction(_ definition: HostDefinition, _ entity: FunctionEntity, _ store: Store, _ fp: FP,
                              _ st: ST) -> Bool {
    let frameTop = fp + entity.frameSlots
    if frameTop > st.pointee.stackLimit {
        raise(st, .callStackExhausted)
        return false
    }
    let caller = store.caller(below: st.pointee.csp)
    let savedTop = st.pointee.stackTop
    st.pointee.stackTop = frameTop
    defer { st.pointee.stackTop = savedTop }
    do {
        if definition.takesFrame {
            // The arguments are read and the results written in place: nothing to convert.
            try definition.frameBody(caller, HostCallFrame(slots: fp))
        } else {
            try callWithValues(definition.valuesBody, caller, entity.type, fp, store)
        }
        return true
    } catch {
        if store.adoptUncaughtException(error, st) { return false }
        store.pendingError = error
        raise(st, .hostError)
        return false
    }
}

/// A host function that takes and gives `Value`s: the arguments are read from the frame into
/// an array and the results, checked against the type, written back to slots 0...
@inline(__always)
private func callWithValues(_ body: (borrowing Caller, [Value]) throws -> [Value], _ caller: borrowing Caller, _ type: FunctionType,
                            _ fp: FP, _ store: Store) throws {
    // Straight loops, not `Store.read`/`write`: this is the guest->host call path.
    var arguments: [Value] = []
    arguments.reserveCapacity(type.parameters.count)
    var slot = 0
    for parameter in type.parameters {
        if parameter == .v128 {
            arguments.append(.v128(V128(low: fp[slot], high: fp[slot + 1])))
            slot += 2
        } else {
            arguments.append(store.value(of: fp[slot], type: parameter))
            slot += 1
        }
    }
    let results = try body(caller, arguments)
    guard results.count == type.results.count else {
        throw HearthError.trap(.hostError, "host function returned \(results.count) values, expected \(type.results.count)")
    }
    slot = 0
    for (result, expected) in zip(results, type.results) {
        // A vector where a scalar is expected would write past the result slots.
        if case .v128(let v) = result {
            guard expected == .v128 else { throw HearthError.trap(.hostError, "host function returned v128, expected \(expected)") }
            fp[slot] = v.low
            fp[slot + 1] = v.high
            slot += 2
        } else {
            guard expected != .v128 else { throw HearthError.trap(.hostError, "host function returned \(result.type), expected v128") }
            fp[slot] = try store.checkedWord(of: result, as: expected)
            slot += 1
        }
    }
}

extension Store {
    /// The Wasm function that called the host function whose control entry is `entry`.
    func caller(below entry: UnsafeMutablePointer<ControlEntry>) -> Caller {
        guard entry.pointee.returnPC != exitCode, entry - 1 > state.pointee.cspBase else { return Caller() }
        // Borrowed, not retained: the calling function lives as long as its store.
        let instanceRef = Unmanaged<FunctionEntity>.fromOpaque((entry - 1).pointee.callee.pointee.entity)
            ._withUnsafeGuaranteedRef { callerEntity -> Unmanaged<InstanceStorage>? in
                guard case .wasm(let instanceRef, _, _) = callerEntity.kind else { return nil }
                return instanceRef
            }
        guard let instanceRef else { return Caller() }
        return Caller(store: self, storage: instanceRef.takeUnretainedValue())
    }
}
