#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A guest path resolved inside the sandbox: the host directory that holds the last component,
/// and that component's name, ready for a `*at` call that does not follow symlinks.
///
/// The intermediate directories are held open until the value is released, so the final
/// operation works on exactly the directory that was checked (no check-then-use race through a
/// swapped intermediate symlink).
final class ResolvedPath {
    /// Host directory descriptor containing `name`.
    let parent: Int32
    /// The last component ("." when the path names the starting directory itself); carries the
    /// guest's trailing "/" so the host reports directory-only errors (`ENOTDIR`) the POSIX way.
    let name: String
    private let owned: [Int32]

    init(parent: Int32, name: String, owned: [Int32]) {
        self.parent = parent
        self.name = name
        self.owned = owned
    }

    deinit { for fd in owned { hostClose(fd) } }
}

/// Resolves guest paths component by component relative to an open directory, following
/// symlinks itself (never letting the host kernel follow one), so nothing outside the starting
/// directory's preopen can be reached.
///
/// A trailing slash is passed on to the final host call (so the host reports `ENOTDIR` and
/// friends the POSIX way) only after a symlink in that last position was expanded here; the
/// host could only follow a symlink there if another host process swapped one in between.
///
/// Refused: absolute paths and absolute symlink targets, `..` above the starting directory
/// (all `ENOTCAPABLE`), more than `maxSymlinks` symlink expansions (`ELOOP`).
struct PathResolver {
    static let maxSymlinks = 32

    /// - Parameter followFinal: expand a symlink in the last component too (`symlink_follow`).
    ///   A trailing slash always expands it, as POSIX requires.
    static func resolve(_ path: String, from base: Int32, followFinal: Bool) throws -> ResolvedPath {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { throw WASIErrno.noent }
        guard bytes.first != UInt8(ascii: "/") else { throw WASIErrno.notcapable }
        var trailingSlash = bytes.last == UInt8(ascii: "/")
        // Pending components, last one first, so expansions push in front cheaply.
        var pending = components(of: path).reversed() as [String]
        var stack: [Int32] = [] // directories opened below `base`
        var expansions = 0
        func top() -> Int32 { stack.last ?? base }
        func release() { for fd in stack { hostClose(fd) } }

        do {
            if pending.isEmpty { pending = ["."] } // "/"-only paths were refused; "./" lands here
            while let component = pending.popLast() {
                let isLast = pending.isEmpty
                switch component {
                case ".":
                    if isLast { return ResolvedPath(parent: top(), name: trailingSlash ? "./" : ".", owned: stack) }
                    continue
                case "..":
                    guard let closing = stack.popLast() else { throw WASIErrno.notcapable }
                    hostClose(closing)
                    if isLast { return ResolvedPath(parent: top(), name: trailingSlash ? "./" : ".", owned: stack) }
                    continue
                default:
                    break
                }
                // A missing last component is fine here (it may be about to be created); the
                // final operation reports it.
                let mayFollow = !isLast || followFinal || trailingSlash
                if mayFollow, let target = isLast ? (try? hostReadlink(top(), component)) ?? nil
                                                  : try hostReadlink(top(), component) {
                    expansions += 1
                    guard expansions <= maxSymlinks else { throw WASIErrno.loop }
                    guard !target.isEmpty else { throw WASIErrno.noent }
                    guard target.first != UInt8(ascii: "/") else { throw WASIErrno.notcapable }
                    let targetPath = String(decoding: target, as: UTF8.self)
                    if isLast && targetPath.hasSuffix("/") { trailingSlash = true }
                    let expanded = components(of: targetPath)
                    pending.append(contentsOf: (expanded.isEmpty ? ["."] : expanded).reversed())
                    continue
                }
                if isLast {
                    return ResolvedPath(parent: top(), name: trailingSlash ? component + "/" : component, owned: stack)
                }
                // O_NOFOLLOW: if the component became a symlink since the readlink check, fail
                // rather than follow it.
                let fd = openat(top(), component, hostOPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if fd < 0 { throw WASIErrno.last }
                stack.append(fd)
            }
        } catch {
            release()
            throw error
        }
        // Unreachable: the loop returns at the last component.
        release()
        throw WASIErrno.noent
    }

    private static func components(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
