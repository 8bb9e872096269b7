import Foundation
import KnowledgeStore
import RDF

/// A firing ready for the audit log: either already encoded from term ids (derive firings) or a full record
/// (inconsistencies and check firings, which are few).
enum QueuedFiring: Sendable {
    /// `AuditRunWriter.appendEncoded` arguments.
    case encoded(rule: String, severity: String, bindings: String, premises: [UInt8], conclusion: [UInt8])
    /// `AuditRunWriter.append` argument.
    case full(AuditFiring)
    /// The first derivation of a fact the firing before it added: `AuditRunWriter.addDerivation` arguments.
    case derivation(s: Int64, p: Int64, o: Int64, rule: String, premises: [UInt8])
}

/// One batch from the engine thread to the database thread: terms the firings use for the first time (to add to the
/// `terms` table) and the firings (with the first derivation of each fact they added), in the order they happened.
struct FiringBatch: Sendable {
    var newTerms: [Term] = []
    var firings: [QueuedFiring] = []
}

/// A bounded first-in first-out queue of batches between one producer (the engine) and one consumer (the thread that
/// owns the SQLite connection), so the audit log is written while the engine runs. Order is kept, so the hash chain
/// is the one a single thread would write.
final class FiringQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [FiringBatch] = []
    private var finished = false
    private var cancelled = false
    /// Batches the producer may be ahead by before it waits.
    private let capacity: Int

    init(capacity: Int = 64) { self.capacity = capacity }

    /// Adds a batch, waiting while the queue is full; returns false when the consumer has given up.
    @discardableResult
    func push(_ batch: FiringBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Marks the end of the stream.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producer (the consumer failed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batches, waiting for them; nil when the stream has ended and everything was taken.
    func take() -> [FiringBatch]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if batches.isEmpty { return nil }
        let taken = batches
        batches.removeAll(keepingCapacity: true)
        condition.broadcast()
        return taken
    }
}

/// Runs a closure on a thread of its own (with a large stack) and hands back its result.
final class EngineThread<Result>: @unchecked Sendable {
    private let body: () throws -> Result
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, any Error>?

    init(_ body: @escaping () throws -> Result) { self.body = body }

    /// Starts the thread.
    func start() {
        let thread = Thread { [self] in
            outcome = Swift.Result { try body() }
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
    }

    /// Waits for the thread and returns its result (or throws its error).
    func join() throws -> Result {
        done.wait()
        return try outcome!.get()
    }
}
