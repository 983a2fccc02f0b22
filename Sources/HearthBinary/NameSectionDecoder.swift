/// Decodes the `name` custom section (module name, function names, local names).
///
/// The section is only debugging information, so any defect yields `nil` instead of an error:
/// a module must never fail to load because of its names.
enum NameSectionDecoder {
    static func decode(bytes: [UInt8], range: Range<Int>) -> NameSection? {
        do {
            return try decodeSubsections(bytes: bytes, range: range)
        } catch {
            return nil
        }
    }

    private static func decodeSubsections(bytes: [UInt8], range: Range<Int>) throws(HearthError) -> NameSection {
        var reader = ByteReader(bytes: bytes, position: range.lowerBound, limit: range.upperBound)
        var names = NameSection()
        while !reader.isAtEnd {
            let id = try reader.byte()
            let size = try reader.length()
            var sub = ByteReader(bytes: bytes, position: reader.position, limit: reader.position + size)
            switch id {
            case 0: names.moduleName = try sub.name()
            case 1: names.functionNames = try nameMap(&sub)
            case 2:
                let count = try sub.count()
                for _ in 0..<count {
                    let function = try sub.u32()
                    names.localNames[function] = try nameMap(&sub)
                }
            default:
                // Subsections from later extensions (labels, types, ...): skipped.
                sub.position = sub.limit
            }
            guard sub.isAtEnd else { throw HearthError.decoding("section size mismatch", at: sub.position) }
            reader.position = sub.limit
        }
        return names
    }

    private static func nameMap(_ reader: inout ByteReader) throws(HearthError) -> [UInt32: String] {
        let count = try reader.count()
        var map: [UInt32: String] = [:]
        map.reserveCapacity(reader.reservation(for: count))
        for _ in 0..<count {
            let index = try reader.u32()
            map[index] = try reader.name()
        }
        return map
    }
}
