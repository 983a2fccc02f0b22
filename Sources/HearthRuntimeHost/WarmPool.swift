import Foundation
import HearthBridge
import HearthObjects
import HearthRuntime

/// A stateless function deployed to the shared pool: no object, no storage, any warm instance
/// of its runtime may run it.
struct PoolFunction: Sendable {
    var runtime: String
    var entryPoint: String
    var assembly: [UInt8]
    /// Increases on every redeploy, so each warm instance knows when to reload the assembly.
    var version: Int
}

/// A pool of warm instances of one runtime for one namespace (namespaces never share instances),
/// one per worker thread. Guests run on these dedicated threads, never on Swift's cooperative
/// pool: a guest that blocks cannot starve the server's request handling.
final class WarmPool: @unchecked Sendable {
    private struct Job {
        let functionId: String
        let function: PoolFunction
        let entryPoint: String
        let args: JSONValue
        let serial: UInt64
        let complete: @Sendable (InvokeResponse) -> Void
    }

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var closed = false
    private var serial: UInt64 = 0
    /// Job serial -> the worker running it, to abandon a worker stuck past its deadline.
    private var running: [UInt64: Worker] = [:]
    /// The object host's compiled runtime, shared with its objects: every worker (a replaced one
    /// too) instantiates it; nothing decodes or validates it again.
    let module: CompiledModule
    private let options: GuestOptions

    /// One worker: a thread owning a bridge. Abandoned workers finish their current job (if the
    /// guest ever returns) and then exit.
    private final class Worker: @unchecked Sendable {
        var abandoned = false
        var loadedVersions: [String: Int] = [:]
    }

    /// Builds `size` warm instances (instantiate + `_initialize`) of `module` before returning.
    /// The module is the object host's compiled runtime (its engine's memory cap applies): the
    /// pool neither decodes nor validates the runtime again.
    init(module: CompiledModule, size: Int, limits: ExecutionLimits) throws {
        self.module = module
        var options = GuestOptions()
        options.limits = limits
        self.options = options
        for _ in 0..<max(1, size) { try startWorker() }
    }

    private func startWorker() throws {
        // The first instance is built on the caller's thread so a bad runtime fails the request.
        // Then it moves to the worker's thread and is never used here again: a handoff the
        // compiler cannot see through `Thread`'s closure.
        nonisolated(unsafe) let bridge = try RuntimeBridge(module: module, options: options)
        let worker = Worker()
        let thread = Thread { [weak self] in self?.workLoop(worker, bridge) }
        thread.stackSize = 16 << 20
        thread.name = "hearth-pool"
        thread.start()
    }

    /// Queues a job for a warm instance; `completion` gets its response exactly once, on a pool
    /// thread or the deadline's timer. If it has not finished by the limits' deadline the caller
    /// gets a limit error at once; the job is dropped from the queue, or, if a guest is running it
    /// and ignores the engine's interrupt, its worker is abandoned and replaced.
    func submit(functionId: String, function: PoolFunction, entryPoint: String, args: JSONValue,
                completion: @escaping @Sendable (InvokeResponse) -> Void) {
        let once = OnceFlag()
        condition.lock()
        serial += 1
        let jobSerial = serial
        guard !closed else {
            condition.unlock()
            completion(.failure("the server is shutting down", .internalFailure))
            return
        }
        let timer = options.limits.deadline.map { deadline in
            CancellableTimer(after: deadline) { [weak self] in
                guard once.claim() else { return }
                self?.giveUp(jobSerial)
                completion(.failure("invocation deadline of \(deadline) exceeded", .limitExceeded))
            }
        }
        queue.append(Job(functionId: functionId, function: function, entryPoint: entryPoint, args: args, serial: jobSerial,
                         complete: { response in
                             timer?.cancel()
                             if once.claim() { completion(response) }
                         }))
        condition.signal()
        condition.unlock()
    }

    /// The caller stopped waiting for a job: drop it if queued; abandon its worker if running.
    private func giveUp(_ jobSerial: UInt64) {
        condition.lock()
        queue.removeAll { $0.serial == jobSerial }
        let worker = running.removeValue(forKey: jobSerial)
        worker?.abandoned = true
        condition.unlock()
        // Off the timer queue: building a warm instance can take a while, and other deadlines wait there.
        if worker != nil { DispatchQueue.global().async { try? self.startWorker() } }
    }

    func close() {
        condition.lock()
        closed = true
        let pending = queue
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        for job in pending { job.complete(.failure("the server is shutting down", .internalFailure)) }
    }

    private func workLoop(_ worker: Worker, _ bridge: RuntimeBridge) {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty || worker.abandoned {
                condition.unlock()
                return
            }
            let job = queue.removeFirst()
            running[job.serial] = worker
            condition.unlock()

            let response = execute(job, worker, bridge)

            condition.lock()
            running[job.serial] = nil
            let abandoned = worker.abandoned
            condition.unlock()
            job.complete(response)
            if abandoned { return }
        }
    }

    private func execute(_ job: Job, _ worker: Worker, _ bridge: RuntimeBridge) -> InvokeResponse {
        let fresh = worker.loadedVersions[job.functionId] != job.function.version
        let invocation = bridge.invoke(functionId: job.functionId, entryPoint: job.entryPoint, args: job.args,
                                       assemblyData: fresh ? job.function.assembly : nil)
        if fresh, invocation.loadedAssembly { worker.loadedVersions[job.functionId] = job.function.version }
        switch invocation.outcome {
        case .success(let value): return .success(value)
        case .failure(let error): return .from(error)
        }
    }
}
