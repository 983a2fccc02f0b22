import FuzzDriver
import HearthBridge

/// Parses the input as JSON and prints it back; what parses must print to text that parses to
/// the same value.
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, count)
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let again = try? JSONValue.parse(Array(value.text.utf8))
    precondition(again == value, "JSON did not round-trip: \(value.text)")
    return 0
}

fuzz { fuzzJSON($0, $1) }
