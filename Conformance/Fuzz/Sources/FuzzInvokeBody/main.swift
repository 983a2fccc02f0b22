import FuzzDriver
import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost

/// Decodes the input as an invoke request body (`{functionId, entryPoint, args, assemblyData}`)
/// as the object host does, then its base64 assembly.
func fuzzInvokeBody(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let body = Data(FuzzDriver.bytes(data, count))
    if let request = try? JSONDecoder().decode(InvokeRequest.self, from: body) {
        _ = try? request.assemblyBytes()
    }
    return 0
}

fuzz { fuzzInvokeBody($0, $1) }
