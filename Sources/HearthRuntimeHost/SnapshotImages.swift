import Foundation
import HearthObjects
import HearthRuntime

/// The memory images of one object's warm snapshots, and the mapping of its live instance.
///
/// A snapshot's memories are image files (`MemoryImageFile`) mapped copy-on-write, so a wake
/// costs page-table work, not a read or a copy. Files live in the object's folder
/// (`<namespace>/<id>.images/`), except a runtime's first image right after `_initialize`, which
/// is also linked into `<namespace>/_hearth_images/<runtime hash>.img`: every new object of that
/// runtime wakes from it instead of running `_initialize`, sharing its pages on disk and in the
/// page cache.
///
/// A save is incremental: the kernel says which pages were written since the live memory was
/// mapped (`modifiedPages`), only those go into a new image, and they are then mapped back from
/// it, so the next save again sees only what changes after it. When the layers pile up (too many
/// extents or files) a save writes everything into one image instead.
///
/// Crash consistency: an image is synced and renamed into place before the manifest that names
/// it is written, and that manifest commits with the turn; a file is deleted only when neither
/// the committed manifest nor the one being written uses it. A crash leaves at worst unused
/// files, which the next save or wake deletes.
final class SnapshotImages {
    /// Saves whose manifest would have more extents than this, or more image files than
    /// `maxImages`, write one full image instead: each extent is a kernel mapping on wake.
    static let maxExtents = 256
    static let maxImages = 8
    static let sharedFolderName = "_hearth_images"

    let namespaceFolder: URL
    /// The object's image folder, relative to the namespace folder.
    let objectFolder: String
    /// The manifest the live instance's memories are mapped from; nil while they are mapped
    /// from nothing (a cold start), so that the next save writes every page.
    private(set) var live: SnapshotManifest?
    /// The open image files of `live`, by relative path.
    private var files: [String: MemoryImageFile] = [:]

    init(namespaceFolder: URL, objectID: ObjectID) {
        self.namespaceFolder = namespaceFolder
        objectFolder = "\(objectID.hex).images"
    }

    private func absolute(_ relative: String) -> String { namespaceFolder.appendingPathComponent(relative).path }

    static func pristinePath(runtimeHash: String) -> String { "\(sharedFolderName)/\(runtimeHash).img" }

    // MARK: Waking

    /// Opens the images of `manifest`, checking each one's structure and identity (no page is
    /// read). Throws a `HearthError` (`snapshot`) saying which file is missing, truncated or replaced.
    func open(_ manifest: SnapshotManifest) throws -> [MemoryImageFile] {
        guard manifest.format == SnapshotManifest.currentFormat else {
            throw HearthError.snapshot("snapshot format \(manifest.format) is not this Hearth's \(SnapshotManifest.currentFormat)")
        }
        return try manifest.images.map { reference in
            let file = try MemoryImageFile.open(absolute(reference.path))
            guard String(file.identity, radix: 16) == reference.identity else {
                throw HearthError.snapshot("snapshot image \(reference.path) is not the one the snapshot was saved with")
            }
            for extent in manifest.memories.flatMap(\.extents) where extent.image < 0 || extent.image >= manifest.images.count {
                throw HearthError.snapshot("snapshot manifest names image \(extent.image) of \(manifest.images.count)")
            }
            return file
        }
    }

    /// Maps `manifest`'s memories into `instance` (whose memories were grown to the saved sizes,
    /// their contents left to this) and makes it the live manifest.
    func map(_ manifest: SnapshotManifest, files opened: [MemoryImageFile], into instance: Instance) throws {
        guard manifest.memories.count == instance.memoryCount else {
            throw HearthError.snapshot("snapshot has \(manifest.memories.count) memories, the instance \(instance.memoryCount)")
        }
        for (index, layout) in manifest.memories.enumerated() {
            // The fresh instance's data segments are replaced by zero pages, then the extents.
            try instance.mapPages(ofMemory: index, from: 0, count: layout.pageCount, source: .zero)
            for extent in layout.extents {
                let file = opened[extent.image]
                for i in 0..<extent.count where file.tags[extent.imagePage + i] != .init(memory: index, page: extent.page + i) {
                    throw HearthError.snapshot("snapshot image \(file.path) does not hold page \(extent.page + i) of memory \(index)")
                }
                try instance.mapPages(ofMemory: index, from: extent.page, count: extent.count,
                                      source: .image(file, page: extent.imagePage))
            }
        }
        live = manifest
        files = Dictionary(zip(manifest.images.map(\.path), opened), uniquingKeysWith: { a, _ in a })
    }

    /// The runtime's shared first image, if one was saved: its manifest, file, and the
    /// instance state stored with it.
    func pristine(runtimeHash: String) throws -> (manifest: SnapshotManifest, file: MemoryImageFile, state: PristineState)? {
        let path = Self.pristinePath(runtimeHash: runtimeHash)
        guard FileManager.default.fileExists(atPath: absolute(path)) else { return nil }
        let file = try MemoryImageFile.open(absolute(path))
        let state = try PristineState(encoded: file.metadata)
        var maps = state.instance.memories.map { [(image: Int, imagePage: Int)?](repeating: nil, count: $0.pageCount) }
        for (k, tag) in file.tags.enumerated() {
            guard tag.memory < maps.count, tag.page < maps[tag.memory].count else {
                throw HearthError.snapshot("snapshot image \(path) holds a page outside the runtime's memories")
            }
            maps[tag.memory][tag.page] = (0, k)
        }
        let manifest = SnapshotManifest(format: SnapshotManifest.currentFormat,
                                        images: [ImageReference(path: path, identity: String(file.identity, radix: 16))],
                                        memories: zip(state.instance.memories, maps).map { MemoryLayout(pageCount: $0.pageCount, pageMap: $1) })
        return (manifest, file, state)
    }

    /// Forgets the live mapping (the instance was replaced by a fresh one): the next save
    /// writes every page.
    func forgetLive() {
        live = nil
        files = [:]
    }

    // MARK: Saving

    /// What a save wrote.
    struct Saved {
        var manifest: SnapshotManifest
        /// Bytes of the new image file (0 when no page changed).
        var bytesWritten: Int
        var full: Bool
    }

    /// Writes the pages of `instance` that changed since the live manifest into a new image and
    /// returns the manifest of the whole state; every page is written when nothing is mapped
    /// yet, or when layering would grow too deep. With `pristine`, the image also carries that
    /// state and becomes the runtime's shared first image (unless one exists already).
    func save(_ instance: Instance, pristine: (runtimeHash: String, state: PristineState)? = nil) throws -> Saved {
        var saved = try write(instance, full: live == nil || pristine != nil, pristine: pristine)
        if saved.manifest.extentCount > Self.maxExtents || saved.manifest.images.count > Self.maxImages {
            saved = try write(instance, full: true, pristine: nil)
        }
        return saved
    }

    private func write(_ instance: Instance, full: Bool, pristine: (runtimeHash: String, state: PristineState)?) throws -> Saved {
        let base = full ? nil : live
        var images = base?.images ?? []
        var maps: [[(image: Int, imagePage: Int)?]] = []
        var tags: [MemoryImageFile.PageTag] = []
        var zeroed: [MemoryImageFile.PageTag] = []
        for index in 0..<instance.memoryCount {
            let pages = instance.memoryPageCount(index)
            var map = base.flatMap { index < $0.memories.count ? $0.memories[index].pageMap() : nil } ?? []
            map += [(image: Int, imagePage: Int)?](repeating: nil, count: max(0, pages - map.count))
            let candidates = full ? Array(0..<pages) : (instance.modifiedPages(ofMemory: index) ?? Array(0..<pages))
            for page in candidates {
                if instance.isZeroPage(memory: index, page: page) {
                    zeroed.append(.init(memory: index, page: page))
                    map[page] = nil
                } else {
                    tags.append(.init(memory: index, page: page))
                }
            }
            maps.append(map)
        }
        var file: MemoryImageFile?
        if !tags.isEmpty || pristine != nil {
            try FileManager.default.createDirectory(atPath: absolute(objectFolder), withIntermediateDirectories: true)
            let path = "\(objectFolder)/\(String(UInt64.random(in: 1...UInt64.max), radix: 16)).img"
            let written = try MemoryImageFile.write(to: absolute(path), tags: tags, metadata: pristine?.state.encoded ?? []) {
                instance.pageAddress(memory: tags[$0].memory, page: tags[$0].page)
            }
            for (k, tag) in tags.enumerated() { maps[tag.memory][tag.page] = (images.count, k) }
            images.append(ImageReference(path: path, identity: String(written.identity, radix: 16)))
            files[path] = written
            file = written
        }
        let manifest = SnapshotManifest(format: SnapshotManifest.currentFormat, images: images,
                                        memories: maps.map { MemoryLayout(pageCount: $0.count, pageMap: $0) }).compacted()
        // The memory now equals the manifest; mapping the written pages back from the image (and
        // zero pages as fresh ones) drops the private copies, so the next save starts clean.
        do {
            try remap(instance, full: full, tags: tags, zeroed: zeroed, file: file)
        } catch {
            // A failed fixed mapping may have left a range unmapped: the memory is not to be trusted.
            throw RemapFailed(reason: "\(error)")
        }
        live = manifest
        files = files.filter { path, _ in manifest.images.contains { $0.path == path } }
        if let pristine, let file {
            let shared = absolute(SnapshotImages.sharedFolderName)
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            _ = try file.link(as: absolute(Self.pristinePath(runtimeHash: pristine.runtimeHash)))
        }
        return Saved(manifest: manifest, bytesWritten: file?.byteCount ?? 0, full: full)
    }

    private func remap(_ instance: Instance, full: Bool, tags: [MemoryImageFile.PageTag], zeroed: [MemoryImageFile.PageTag],
                       file: MemoryImageFile?) throws {
        if full {
            for index in 0..<instance.memoryCount {
                try instance.mapPages(ofMemory: index, from: 0, count: instance.memoryPageCount(index), source: .zero)
            }
        } else {
            for run in MemoryImageFile.PageTag.runs(zeroed) {
                try instance.mapPages(ofMemory: run.memory, from: run.page, count: run.count, source: .zero)
            }
        }
        guard let file else { return }
        var k = 0
        for run in MemoryImageFile.PageTag.runs(tags) {
            try instance.mapPages(ofMemory: run.memory, from: run.page, count: run.count, source: .image(file, page: k))
            k += run.count
        }
    }

    // MARK: Housekeeping

    /// Deletes the files of the object's folder that none of `manifests` (nor the live one)
    /// uses: layers superseded by a full save, and leftovers of a crash. Never touches shared
    /// images.
    func collectGarbage(keeping manifests: [SnapshotManifest]) {
        let folder = absolute(objectFolder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let kept = Set((manifests + [live].compactMap { $0 }).flatMap { $0.images.map(\.path) })
        for name in names where !kept.contains("\(objectFolder)/\(name)") {
            try? FileManager.default.removeItem(atPath: "\(folder)/\(name)")
        }
    }

    /// Bytes of the object's own image files (shared images not counted).
    var ownBytes: Int {
        let folder = absolute(objectFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")[.size] as? Int) ?? 0)
        }
    }

    /// Reads every page of every image of `manifest` against its checksum (the scrub).
    func verify(_ manifest: SnapshotManifest) throws {
        for file in try open(manifest) { try file.verify() }
    }

    /// Deletes the images of `manifest`, and the runtime's shared first image, that fail their
    /// scrub, so no later wake maps them (a shared image is a hard link to an object's first
    /// image: a bad page in one is a bad page in both).
    func deleteDamagedImages(of manifest: SnapshotManifest, runtimeHash: String) {
        let paths = manifest.images.map(\.path) + [Self.pristinePath(runtimeHash: runtimeHash)]
        for path in Set(paths) where FileManager.default.fileExists(atPath: absolute(path)) {
            if (try? MemoryImageFile.open(absolute(path)).verify()) == nil { try? FileManager.default.removeItem(atPath: absolute(path)) }
        }
    }

    /// Deletes the object's image folder (the object was deleted).
    static func deleteImages(namespaceFolder: URL, objectID: ObjectID) {
        try? FileManager.default.removeItem(at: namespaceFolder.appendingPathComponent("\(objectID.hex).images"))
    }
}

/// Mapping saved pages back into the live memory failed part-way: the instance must be replaced.
struct RemapFailed: Error, CustomStringConvertible {
    var reason: String
    var description: String { "the saved pages could not be mapped back: \(reason)" }
}

/// The instance state stored inside a runtime's shared first image: what a new object needs
/// besides the pages to resume it (globals, tables, memory sizes, WASI descriptors).
struct PristineState {
    var instance: InstanceSnapshot
    var wasi: [UInt8]

    var encoded: [UInt8] {
        let state = instance.serialized()
        return Self.length(state.count) + state + Self.length(wasi.count) + wasi
    }

    init(instance: InstanceSnapshot, wasi: [UInt8]) {
        self.instance = instance
        self.wasi = wasi
    }

    init(encoded bytes: [UInt8]) throws {
        var position = 0
        func part() throws -> [UInt8] {
            guard bytes.count - position >= 4 else { throw HearthError.snapshot("corrupt runtime snapshot state") }
            let n = bytes[position..<position + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            position += 4
            guard bytes.count - position >= n else { throw HearthError.snapshot("corrupt runtime snapshot state") }
            defer { position += n }
            return Array(bytes[position..<position + n])
        }
        instance = try InstanceSnapshot(serialized: try part())
        wasi = try part()
    }

    private static func length(_ n: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
}
