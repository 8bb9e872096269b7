import Foundation
import GRDB
import RDF

/// What one load did.
public struct LoadSummary: Sendable, Codable, Equatable {
    /// The graph the document went into.
    public var graphIRI: String
    /// Distinct triples stored in that graph.
    public var triples: Int
    /// Distinct terms in the document.
    public var terms: Int
    /// True when an existing graph of that IRI was replaced.
    public var replaced: Bool
    /// Seconds from the start of parsing to the commit.
    public var seconds: Double
}

/// The parser being stopped because the writer failed; never reaches the caller.
struct LoadAbandoned: Error {}

extension KnowledgeStore {
    /// Replaces (or creates) the graph `graphIRI` with the triples `produce` hands to the sink, in one transaction.
    ///
    /// `produce` runs on a thread of its own while this thread writes; if it throws, or the writer fails, the
    /// transaction rolls back and the store is exactly as before. Readers see the old graph until the commit.
    ///
    /// - Parameters:
    ///   - source: the file the triples came from, recorded as provenance.
    ///   - sha256: that file's sha256, recorded as provenance.
    ///   - kind: `asserted` for documents, `inferred` for reasoning output.
    public func loadGraph(iri graphIRI: String, source: String?, sha256: String?, kind: String = "asserted",
                          produce: @escaping @Sendable (TripleSink) throws -> Void) throws -> LoadSummary {
        let started = Date()
        let timestamp = ISO8601DateFormatter().string(from: started)
        let sink = TripleSink()
        let producer = Thread {
            var trace = PhaseTrace()
            defer { trace.phase("parse (parser thread)") }
            do {
                try produce(sink)
                sink.finishProducing(error: nil)
            } catch {
                sink.finishProducing(error: error)
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        let outcome: (stored: Int, terms: Int, replaced: Bool, trace: PhaseTrace)
        do {
            outcome = try write { db in
                do {
                    return try KnowledgeStore.consume(sink, into: db, graphIRI: graphIRI, source: source, sha256: sha256,
                                                      kind: kind, timestamp: timestamp)
                } catch {
                    sink.abandon(error)
                    throw error
                }
            }
        } catch {
            sink.abandon(error)
            sink.waitForProducer()
            throw error
        }
        var trace = outcome.trace
        trace.phase("commit (writer)")
        sink.waitForProducer()
        if PhaseTrace.enabled {
            FileHandle.standardError.write(Data(String(format: "trace total wall %.3f s (the rest is the commit)\n",
                                                       Date().timeIntervalSince(started)).utf8))
        }
        return LoadSummary(graphIRI: graphIRI, triples: outcome.stored, terms: outcome.terms, replaced: outcome.replaced,
                           seconds: Date().timeIntervalSince(started))
    }

    /// Stores the triples of one graph as its quads (see `QuadBlocks`); the graph's earlier quads, if any, are kept.
    static func insertQuads(_ triples: [SIMD3<Int64>], graphID: Int64, into db: Database, trace: inout PhaseTrace) throws -> Int {
        let existing = try QuadBlocks.triples(graph: graphID, in: db)
        if existing.isEmpty { return try QuadBlocks.write(triples, graph: graphID, into: db, trace: &trace) }
        try QuadBlocks.delete(graph: graphID, from: db)
        return try QuadBlocks.write(existing + triples, graph: graphID, into: db, trace: &trace)
    }

    /// The writer side of a load, inside the write transaction.
    private static func consume(_ sink: TripleSink, into db: Database, graphIRI: String, source: String?, sha256: String?,
                                kind: String, timestamp: String) throws -> (Int, Int, Bool, PhaseTrace) {
        // The graph row: reuse the id of a graph being replaced, so blank node labels stay stable.
        let existing = try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE iri = ?", arguments: [graphIRI])
        let graphID: Int64
        if let existing {
            graphID = existing
            try QuadBlocks.delete(graph: graphID, from: db)
            try db.execute(sql: "DELETE FROM prefixes WHERE graph = ?", arguments: [graphID])
        } else {
            try db.execute(sql: "INSERT INTO graphs(iri, source, sha256, loaded_at, triples, kind) VALUES (?, ?, ?, ?, 0, ?)",
                           arguments: [graphIRI, source, sha256, timestamp, kind])
            graphID = db.lastInsertedRowID
        }
        sink.start(graphID: graphID)
        var trace = PhaseTrace()

        let insertTerm = try BulkStatement(db, sql: "INSERT INTO terms(id, kind, value, datatype, lang) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING")
        let selectTerm = try BulkStatement(db, sql: "SELECT kind, value, datatype, lang FROM terms WHERE id = ?")
        var terms = 0
        var prefixes: [(String, String)] = []
        var triples: [SIMD3<Int64>] = []
        // While the parser works, store the terms (they are the part that can go in during parsing).
        while let chunk = try sink.nextChunk() {
            for (id, term) in chunk.newTerms.sorted(by: { $0.id < $1.id }) {
                let encoded = StoredTerm(term, graphID: graphID)
                insertTerm.bind(1, id)
                insertTerm.bind(2, Int64(encoded.kind))
                insertTerm.bind(3, encoded.value)
                insertTerm.bind(4, encoded.storedDatatype)
                insertTerm.bind(5, encoded.language)
                if try insertTerm.run() == 0 {
                    // An id already in the store must hold the same term (a hash collision otherwise).
                    selectTerm.bind(1, id)
                    if let row = try selectTerm.fetchRow(columns: 4),
                       StoredTerm(kind: Int(row[0] ?? "") ?? -1, value: row[1] ?? "", datatype: row[2], language: row[3]).term != encoded.term {
                        throw StoreError(.hashCollision, "term id \(id) of \(term) is already used by \(row[1] ?? "?")")
                    }
                }
            }
            terms += chunk.newTerms.count
            triples += chunk.triples
            prefixes += chunk.prefixes
        }
        trace.phase("terms during parse (writer)")
        // The graph is new or was emptied above, so its blocks are written without reading any back.
        let stored = try QuadBlocks.write(triples, graph: graphID, into: db, trace: &trace)
        try db.execute(sql: "UPDATE graphs SET source = ?, sha256 = ?, loaded_at = ?, triples = ?, kind = ? WHERE id = ?",
                       arguments: [source, sha256, timestamp, stored, kind, graphID])
        for (prefix, namespace) in prefixes {
            try db.execute(sql: "INSERT OR IGNORE INTO prefixes(graph, prefix, namespace) VALUES (?, ?, ?)",
                           arguments: [graphID, prefix, namespace])
        }
        trace.phase("graph row and prefixes (writer)")
        return (stored, terms, existing != nil, trace)
    }
}
