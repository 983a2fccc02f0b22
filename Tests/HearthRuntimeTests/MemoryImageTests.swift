import Foundation
import HearthRuntime
import Testing

/// A module whose memory a test fills and reads back page by page.
private let pagesModule = """
(module
  (memory (export "memory") 4 16)
  (data (i32.const 0) "data segment")
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
"""

private func temporaryPath(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-images-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}

/// Writes pages `pages` of memory 0 of `harness` as an image.
private func writeImage(_ harness: Harness, pages: [Int], to path: String) throws -> MemoryImageFile {
    let tags = pages.map { MemoryImageFile.PageTag(memory: 0, page: $0) }
    return try MemoryImageFile.write(to: path, tags: tags, metadata: Array("meta".utf8)) {
        harness.instance.pageAddress(memory: 0, page: tags[$0].page)
    }
}

@Test func anImageMappedIntoAFreshInstanceReadsBackTheSameBytesAndCopiesOnWrite() throws {
    let original = try Harness(pagesModule)
    _ = try original.call("store", i32(65536 * 2 + 8), i32(0x1234_5678))
    _ = try original.call("store", i32(65536 * 3 + 65532), i32(-1))
    let path = try temporaryPath("a.img")
    let image = try writeImage(original, pages: [0, 2, 3], to: path)
    #expect(image.pageCount == 3)
    #expect(image.byteCount == 65536 * 4)  // one header page, three data pages

    let copy = try Harness(pagesModule)
    _ = try copy.call("store", i32(65536 + 4), i32(77))  // page 1 is not in the image: it must read zero
    let reopened = try MemoryImageFile.open(path)
    #expect(reopened.metadata == Array("meta".utf8))
    #expect(reopened.tags == image.tags)
    try copy.instance.mapPages(ofMemory: 0, from: 0, count: 4, source: .zero)
    try copy.instance.mapPages(ofMemory: 0, from: 0, count: 1, source: .image(reopened, page: 0))
    try copy.instance.mapPages(ofMemory: 0, from: 2, count: 2, source: .image(reopened, page: 1))
    #expect(try copy.call("load", i32(0)) == original.call("load", i32(0)))  // the data segment's bytes
    #expect(try copy.call("load", i32(65536 + 4)) == [i32(0)])
    #expect(try copy.call("load", i32(65536 * 2 + 8)) == [i32(0x1234_5678)])
    #expect(try copy.call("load", i32(65536 * 3 + 65532)) == [i32(-1)])

    // A write lands in the instance's private copy of the page, never in the file.
    _ = try copy.call("store", i32(65536 * 2 + 8), i32(5))
    #expect(try copy.call("load", i32(65536 * 2 + 8)) == [i32(5)])
    try MemoryImageFile.open(path).verify()
    let third = try Harness(pagesModule)
    try third.instance.mapPages(ofMemory: 0, from: 2, count: 1, source: .image(reopened, page: 1))
    #expect(try third.call("load", i32(65536 * 2 + 8)) == [i32(0x1234_5678)])
    // The memory still grows past the mapped pages.
    #expect(try copy.call("grow", i32(2)) == [i32(4)])
    _ = try copy.call("store", i32(65536 * 5), i32(9))
    #expect(try copy.call("load", i32(65536 * 5)) == [i32(9)])
}

@Test func modifiedPagesAreThePagesWrittenSinceTheImageWasMapped() throws {
    let original = try Harness(pagesModule)
    for page in 0..<4 { _ = try original.call("store", i32(Int32(65536 * page + 100)), i32(Int32(page + 1))) }
    let image = try writeImage(original, pages: [0, 1, 2, 3], to: try temporaryPath("b.img"))
    let copy = try Harness(pagesModule)
    for page in 0..<4 {
        try copy.instance.mapPages(ofMemory: 0, from: page, count: 1, source: .image(image, page: page))
    }
    #expect(copy.instance.modifiedPages(ofMemory: 0) == [])
    // Reading maps the file's pages; only writes make private copies.
    for page in 0..<4 { _ = try copy.call("load", i32(Int32(65536 * page + 100))) }
    #expect(copy.instance.modifiedPages(ofMemory: 0) == [])
    _ = try copy.call("store", i32(65536 * 2 + 40000), i32(1))
    _ = try copy.call("grow", i32(1))
    _ = try copy.call("store", i32(65536 * 4 + 8), i32(1))
    #expect(copy.instance.modifiedPages(ofMemory: 0) == [2, 4])
}

@Test func openingAnImageChecksItsStructureAndVerifyReadsEveryPage() throws {
    let harness = try Harness(pagesModule)
    _ = try harness.call("store", i32(65536 + 12), i32(42))
    let path = try temporaryPath("c.img")
    let image = try writeImage(harness, pages: [0, 1], to: path)
    try MemoryImageFile.open(path).verify()

    // A flipped byte in a page: opening (header only) passes, the scrub finds it.
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(image.byteCount - 65536 + 12))
    try handle.write(contentsOf: Data([0x2b]))
    let flipped = try MemoryImageFile.open(path)
    #expect(performing: {
        try flipped.verify()
    }, throws: refusal(.snapshot, "snapshot image \(path) is corrupt: page 1 does not match its checksum"))

    // A truncated file, a flipped header byte and a file that is no image are refused on open.
    try handle.truncate(atOffset: UInt64(image.byteCount - 4096))
    try handle.close()
    #expect(performing: {
        try MemoryImageFile.open(path)
    }, throws: refusal(.snapshot, "snapshot image \(path) is truncated or its header is corrupt (\(image.byteCount - 4096) bytes)"))
    let second = try writeImage(harness, pages: [1], to: try temporaryPath("d.img"))
    let header = try FileHandle(forUpdating: URL(fileURLWithPath: second.path))
    try header.seek(toOffset: 44)  // inside the first page entry
    try header.write(contentsOf: Data([0xff]))
    try header.close()
    #expect(performing: {
        try MemoryImageFile.open(second.path)
    }, throws: refusal(.snapshot, "snapshot image \(second.path) has a corrupt header (checksum mismatch)"))
    let foreign = try temporaryPath("e.img")
    try Data(repeating: 7, count: 65536).write(to: URL(fileURLWithPath: foreign))
    #expect(performing: { try MemoryImageFile.open(foreign) }, throws: refusal(.snapshot, "\(foreign) is not a snapshot image"))
    #expect { try MemoryImageFile.open(foreign + ".missing") } throws: { ($0 as? HearthError)?.kind == .snapshot }
}

@Test func aFailedImageWriteLeavesNoFileBehind() throws {
    let harness = try Harness(pagesModule)
    let folder = try temporaryPath("f")
    // The folder does not exist: the temporary file cannot be created.
    #expect { try writeImage(harness, pages: [0], to: folder + "/missing/g.img") } throws: { ($0 as? HearthError)?.kind == .snapshot }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let image = try writeImage(harness, pages: [0], to: folder + "/g.img")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["g.img"])
    #expect(try image.link(as: folder + "/h.img") == true)
    #expect(try image.link(as: folder + "/h.img") == false)  // exists: left as it is
    #expect(try MemoryImageFile.open(folder + "/h.img").identity == image.identity)
}

@Test func aSnapshotWithoutMemoryContentsRecordsSizesAndRestoresThemEmpty() throws {
    let original = try Harness(pagesModule)
    _ = try original.call("grow", i32(3))
    _ = try original.call("store", i32(100), i32(1))
    let snapshot = try original.instance.snapshot(memoryContents: false)
    #expect(snapshot.memories.map(\.pageCount) == [7])
    #expect(snapshot.storedMemoryBytes == 0)
    let copy = try Harness(pagesModule)
    try copy.instance.restore(snapshot, memoryContents: false)
    #expect(copy.instance.memoryPageCount(0) == 7)
    #expect(performing: {
        try copy.instance.mapPages(ofMemory: 0, from: 6, count: 2, source: .zero)
    }, throws: refusal(.snapshot, "pages 6..<8 are outside memory 0"))
}

@Test func pageChecksumsDifferForPagesThatDifferInOneBit() {
    var page = [UInt8](repeating: 0, count: 65536)
    let zero = PageChecksum.of(page)
    page[40000] = 1
    let one = PageChecksum.of(page)
    page[40000] = 2
    #expect(Set([zero, one, PageChecksum.of(page)]).count == 3)
    #expect(PageChecksum.of(page) == PageChecksum.of(page))
}

@Test func aChecksumOfAnyLengthIsTheChecksumOfItsZeroPaddedBytes() {
    let bytes = (0..<77).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    #expect(PageChecksum.of(bytes) == PageChecksum.of(bytes + [UInt8](repeating: 0, count: 19)))
    #expect(PageChecksum.of(Array(bytes[..<5])) != PageChecksum.of(Array(bytes[..<6])))
}
