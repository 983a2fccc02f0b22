import FuzzDriver
import HearthRuntime
import HearthWASI

/// Decodes the input as a serialized instance snapshot and as a WASI state: both are read back
/// from disk on wake, where a damaged file must be an error, never a crash.
func fuzzSnapshot(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, count)
    _ = try? InstanceSnapshot(serialized: bytes)
    _ = try? WASIState(encoded: bytes)
    return 0
}

fuzz { fuzzSnapshot($0, $1) }
