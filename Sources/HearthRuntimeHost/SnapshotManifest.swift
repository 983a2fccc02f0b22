import HearthObjects
import HearthRuntime

/// Which image page backs each page of a memory: runs of consecutive memory pages taken from
/// consecutive pages of one image file. Pages no extent covers are zero.
struct MemoryLayout: Codable, Equatable {
    /// A run of `count` memory pages from `page` on, backed by image `image` (an index into the
    /// manifest's `images`) from its page `imagePage` on.
    struct Extent: Codable, Equatable {
        var page: Int
        var count: Int
        var image: Int
        var imagePage: Int
    }

    var pageCount: Int
    var extents: [Extent]

    static let empty = MemoryLayout(pageCount: 0, extents: [])

    /// Per page: (image, page in image), or nil for a zero page.
    func pageMap() -> [(image: Int, imagePage: Int)?] {
        var map = [(image: Int, imagePage: Int)?](repeating: nil, count: pageCount)
        for extent in extents {
            for i in 0..<extent.count where extent.page + i < pageCount {
                map[extent.page + i] = (extent.image, extent.imagePage + i)
            }
        }
        return map
    }

    /// The extents of a page map: each maximal run of pages from consecutive pages of one image.
    init(pageCount: Int, pageMap map: [(image: Int, imagePage: Int)?]) {
        self.pageCount = pageCount
        var extents: [Extent] = []
        for (page, entry) in map.enumerated() {
            guard let entry else { continue }
            if var last = extents.last, last.image == entry.image, last.page + last.count == page,
               last.imagePage + last.count == entry.imagePage {
                last.count += 1
                extents[extents.count - 1] = last
            } else {
                extents.append(Extent(page: page, count: 1, image: entry.image, imagePage: entry.imagePage))
            }
        }
        self.extents = extents
    }

    init(pageCount: Int, extents: [Extent]) {
        self.pageCount = pageCount
        self.extents = extents
    }
}

/// An image file a manifest uses: its path relative to the namespace folder, and the identity
/// (header checksum, hex) it had when the manifest was written, so a replaced file is refused.
struct ImageReference: Codable, Equatable {
    var path: String
    var identity: String
}

/// What a warm snapshot's memories are made of; the database row that holds it also holds the
/// instance's other state (globals, tables, WASI descriptors, loaded functions).
struct SnapshotManifest: Codable, Equatable {
    /// The snapshot format: bumped when what is stored changes meaning, so a later Hearth
    /// refuses (and cold-starts over) a snapshot it would misread.
    static let currentFormat = 2

    var format: Int
    var images: [ImageReference]
    /// One layout per memory, in index-space order.
    var memories: [MemoryLayout]

    /// Image files the layouts use, by index (unused ones are dropped by `compacted()`).
    func compacted() -> SnapshotManifest {
        var used: [Int: Int] = [:]
        var images: [ImageReference] = []
        var memories = self.memories
        for m in memories.indices {
            for e in memories[m].extents.indices {
                let old = memories[m].extents[e].image
                if used[old] == nil {
                    used[old] = images.count
                    images.append(self.images[old])
                }
                memories[m].extents[e].image = used[old]!
            }
        }
        return SnapshotManifest(format: format, images: images, memories: memories)
    }

    var extentCount: Int { memories.reduce(0) { $0 + $1.extents.count } }
}
