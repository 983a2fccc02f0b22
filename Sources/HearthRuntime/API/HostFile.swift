#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HearthBinary

/// Whole files of the host's file system, read with the C library alone: the command-line tools
/// read modules through it without linking Foundation (which costs their start-up a few hundred
/// microseconds of initialization and conformance records).
public enum HostFile {
    /// The bytes of the file at `path`. Throws a `HearthError` (`io`) saying "no such file: PATH"
    /// when there is none, and "cannot read PATH: REASON" for any other failure.
    public static func contents(of path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, errno) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw failure(path, EISDIR) }
        // The size is a hint (a pipe or /proc file reports 0): read until end of file.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16))) }
            let n = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            count += n
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// The last component of `path`: the file name after its last `/` (all of `path` if it has
    /// none).
    public static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }

    /// Whether `path` names a directory (symbolic links followed): nil when nothing is there.
    public static func isDirectory(_ path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT == S_IFDIR
    }

    /// Writes all of `text` to the open host descriptor `descriptor` (1 for standard output, 2 for
    /// standard error) at once, bypassing any buffering; errors are ignored, as a failed write
    /// to a closed terminal is.
    public static func write(_ text: String, toDescriptor descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let n = systemWrite(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                done += n
            }
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> HearthError {
        code == ENOENT ? .io("no such file: \(path)") : .io("cannot read \(path): \(String(cString: strerror(code)))")
    }
}

/// The C library's `write`, named apart from `HostFile.write` (which would shadow it there).
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int { write(descriptor, bytes, count) }
