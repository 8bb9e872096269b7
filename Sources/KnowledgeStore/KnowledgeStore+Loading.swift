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
    /// Seconds spent inside the write transaction.
    public var storeSeconds: Double
}

extension KnowledgeStore {
    /// Replaces (or creates) the graph `graphIRI` with the buffered triples, in one transaction.
    ///
    /// - Parameters:
    ///   - source: the file the triples came from, recorded as provenance.
    ///   - sha256: that file's sha256, recorded as provenance.
    ///   - kind: `asserted` for documents, `inferred` for reasoning output.
    public func store(_ buffer: GraphBuffer, graphIRI: String, source: String?, sha256: String?,
                      kind: String = "asserted") throws -> LoadSummary {
        let started = Date()
        let timestamp = ISO8601DateFormatter().string(from: started)
        let (stored, replaced) = try write { db -> (Int, Bool) in
            // 1. The graph row: reuse the id of a graph being replaced, so blank node labels stay stable.
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

            var tick = Date(); func lap(_ n: String) { if ProcessInfo.processInfo.environment["KGFUSE_TIMING"] != nil { print(n, Date().timeIntervalSince(tick)) }; tick = Date() }
            // 2. Terms: ids are content hashes; insert in id order, verify any id already present.
            let encoded = buffer.terms.map { StoredTerm($0, graphID: graphID) }
            let ids = encoded.map(\.id)
            var order = Array(ids.indices)
            order.sort { ids[$0] < ids[$1] }
            let insertTerm = try BulkStatement(db, sql: "INSERT INTO terms(id, kind, value, datatype, lang) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING")
            let selectTerm = try BulkStatement(db, sql: "SELECT kind, value, datatype, lang FROM terms WHERE id = ?")
            var previous: Int? = nil
            for position in order {
                let term = encoded[position]
                if let previous, ids[previous] == ids[position] {
                    throw StoreError(.hashCollision, "two distinct terms share the id \(ids[position]): \(encoded[previous].value) and \(term.value)")
                }
                previous = position
                insertTerm.bind(1, ids[position])
                insertTerm.bind(2, Int64(term.kind))
                insertTerm.bind(3, term.value)
                insertTerm.bind(4, term.datatype)
                insertTerm.bind(5, term.language)
                if try insertTerm.run() == 0 {
                    selectTerm.bind(1, ids[position])
                    if let row = try selectTerm.fetchRow(columns: 4),
                       StoredTerm(kind: Int(row[0] ?? "") ?? -1, value: row[1] ?? "", datatype: row[2], language: row[3]) != term {
                        throw StoreError(.hashCollision, "term id \(ids[position]) of \(term.value) is already used by \(row[1] ?? "?")")
                    }
                }
            }

            lap("terms")
            // 3. Quads: map to ids, sort by (s, p, o), drop duplicates, insert.
            let count = buffer.tripleCount
            var quads = [SIMD3<Int64>]()
            quads.reserveCapacity(count)
            buffer.triples.withUnsafeBufferPointer { flat in
                for i in 0..<count {
                    quads.append(SIMD3(ids[Int(flat[3 * i])], ids[Int(flat[3 * i + 1])], ids[Int(flat[3 * i + 2])]))
                }
            }
            quads.sort { a, b in a.x != b.x ? a.x < b.x : (a.y != b.y ? a.y < b.y : a.z < b.z) }
            // Rebuilding the secondary indexes by sorting is much faster than random inserts into them when the
            // document is a large share of the store (CREATE INDEX sorts; an insert walks a B-tree per index).
            let existingQuads = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM quads LIMIT ?)", arguments: [4 * quads.count]) ?? 0
            let rebuildIndexes = existingQuads < 4 * quads.count && quads.count > 10_000
            if rebuildIndexes {
                try db.execute(sql: "DROP INDEX quads_pos; DROP INDEX quads_osp")
            }
            let insertQuad = try BulkStatement(db, sql: "INSERT INTO quads(g, s, p, o) VALUES (?, ?, ?, ?)")
            insertQuad.bind(1, graphID)
            var stored = 0
            var last: SIMD3<Int64>? = nil
            for quad in quads where quad != last {
                last = quad
                insertQuad.bind(2, quad.x)
                insertQuad.bind(3, quad.y)
                insertQuad.bind(4, quad.z)
                try insertQuad.run()
                stored += 1
            }

            lap("quads")
            if rebuildIndexes {
                try db.execute(sql: StoreSchema.quadIndexes)
                lap("indexes")
            }
            // 4. Provenance and prefixes.
            try db.execute(sql: "UPDATE graphs SET source = ?, sha256 = ?, loaded_at = ?, triples = ?, kind = ? WHERE id = ?",
                           arguments: [source, sha256, timestamp, stored, kind, graphID])
            for (prefix, namespace) in buffer.prefixes {
                try db.execute(sql: "INSERT OR IGNORE INTO prefixes(graph, prefix, namespace) VALUES (?, ?, ?)",
                               arguments: [graphID, prefix, namespace])
            }
            return (stored, existing != nil)
        }
        return LoadSummary(graphIRI: graphIRI, triples: stored, terms: buffer.terms.count, replaced: replaced,
                           storeSeconds: Date().timeIntervalSince(started))
    }
}
