/// An import/export name compared by its UTF-8 bytes.
///
/// Swift's `String` equality is canonical equivalence ("\u{C5}" == "A\u{30A}"), but Wasm names
/// are byte strings: two exports whose names differ only in normalization are different exports.
struct ExactName: Hashable {
    let bytes: [UInt8]
    init(_ name: String) { bytes = Array(name.utf8) }

    /// The bytes hashed as one block (an array of bytes feeds the hasher a byte at a time).
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
