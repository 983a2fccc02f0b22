import Foundation
import HearthBridge
import HearthObjects
import HearthRuntimeHost
import HearthRuntime
import HearthWASI

// `SnapshotTimings HEAP.wasm... [--dotnet basic.dotnet.wasm]`: what warm snapshots cost, printed
// as markdown tables for `snapshots/run.sh`. Each HEAP.wasm is the test runtime built with a
// heap of N MiB filled by `_initialize` (`Tests/Guests/build.sh heap`); every figure is a median
// of 9 unless it happens once per object (the first save).

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func milliseconds(_ s: Double) -> String { String(format: "%.2f ms", s * 1e3) }
func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1048576) }

/// Resident memory of this process (`/proc/self/statm`).
func residentBytes() -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
    let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Allocated bytes of the files under `paths` (holes cost nothing), each file counted once
/// however many names (hard links) it has.
func allocatedBytes(_ paths: [String]) -> Int {
    var seen = Set<UInt64>()
    var total = 0
    for path in paths {
        for name in (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [] {
            var status = stat()
            guard stat("\(path)/\(name)", &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                  seen.insert(UInt64(status.st_ino)).inserted else { continue }
            total += Int(status.st_blocks) * 512
        }
    }
    return total
}

func expect(_ response: InvokeResponse, _ value: JSONValue, _ what: String) {
    guard response.success, response.result == value else {
        FileHandle.standardError.write("\(what): unexpected \(response)\n".data(using: .utf8)!)
        exit(1)
    }
}

let assembly = Array("""
(fn check () (= (heap-sum) (heap-expected)))
(fn scribble (spans seed) (heap-write spans seed))
(fn greet (name) (concat "Hello, " name "!"))
""".utf8)

var arguments = Array(CommandLine.arguments.dropFirst())
/// Takes `--flag VALUE` out of the arguments.
@MainActor func option(_ flag: String) -> String? {
    guard let at = arguments.firstIndex(of: flag), at + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(at...at + 1) }
    return arguments[at + 1]
}
let dotnet = option("--dotnet")
let greet = option("--greet")
let quickJS = option("--qjs")

print("| heap | cold start + first save | first save writes | save after new code (16 spans rewritten) | it writes | wake + invoke | RSS growth by the wake + invoke | RSS freed by hibernating | disk: the object's images, shared ones included |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for path in arguments {
    let runtime = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let label = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-snapshots-\(UUID().uuidString)")
    let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
    try await host.deployRuntime(name: "default", bytes: runtime)
    let cold = await seconds {
        expect(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "greet", args: .array([.string("a")]),
                                                            assembly: assembly)), .string("Hello, a!"), "first invoke")
    }
    let firstBytes = host.statistics.snapshotBytesWritten
    var incremental: [Double] = []
    var incrementalBytes: [Double] = []
    for round in 0..<9 {
        expect(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "scribble",
                                                            args: .array([.number(16), .number(Double(round))]))),
               .number(16), "scribble")
        let before = host.statistics.snapshotBytesWritten
        incremental.append(await seconds {
            expect(await host.invoke(object: "o", InvokeRequest(functionId: "g\(round)", entryPoint: "greet",
                                                                args: .array([.string("b")]), assembly: assembly)),
                   .string("Hello, b!"), "deploy")
        })
        incrementalBytes.append(Double(host.statistics.snapshotBytesWritten - before))
    }
    var wakes: [Double] = []
    var growth: [Double] = []
    var freed: [Double] = []
    for _ in 0..<9 {
        let resident = residentBytes()
        try await host.hibernate(object: "o")
        freed.append(Double(resident - residentBytes()))
        let asleep = residentBytes()
        wakes.append(await seconds {
            expect(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "greet", args: .array([.string("c")]))),
                   .string("Hello, c!"), "wake")
        })
        growth.append(Double(residentBytes() - asleep))
    }
    expect(await host.invoke(object: "o", InvokeRequest(functionId: "f", entryPoint: "check")), .bool(true), "heap check")
    let id = try await host.objectNamed("o").id
    let ownFolder = folder.appendingPathComponent("default/\(id.hex).images").path
    let sharedFolder = folder.appendingPathComponent("default/_hearth_images").path
    let disk = allocatedBytes([ownFolder, sharedFolder])
    let sharedOnly = disk - allocatedBytes([ownFolder])
    await host.close()
    try? FileManager.default.removeItem(at: folder)
    print("| \(label) | \(milliseconds(cold)) | \(mebibytes(firstBytes)) | \(milliseconds(median(incremental))) | "
          + "\(mebibytes(Int(median(incrementalBytes)))) | \(milliseconds(median(wakes))) | \(mebibytes(Int(median(growth)))) | "
          + "\(mebibytes(Int(median(freed)))) | \(mebibytes(disk)) (\(mebibytes(sharedOnly)) only in the runtime's shared image) |")
}

// The .NET runtime's initialized state (after its `_start`): written as one image and mapped into
// a fresh instance, through the engine's API alone (the object layer adds a manifest row).
if let dotnet {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dotnet)))
    let engine = Engine()
    let module = try CompiledModule(engine: engine, bytes: bytes)
    var options = GuestOptions()
    options.arguments = ["basic.dotnet.wasm"]
    let run = try GuestInstance(module: module, options: options)
    _ = try run.runCommand()
    let instance = run.instance
    let pages = instance.memoryPageCount(0)
    let tags = (0..<pages).filter { !instance.isZeroPage(memory: 0, page: $0) }.map { MemoryImageFile.PageTag(memory: 0, page: $0) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-dotnet-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var image: MemoryImageFile?
    var saves: [Double] = []
    for round in 0..<5 {
        saves.append(try seconds {
            image = try MemoryImageFile.write(to: folder.appendingPathComponent("\(round).img").path, tags: tags) {
                instance.pageAddress(memory: 0, page: tags[$0].page)
            }
        })
    }
    let state = try instance.snapshot(memoryContents: false)
    var wakes: [Double] = []
    for _ in 0..<9 {
        wakes.append(try seconds {
            let fresh = try GuestInstance(module: module, options: options)
            try fresh.instance.restore(state, memoryContents: false)
            try fresh.instance.mapPages(ofMemory: 0, from: 0, count: pages, source: .zero)
            let opened = try MemoryImageFile.open(image!.path)
            for (k, tag) in opened.tags.enumerated() {
                try fresh.instance.mapPages(ofMemory: 0, from: tag.page, count: 1, source: .image(opened, page: k))
            }
        })
    }
    let instantiate = median(try (0..<9).map { _ in try seconds { _ = try GuestInstance(module: module, options: options) } })
    let scrub = median(try (0..<5).map { _ in try seconds { try MemoryImageFile.open(image!.path).verify() } })
    print("")
    print("| basic.dotnet.wasm after `_start` | value |")
    print("|---|---:|")
    print("| memory | \(mebibytes(pages * 65536)) (\(tags.count) non-zero pages) |")
    print("| image write (checksums, write, fsync, rename) | \(milliseconds(median(saves))) |")
    print("| image on disk | \(mebibytes(image!.byteCount)) |")
    print("| wake: instantiate + restore + map every page (one mapping per page) | \(milliseconds(median(wakes))) |")
    print("| of which instantiation alone | \(milliseconds(instantiate)) |")
    print("| scrub (read and check every page) | \(milliseconds(scrub)) |")
    try? FileManager.default.removeItem(at: folder)
}

// Command functions (a WASI program, request on stdin): deploy + start-up capture, a resumed
// invocation, and a cold run of the same compiled program, in an object host.
print("")
print("| command function | deploy + capture of its start-up | resumed invocation | cold run (`_start` in a fresh instance) | cold / resumed |")
print("|---|---:|---:|---:|---:|")
for (label, path, arguments) in [("basic.dotnet.wasm", dotnet, ["basic.dotnet.wasm"]), ("greet-wasi.rs.wasm", greet, ["greet"])] {
    guard let path else { continue }
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-commands-\(UUID().uuidString)")
    let host = HearthHost(directory: folder, configuration: .init(idleTimeout: 3600))
    var first = CommandResponse.failure("not run")
    let deploy = await seconds {
        first = await host.invokeCommand(object: "o", functionId: "f", deploying: CommandDeployment(module: bytes), input: Array("Hearth".utf8))
    }
    guard first.error == nil, first.resumed else { fatalError("\(label): \(first)") }
    var resumedSamples: [Double] = []
    for i in 0..<21 {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = await host.invokeCommand(object: "o", functionId: "f", input: Array("name \(i)".utf8))
        resumedSamples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        guard r.error == nil, r.resumed else { fatalError("\(label): \(r)") }
    }
    let resumed = median(resumedSamples)
    let module = try CompiledModule(engine: Engine(), bytes: bytes)
    var options = GuestOptions()
    options.arguments = arguments
    options.stdin = Array("name 0".utf8)
    var coldOutput: [UInt8] = []
    let cold = median(try (0..<5).map { _ in try seconds {
        let guest = try GuestInstance(module: module, options: options)
        _ = try guest.runCommand()
        coldOutput = guest.stdout.bytes
    } })
    // The resumed answer is the cold run's, byte for byte.
    let check = await host.invokeCommand(object: "o", functionId: "f", input: Array("name 0".utf8))
    guard check.stdout == coldOutput, !coldOutput.isEmpty else { fatalError("\(label): resumed \(check), cold \(coldOutput)") }
    print("| \(label) | \(milliseconds(deploy)) | \(milliseconds(resumed)) | \(milliseconds(cold)) | \(String(format: "%.0fx", cold / resumed)) |")
    if label.hasPrefix("greet") {
        // 1,000 sequential invocations with different inputs: each answer checked, RSS compared.
        let before = residentBytes()
        for i in 0..<1000 {
            let r = await host.invokeCommand(object: "o", functionId: "f", input: Array("n\(i)".utf8))
            guard String(decoding: r.stdout, as: UTF8.self) == "Hello, n\(i)!\n" else { fatalError("invocation \(i): \(r)") }
        }
        print("")
        print("1,000 sequential invocations of greet-wasi.rs.wasm with different inputs: every answer right; "
              + "RSS \(mebibytes(before)) before, \(mebibytes(residentBytes())) after.")
    }
    await host.close()
    try? FileManager.default.removeItem(at: folder)
}

// A JavaScript function on QuickJS-NG's WASI reactor (`_initialize`, then `qjs_init_argv`), its
// script reading the request from stdin: captured once, then resumed per invocation, against a
// cold run (a fresh instance entered the same way) of the same compiled module.
if let quickJS {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-qjs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try """
        const table = Array.from({ length: 2000 }, (_, i) => ({ id: i, name: "item" + i }));   // start-up work
        const request = JSON.parse(std.in.readAsString() || "{}");
        console.log(JSON.stringify({ found: table.find(t => t.id === request.id) ?? null }));
        """.write(to: folder.appendingPathComponent("main.js"), atomically: false, encoding: .utf8)
    var options = GuestOptions()
    options.preopens = [WASIPreopen(hostPath: folder.path, guestPath: "/app", readOnly: true)]
    let module = try CompiledModule(engine: Engine(), path: quickJS)
    let entry = CommandEntry.reactor(export: "qjs_init_argv", arguments: ["qjs", "--std", "/app/main.js"])
    var function: CommandFunction?
    let capture = try seconds { function = CommandFunction(module: module, options: options, entry: entry) }
    guard let function, function.prepared != nil else { fatalError("QuickJS was not captured: \(function?.coldReason ?? "")") }
    func run(_ f: CommandFunction, _ i: Int) -> String {
        guard case .success(let result) = f.invoke(input: Array("{\"id\": \(i)}".utf8)).result else { fatalError("QuickJS failed") }
        return result.stdoutText
    }
    let resumed = median(try (0..<21).map { i in try seconds {
        guard run(function, i) == "{\"found\":{\"id\":\(i),\"name\":\"item\(i)\"}}\n" else { fatalError("wrong answer") }
    } })
    // A cold run: a fresh instance entered the same way, with the request on stdin from the start.
    let cold = median(try (0..<5).map { i in try seconds {
        var runOptions = options
        runOptions.stdin = Array("{\"id\": \(i)}".utf8)
        let guest = try GuestInstance(module: module, options: runOptions)
        _ = try guest.call("_initialize")
        let argv = try ["qjs", "--std", "/app/main.js"].map { try guest.allocate(Array($0.utf8) + [0]) }
        let vector = try guest.allocate(argv.flatMap { p in (0..<4).map { UInt8(truncatingIfNeeded: p >> (8 * $0)) } })
        _ = try guest.call("qjs_init_argv", [.i32(3), .i32(vector)])
        guard guest.stdout.text == "{\"found\":{\"id\":\(i),\"name\":\"item\(i)\"}}\n" else { fatalError("cold: \(guest.stdout.text)") }
    } })
    print("")
    print("| QuickJS-NG reactor, a JavaScript function | value |")
    print("|---|---:|")
    print("| capture of its start-up (`_initialize`, `qjs_init_argv`, the script up to its read) | \(milliseconds(capture)) |")
    print("| resumed invocation | \(milliseconds(resumed)) |")
    print("| cold run (start-up, then the request) | \(milliseconds(cold)) |")
    print("| cold / resumed | \(String(format: "%.0fx", cold / resumed)) |")
    let before = residentBytes()
    for i in 0..<1000 where run(function, i) != "{\"found\":{\"id\":\(i),\"name\":\"item\(i)\"}}\n" {
        fatalError("QuickJS invocation \(i) answered wrong")
    }
    print("")
    print("1,000 sequential invocations of the JavaScript function with different inputs: every answer right; "
          + "RSS \(mebibytes(before)) before, \(mebibytes(residentBytes())) after.")
    try? FileManager.default.removeItem(at: folder)
}
