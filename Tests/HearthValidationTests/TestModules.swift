import HearthBinary
import HearthValidation

/// Hand-built modules for the validator tests: each test gives a function signature and body
/// (or whole sections) as bytes, and gets back the validator's verdict.
enum TestModules {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]

    static func leb(_ value: UInt32) -> [UInt8] { leb64(UInt64(value)) }

    static func leb64(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func section(_ id: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [id] + leb(UInt32(payload.count)) + payload
    }

    static func name(_ s: String) -> [UInt8] { leb(UInt32(s.utf8.count)) + Array(s.utf8) }

    /// A function type: `0x60`, parameters, results.
    static func type(_ parameters: [UInt8], _ results: [UInt8]) -> [UInt8] {
        [0x60] + leb(UInt32(parameters.count)) + parameters + leb(UInt32(results.count)) + results
    }

    /// One function of type `types[0]` with `code` (instructions, final `end` included);
    /// `before` goes between the type and function sections (imports), `after` between the
    /// function and code sections (tables ... data count), `trailing` after the code (data).
    static func function(params: [UInt8] = [], results: [UInt8] = [], locals: [UInt8] = [0x00],
                         code: [UInt8], extraTypes: [[UInt8]] = [],
                         before: [[UInt8]] = [], after: [[UInt8]] = [],
                         trailing: [[UInt8]] = []) -> [UInt8] {
        let types = [type(params, results)] + extraTypes
        let body = locals + code
        return header
            + section(1, leb(UInt32(types.count)) + types.flatMap { $0 })
            + before.flatMap { $0 }
            + section(3, [0x01, 0x00])
            + after.flatMap { $0 }
            + section(10, [0x01] + leb(UInt32(body.count)) + body)
            + trailing.flatMap { $0 }
    }

    /// The validation error message, or nil when the module is valid.
    static func verdict(_ bytes: [UInt8], features: FeatureSet = .wasm2) throws -> String? {
        let module = try ModuleDecoder.decode(bytes, features: features)
        do {
            try ModuleValidator.validate(module, features: features)
            return nil
        } catch {
            return error.message
        }
    }
}
