import Foundation

/// libFuzzer's driver (`LLVMFuzzerRunDriver`, in the fuzzer runtime `-sanitize=fuzzer` links):
/// it parses libFuzzer's command line and calls `test` with each input.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer on `test` with this process's arguments and exits with its status. Each fuzz
/// target's main calls this: SwiftPM gives executables an entry point of their own, so the
/// fuzzer runtime's `main` is not the one that runs.
public func fuzz(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, test))
}

/// The input as an array (empty for libFuzzer's null pointer of an empty input).
public func bytes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let data, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: count))
}
