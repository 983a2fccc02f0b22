@testable import HearthText

/// Lower-case hex of a byte array, for compact exact assertions.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

/// The message of the `HearthError` thrown by `body`, or nil if nothing was thrown.
func textErrorMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as HearthError {
        return error.message
    } catch {
        return "\(error)"
    }
}

/// Encodes a module and strips the trailing `name` section, when there is one, so tests can
/// compare against hand-checked encodings of the other sections.
func encodeWithoutNames(_ text: String) throws -> String {
    let bytes = try WAT.parseModule(text)
    let full = hex(bytes)
    if let range = full.range(of: "046e616d65") { // the custom section's name "name"
        // Drop from the section id (00) and its one-byte size before the name.
        let cut = full.index(range.lowerBound, offsetBy: -4)
        return String(full[..<cut])
    }
    return full
}
