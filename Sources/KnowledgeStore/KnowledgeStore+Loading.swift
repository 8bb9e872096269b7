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
        let outcome: (stored: Int, terms: Int, replaced: Bool)
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
        sink.waitForProducer()
        if PhaseTrace.enabled {
            FileHandle.standardError.write(Data(String(format: "trace total wall %.3f s (the rest is the commit)\n",
                                                       Date().timeIntervalSince(started)).utf8))
        }
        return LoadSummary(graphIRI: graphIRI, triples: outcome.stored, terms: outcome.terms, replaced: outcome.replaced,
                           seconds: Date().timeIntervalSince(started))
    }

    /// Inserts the triples of one graph, sorted by (s, p, o) so the primary key grows by appends.
    ///
    /// When the graph is a large share of the store, the POS and OSP indexes are dropped and rebuilt: CREATE INDEX
    /// sorts once, which is several times cheaper than a random B-tree insert per row and index.
    static func insertQuads(_ unsorted: [SIMD3<Int64>], graphID: Int64, into db: Database, trace: inout PhaseTrace) throws -> Int {
        var triples = unsorted
        triples.sort { a, b in a.x != b.x ? a.x < b.x : (a.y != b.y ? a.y < b.y : a.z < b.z) }
        let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM quads LIMIT ?)", arguments: [2 * triples.count]) ?? 0
        let rebuildIndexes = triples.count > 10_000 && existing < 2 * triples.count
        if rebuildIndexes { try db.execute(sql: StoreSchema.dropQuadIndexes) }
        let insertQuad = try BulkStatement(db, sql: "INSERT INTO quads(g, s, p, o) VALUES (?, ?, ?, ?)")
        insertQuad.bind(1, graphID)
        var stored = 0
        var previous = SIMD3<Int64>(0, 0, 0)
        for triple in triples where triple != previous {
            previous = triple
            insertQuad.bind(2, triple.x)
            insertQuad.bind(3, triple.y)
            insertQuad.bind(4, triple.z)
            try insertQuad.run()
            stored += 1
        }
        trace.phase("quads, sorted (writer)")
        if rebuildIndexes { try db.execute(sql: StoreSchema.quadIndexes) }
        trace.phase("POS and OSP indexes (writer)")
        return stored
    }

    /// The writer side of a load, inside the write transaction.
    private static func consume(_ sink: TripleSink, into db: Database, graphIRI: String, source: String?, sha256: String?,
                                kind: String, timestamp: String) throws -> (Int, Int, Bool) {
        // The graph row: reuse the id of a graph being replaced, so blank node labels stay stable.
        let existing = try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE iri = ?", arguments: [graphIRI])
        let graphID: Int64
        if let existing {
            graphID = existing
            try db.execute(sql: "DELETE FROM quads WHERE g = ?", arguments: [graphID])
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
                insertTerm.bind(4, encoded.datatype)
                insertTerm.bind(5, encoded.language)
                if try insertTerm.run() == 0 {
                    // An id already in the store must hold the same term (a hash collision otherwise).
                    selectTerm.bind(1, id)
                    if let row = try selectTerm.fetchRow(columns: 4),
                       StoredTerm(kind: Int(row[0] ?? "") ?? -1, value: row[1] ?? "", datatype: row[2], language: row[3]) != encoded {
                        throw StoreError(.hashCollision, "term id \(id) of \(term) is already used by \(row[1] ?? "?")")
                    }
                }
            }
            terms += chunk.newTerms.count
            triples += chunk.triples
            prefixes += chunk.prefixes
        }
        trace.phase("terms during parse (writer)")
        let stored = try insertQuads(triples, graphID: graphID, into: db, trace: &trace)
        try db.execute(sql: "UPDATE graphs SET source = ?, sha256 = ?, loaded_at = ?, triples = ?, kind = ? WHERE id = ?",
                       arguments: [source, sha256, timestamp, stored, kind, graphID])
        for (prefix, namespace) in prefixes {
            try db.execute(sql: "INSERT OR IGNORE INTO prefixes(graph, prefix, namespace) VALUES (?, ?, ?)",
                           arguments: [graphID, prefix, namespace])
        }
        return (stored, terms, existing != nil)
    }
}
