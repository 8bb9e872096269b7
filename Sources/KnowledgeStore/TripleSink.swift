import Foundation
import RDF

/// Where a parser puts the triples of one document during a load; the store writes them as they come.
///
/// The parser runs on its own thread and the SQLite writer on another, so parsing and storing overlap on two
/// cores. The sink interns terms to their ids (see `StoredTerm.id`), sends each term once, and hands over
/// chunks of triples through a bounded queue. When the writer fails, `add` throws and the parser stops.
public final class TripleSink: @unchecked Sendable {
    /// One unit of work for the writer.
    struct Chunk {
        var newTerms: [(id: Int64, term: Term)] = []
        var triples: [SIMD3<Int64>] = []
        var prefixes: [(String, String)] = []
    }

    static let chunkTriples = 16_384
    static let maximumPendingChunks = 4

    private let condition = NSCondition()
    private var pending: [Chunk] = []
    private var producerFinished = false
    private var producerError: (any Error)?
    private var consumerError: (any Error)?
    private var blankPrefix: String?

    // Producer-side state, touched only by the parsing thread.
    private var current = Chunk()
    private var seen: [Int64: UInt64] = [:]
    /// Triples handed to the sink so far (before de-duplication).
    public private(set) var triplesAdded = 0

    init() {}

    /// Adds one triple; throws if the store has failed and the load is being abandoned.
    public func add(_ triple: Triple) throws {
        let prefix = try graphScope()
        let s = try intern(triple.subject, prefix)
        let p = try intern(triple.predicate, prefix)
        let o = try intern(triple.object, prefix)
        current.triples.append(SIMD3(s, p, o))
        triplesAdded += 1
        if current.triples.count >= TripleSink.chunkTriples { try flush() }
    }

    /// Records a namespace declaration of the document.
    public func addPrefix(_ prefix: String, _ namespace: String) {
        current.prefixes.append((prefix, namespace))
    }

    @inline(__always)
    private func intern(_ term: Term, _ blankPrefix: String) throws -> Int64 {
        let (id, check) = TermHashing.id(of: term, blankPrefix: blankPrefix)
        if let known = seen[id] {
            if known != check {
                throw StoreError(.hashCollision, "two distinct terms of the document share the id \(id); one is \(term)")
            }
            return id
        }
        seen[id] = check
        current.newTerms.append((id, term))
        return id
    }

    /// The blank node scope (`g<graph id>_`), which the writer sets once it knows the graph id.
    private func graphScope() throws -> String {
        if let blankPrefix { return blankPrefix }
        condition.lock()
        defer { condition.unlock() }
        while blankPrefix == nil && consumerError == nil { condition.wait() }
        if let consumerError { throw consumerError }
        return blankPrefix!
    }

    private func flush() throws {
        condition.lock()
        defer { condition.unlock() }
        while pending.count >= TripleSink.maximumPendingChunks && consumerError == nil { condition.wait() }
        if let consumerError { throw consumerError }
        pending.append(current)
        current = Chunk()
        condition.broadcast()
    }

    // MARK: - Called by the load coordinator

    /// Ends production: flushes the last chunk (success) or records the parser's error.
    func finishProducing(error: (any Error)?) {
        if error == nil { try? flush() }
        condition.lock()
        producerFinished = true
        producerError = error
        condition.broadcast()
        condition.unlock()
    }

    /// Sets the blank node scope; the producer waits for it before its first triple.
    func start(graphID: Int64) {
        condition.lock()
        blankPrefix = "g\(graphID)_"
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk for the writer, or nil when production ended successfully; rethrows a parser error.
    func nextChunk() throws -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !producerFinished { condition.wait() }
        if !pending.isEmpty {
            let chunk = pending.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let producerError { throw producerError }
        return nil
    }

    /// Tells the producer the writer failed, so it stops at its next triple.
    func abandon(_ error: any Error) {
        condition.lock()
        consumerError = error
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the producer has finished (after success or failure).
    func waitForProducer() {
        condition.lock()
        while !producerFinished { condition.wait() }
        condition.unlock()
    }
}
