import HearthBinary

/// A guest's execution captured while it waits inside a host call: the value stack, the
/// control stack and which host call it is in, stored position-independently (functions by
/// their index in the instance, return points as code offsets), so that a fresh instance of the
/// same module, brought to the same memories, globals and tables (`InstanceSnapshot`), can
/// resume it with `Instance.resume`. The host call is made again on resume, in the new instance,
/// with the arguments the guest passed: a WASI `fd_read` on standard input then reads that
/// instance's input. This is how a WASI program becomes a pre-initialized function without its
/// cooperation (capture at its first read of standard input, resume once per request).
///
/// What cannot be captured is refused with `HearthError.snapshot("unsupported: ...")`: host frames
/// between Wasm frames (the host called back into Wasm), functions of other instances on the
/// stack, and frames of functions that may hold references (a reference is an address in this
/// process); capture is for linear-memory programs, which is what compilers of C, C++, Rust,
/// Go, Swift and .NET emit.
public struct SuspendedExecution: Equatable, Sendable {
    /// Where a control entry returns to.
    public enum ReturnPoint: Equatable, Sendable {
        /// Back to the host that called the export (the bottom entry).
        case host
        /// Into function `function`'s translated code, `offset` words from its start.
        case code(function: Int, offset: Int)
    }

    /// One call on the control stack, bottom first.
    public struct Entry: Equatable, Sendable {
        /// The caller's frame, as a slot offset from the bottom of the value stack.
        public var callerFrame: Int
        /// Where the suspended call resumes when the host call it stopped in returns.
        public var returnPoint: ReturnPoint
        /// Whether the caller's memory register held memory 0 (false: the empty dummy memory).
        public var callerUsesMemory0: Bool
        /// The called function, by index in the instance's function index space.
        public var callee: Int
    }

    /// The value stack from its bottom to the top of the host call's frame.
    public var slots: [UInt64]
    /// The control stack, bottom (the export the host called) first, the host call last.
    public var entries: [Entry]
    /// The host call's frame (its arguments), as a slot offset.
    public var hostFrame: Int
    /// The translator that produced the code the return points point into; a resume under
    /// another one is refused.
    public var translator: String

    /// This build's translator: a version bumped with any change of the translated form, and
    /// the distance between two handlers, which moves whenever handler code changes.
    public static let currentTranslator: String = {
        let distance = Int64(bitPattern: word(h_exit) &- word(h_return))
        return "translator 3; handler layout \(distance)"
    }()
}

extension Caller {
    /// From inside a host function: captures the execution that called it (see
    /// `SuspendedExecution`). The guest is left as it is; the host function then usually ends
    /// the run by throwing, and the caller of the export takes the instance's snapshot.
    public func suspendedExecution() throws -> SuspendedExecution {
        guard let instance else { throw HearthError.snapshot("unsupported: the host called this function directly") }
        return try instance.store.captureSuspension(of: instance.storage)
    }
}

extension Store {
    func captureSuspension(of storage: InstanceStorage) throws -> SuspendedExecution {
        let st = state
        let top = st.pointee.csp
        let base = st.pointee.cspBase
        guard top > base + 1, case .host = FunctionEntity.from(top.pointee.callee).kind else {
            throw HearthError.snapshot("unsupported: not inside a host call made by Wasm code")
        }
        var indexOf: [UnsafeMutablePointer<FunctionRecord>: Int] = [:]
        for (index, function) in storage.functions.enumerated() { indexOf[function.record] = index }
        let memory0 = storage.memories.first?.cell
        let stackBase = st.pointee.stackBase
        var entries: [SuspendedExecution.Entry] = []
        var entry = base + 1
        while entry <= top {
            guard let callee = indexOf[entry.pointee.callee] else {
                throw HearthError.snapshot("unsupported: a function of another instance is on the stack")
            }
            let returnPoint: SuspendedExecution.ReturnPoint
            if entry.pointee.returnPC == exitCode {
                guard entry == base + 1 else {
                    throw HearthError.snapshot("unsupported: a host function is on the stack below this host call")
                }
                returnPoint = .host
            } else {
                let caller = FunctionEntity.from((entry - 1).pointee.callee)
                guard case .wasm = caller.kind, let callerIndex = indexOf[caller.record] else {
                    throw HearthError.snapshot("unsupported: a host function is on the stack below this host call")
                }
                returnPoint = .code(function: callerIndex, offset: entry.pointee.returnPC - PC(caller.record.pointee.code))
            }
            let callerMemory = entry.pointee.callerMemory
            guard callerMemory == memory0 || callerMemory == emptyMemory.cell else {
                throw HearthError.snapshot("unsupported: a frame uses another instance's memory")
            }
            if entry < top, let problem = Self.referenceProblem(FunctionEntity.from(entry.pointee.callee), index: callee) {
                throw HearthError.snapshot(problem)
            }
            entries.append(.init(callerFrame: entry.pointee.callerFP - stackBase, returnPoint: returnPoint,
                                 callerUsesMemory0: callerMemory == memory0 && memory0 != nil, callee: callee))
            entry += 1
        }
        let host = FunctionEntity.from(top.pointee.callee)
        let frameTop = st.pointee.stackTop
        let hostFrame = frameTop - host.frameSlots - stackBase
        return SuspendedExecution(slots: Array(UnsafeBufferPointer(start: stackBase, count: frameTop - stackBase)),
                                  entries: entries, hostFrame: hostFrame, translator: SuspendedExecution.currentTranslator)
    }

    /// Why frames of `function` may hold a reference (then the stack cannot be moved to
    /// another process), or nil when they cannot: no reference-typed parameter, result or local,
    /// and no instruction that produces a reference.
    static func referenceProblem(_ function: FunctionEntity, index: Int) -> String? {
        guard case .wasm(let instanceRef, let definedIndex, _) = function.kind else { return nil }
        let problem = "unsupported: function \(index) may hold references on the stack"
        let type = function.type
        if (type.parameters + type.results).contains(where: \.isReference) { return problem }
        let storage = instanceRef.takeUnretainedValue()
        let module = storage.module.module
        let body = module.codes[definedIndex]
        if body.locals.contains(where: { $0.type.isReference }) { return problem }
        let globals = module.allGlobals
        func returnsReference(_ typeIndex: UInt32) -> Bool { module.functionType(typeIndex).results.contains(where: \.isReference) }
        var reader = CodeReader(bytes: module.bytes, range: body.code, features: storage.module.engine.configuration.features)
        while !reader.isAtEnd {
            guard let instruction = try? reader.read() else { return problem }
            switch instruction {
            case .refNull, .refFunc, .tableGet, .gc, .exception, .callRef, .returnCallRef, .brOnNull, .brOnNonNull:
                return problem
            case .typedSelect(let types) where types.contains(where: \.isReference):
                return problem
            case .globalGet(let g) where Int(g) < globals.count && globals[Int(g)].valueType.isReference:
                return problem
            case .call(let f), .returnCall(let f):
                if Int(f) < module.importedFunctionTypes.count + module.functions.count, returnsReference(module.functionTypeIndex(Int(f))) { return problem }
            case .callIndirect(let t, _), .returnCallIndirect(let t, _):
                if returnsReference(t) { return problem }
            case .block(let b), .loop(let b), .if(let b):
                switch b {
                case .value(let v) where v.isReference: return problem
                case .typeIndex(let t): if returnsReference(t) || module.functionType(t).parameters.contains(where: \.isReference) { return problem }
                default: break
                }
            default: break
            }
        }
        return nil
    }
}

extension Instance {
    /// Resumes `suspended` in this instance, which must be a fresh instance of the module it was
    /// captured in, already brought to the state captured with it (memories, globals, tables,
    /// WASI descriptors): the host call it was waiting in is made again (with this instance's
    /// host functions, so a WASI read sees this instance's input), then the guest runs on until
    /// the export the host originally called returns; its results are returned. Traps, and a
    /// WASI exit, are thrown as `invoke` throws them.
    public func resume(_ suspended: SuspendedExecution) throws -> [Value] {
        try store.resume(suspended, in: storage)
    }
}

extension Store {
    func resume(_ s: SuspendedExecution, in storage: InstanceStorage) throws -> [Value] {
        let st = state
        guard st.pointee.csp == st.pointee.cspBase else { throw HearthError.snapshot("cannot resume while the store runs code") }
        guard s.translator == SuspendedExecution.currentTranslator else {
            throw HearthError.snapshot("unsupported: the execution was suspended by another translator (\(s.translator)), "
                                + "this Hearth has \(SuspendedExecution.currentTranslator)")
        }
        let stackBase = st.pointee.stackBase
        guard let bottom = s.entries.first, let hostEntry = s.entries.last, s.entries.count >= 2,
              s.slots.count <= st.pointee.stackLimit - stackBase, st.pointee.cspBase + s.entries.count < st.pointee.cspLimit,
              s.hostFrame >= 0, s.hostFrame <= s.slots.count else {
            throw HearthError.snapshot("the suspended execution does not fit this store's stacks")
        }
        func record(_ index: Int) throws -> UnsafeMutablePointer<FunctionRecord> {
            guard index >= 0, index < storage.functions.count else { throw HearthError.snapshot("no function \(index) in this instance") }
            return storage.functions[index].record
        }
        let memory0 = storage.memories.first?.cell ?? emptyMemory.cell
        var pcs: [PC] = []
        for (position, entry) in s.entries.enumerated() {
            _ = try record(entry.callee)
            guard entry.callerFrame >= 0, entry.callerFrame <= s.slots.count else {
                throw HearthError.snapshot("the suspended execution has a frame outside its stack")
            }
            switch entry.returnPoint {
            case .host:
                guard position == 0 else { throw HearthError.snapshot("the suspended execution returns to the host mid-stack") }
                pcs.append(exitCode)
            case .code(let function, let offset):
                let caller = try record(function)
                guard case .wasm = FunctionEntity.from(caller).kind else { throw HearthError.snapshot("function \(function) is not Wasm code") }
                if caller.pointee.code == stubAddress(of: caller), !translateOnFirstCall(caller, st) {
                    let error = pendingError ?? HearthError.snapshot("function \(function) could not be translated")
                    pendingError = nil
                    throw error
                }
                let pc = PC(caller.pointee.code) + offset
                // The return point must lie just after a call instruction of the same shape.
                guard offset >= 4, pc[-4] == CallWords.direct || pc[-4] == CallWords.reference
                        || (offset >= 6 && pc[-6] == CallWords.indirect) || CallWords.isMovingCall(before: pc, offset: offset) else {
                    throw HearthError.snapshot("unsupported: function \(function) has no call at the suspended return point "
                                        + "(translated differently)")
                }
                pcs.append(pc)
            }
        }
        guard case .host = FunctionEntity.from(try record(hostEntry.callee)).kind else {
            throw HearthError.snapshot("the suspended execution is not in a host call")
        }
        s.slots.withUnsafeBufferPointer { stackBase.update(from: $0.baseAddress!, count: $0.count) }
        var entry = st.pointee.cspBase
        for (e, pc) in zip(s.entries, pcs) {
            entry += 1
            entry.initialize(to: ControlEntry(callerFP: stackBase + e.callerFrame, returnPC: pc,
                                              callerMemory: e.callerUsesMemory0 ? memory0 : emptyMemory.cell,
                                              callee: try record(e.callee)))
        }
        st.pointee.csp = entry
        st.pointee.trap = 0
        let savedTop = st.pointee.stackTop
        st.pointee.stackTop = stackBase + s.slots.count
        defer { st.pointee.stackTop = savedTop }
        let hostFP = stackBase + s.hostFrame
        if callHostFunction(entry.pointee.callee, hostFP, st) {
            st.pointee.csp = entry - 1
            run(entry.pointee.returnPC, entry.pointee.callerFP, entry.pointee.callerMemory, st)
        } else if let landing = continueUnwindingAfterHostCall(hostFP, st) {
            run(landing.pc, landing.fp, landing.memory, st)
        }
        let exportFunction = FunctionEntity.from(try record(bottom.callee))
        try finishRun(from: st.pointee.cspBase)
        return read(exportFunction.type.results, from: stackBase + bottom.callerFrame)
    }

    /// Where a function's untranslated stub lies (its code points there until translated).
    private func stubAddress(of record: UnsafeMutablePointer<FunctionRecord>) -> PC {
        UnsafeRawPointer(record).advanced(by: MemoryLayout<FunctionRecord>.offset(of: \.stubHandler)!)
            .assumingMemoryBound(to: UInt64.self)
    }
}

/// The first words of the call instructions a return point follows (`[h_call, ...]` and
/// `[h_callRef, ...]` take 4 words, `[h_callIndirect, ...]` 6, `[h_callMoving, ...]` and
/// `[h_callIndirectMoving, ...]` the number their last word says).
private enum CallWords {
    static let direct = word(h_call)
    static let reference = word(h_callRef)
    static let indirect = word(h_callIndirect)
    static let moving = word(h_callMoving)
    static let indirectMoving = word(h_callIndirectMoving)

    /// Whether the `offset` words before `pc` end with a moving call: `h_callMoving` (9 words at
    /// least: handler, two counts, one move, callee, argument base, memory, length) or
    /// `h_callIndirectMoving` (11: table, type and index instead of the callee).
    static func isMovingCall(before pc: PC, offset: Int) -> Bool {
        let length = Int(truncatingIfNeeded: pc[-1])
        guard length >= 9 && length <= offset else { return false }
        return pc[-length] == moving || (length >= 11 && pc[-length] == indirectMoving)
    }
}

// MARK: Serialized form

extension SuspendedExecution {
    private static let magic: [UInt8] = Array("HSUS".utf8)
    private static let version: UInt32 = 1

    /// A self-contained binary form (little-endian), for storing a pre-initialized function.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = Self.magic
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        u32(Int(Self.version))
        let text = Array(translator.utf8)
        u32(text.count)
        out += text
        u32(hostFrame)
        u32(slots.count)
        for slot in slots { u64(slot) }
        u32(entries.count)
        for entry in entries {
            u32(entry.callerFrame)
            u32(entry.callee)
            out.append(entry.callerUsesMemory0 ? 1 : 0)
            switch entry.returnPoint {
            case .host: out.append(0)
            case .code(let function, let offset): out.append(1); u32(function); u32(offset)
            }
        }
        return out
    }

    /// Reads the form `serialized()` writes; throws a `HearthError` (`snapshot`) for anything else.
    public init(serialized bytes: [UInt8]) throws {
        var position = 0
        func take(_ n: Int) throws -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - position else { throw HearthError.snapshot("corrupt suspended execution: truncated") }
            defer { position += n }
            return bytes[position..<position + n]
        }
        func u32() throws -> Int { Int(try take(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
        func u64() throws -> UInt64 { try take(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        func count(_ size: Int) throws -> Int {
            let n = try u32()
            guard n * size <= bytes.count - position else { throw HearthError.snapshot("corrupt suspended execution: count \(n)") }
            return n
        }
        guard Array(try take(4)) == Self.magic, try u32() == Int(Self.version) else {
            throw HearthError.snapshot("not a Hearth suspended execution (or another format version)")
        }
        translator = String(decoding: try take(try count(1)), as: UTF8.self)
        hostFrame = try u32()
        slots = try (0..<(try count(8))).map { _ in try u64() }
        entries = try (0..<(try count(10))).map { _ in
            let frame = try u32(), callee = try u32()
            let usesMemory0 = try take(1).first! == 1
            let kind = try take(1).first!
            let point: ReturnPoint
            switch kind {
            case 0: point = .host
            case 1: point = .code(function: try u32(), offset: try u32())
            default: throw HearthError.snapshot("corrupt suspended execution: return point kind \(kind)")
            }
            return Entry(callerFrame: frame, returnPoint: point, callerUsesMemory0: usesMemory0, callee: callee)
        }
        guard position == bytes.count else { throw HearthError.snapshot("corrupt suspended execution: trailing bytes") }
    }
}
