import FuzzDriver
import HearthRuntime
import HearthText

/// Parses the input as a WAT module and as a WAST script (and encodes the script's modules).
func fuzzText(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, count)
    _ = try? WAT.parseModule(bytes: bytes)
    if let script = try? WastScript.parse(String(decoding: bytes, as: UTF8.self)) {
        _ = script.commands.count
    }
    return 0
}

fuzz { fuzzText($0, $1) }
