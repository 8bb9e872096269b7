import Foundation
import GRDB
import RDF

/// One stored way a derived fact was derived.
public struct StoredDerivation: Sendable, Equatable {
    /// The rule's id.
    public var rule: String
    /// The premise facts, in rule body order.
    public var premises: [Triple]
    /// The inferred graph the derivation belongs to.
    public var graph: String
    /// The run that recorded it.
    public var run: Int64
}

extension AuditRunWriter {
    /// Empties (or creates) the inferred graph `iri`: its quads and derivations are deleted in this transaction.
    /// Returns the graph id.
    public func replaceInferredGraph(iri: String, source: String?) throws -> Int64 {
        let timestamp = KnowledgeStore.timestamp()
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE iri = ?", arguments: [iri]) {
            let kind = try String.fetchOne(db, sql: "SELECT kind FROM graphs WHERE id = ?", arguments: [existing])
            guard kind == "inferred" else {
                throw StoreError(.sqlite, "graph <\(iri)> holds asserted triples; an inferred graph needs an IRI of its own")
            }
            try flushPendingRows()
            try QuadBlocks.delete(graph: existing, from: db)
            try db.execute(sql: "DELETE FROM derivations WHERE graph = ?", arguments: [existing])
            try db.execute(sql: "UPDATE graphs SET source = ?, loaded_at = ?, triples = 0 WHERE id = ?", arguments: [source, timestamp, existing])
            return existing
        }
        try db.execute(sql: "INSERT INTO graphs(iri, source, sha256, loaded_at, triples, kind) VALUES (?, ?, NULL, ?, 0, 'inferred')",
                       arguments: [iri, source, timestamp])
        return db.lastInsertedRowID
    }

    /// Stores `triples` as the quads of graph `graphID` (sorted by s, p, o; duplicates once) and records the count.
    public func storeInferredTriples(_ triples: [Triple], graphID: Int64) throws {
        var rows: [SIMD3<Int64>] = []
        rows.reserveCapacity(triples.count)
        for triple in triples {
            rows.append(SIMD3(try termID(triple.subject), try termID(triple.predicate), try termID(triple.object)))
        }
        var trace = PhaseTrace()
        let stored = try KnowledgeStore.insertQuads(rows, graphID: graphID, into: db, trace: &trace)
        try db.execute(sql: "UPDATE graphs SET triples = ? WHERE id = ?", arguments: [stored, graphID])
    }

    /// Stores rows of store term ids `(s, p, o)` as the quads of graph `graphID` (sorted; duplicates once) and records
    /// the count; every id must already be in `terms` (see `termID(_:)`). Returns the number of quads stored.
    @discardableResult
    public func storeInferredRows(_ rows: [SIMD3<Int64>], graphID: Int64) throws -> Int {
        var trace = PhaseTrace()
        let stored = try KnowledgeStore.insertQuads(rows, graphID: graphID, into: db, trace: &trace)
        try db.execute(sql: "UPDATE graphs SET triples = ? WHERE id = ?", arguments: [stored, graphID])
        return stored
    }

    /// Records one derivation of the fact `(s, p, o)` (store term ids, already in `terms`) with its premises encoded
    /// as an `AuditEncoding` triples BLOB of store term ids: the fast path of `addDerivation(fact:rule:premises:graphID:)`.
    public func addDerivation(s: Int64, p: Int64, o: Int64, rule: String, encodedPremises: [UInt8], graphID: Int64) throws {
        pendingDerivations.add(s)
        pendingDerivations.add(p)
        pendingDerivations.add(o)
        pendingDerivations.add(graphID)
        pendingDerivations.add(rule)
        pendingDerivations.add(bytes: encodedPremises)
        pendingDerivations.add(runID)
        try pendingDerivations.endRow()
    }

    /// Records one derivation of `fact` (derived in graph `graphID` by `rule` from `premises`) under this run.
    public func addDerivation(fact: Triple, rule: String, premises: [Triple], graphID: Int64) throws {
        try addDerivation(s: try termID(fact.subject), p: try termID(fact.predicate), o: try termID(fact.object), rule: rule,
                          encodedPremises: try encodeTriples(premises), graphID: graphID)
    }
}

extension KnowledgeStore {
    /// Every stored derivation of a fact, over all inferred graphs, in the order they were recorded.
    public func derivations(of fact: Triple) throws -> [StoredDerivation] {
        let (s, p, o) = (KnowledgeStore.termID(fact.subject), KnowledgeStore.termID(fact.predicate), KnowledgeStore.termID(fact.object))
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.rule, d.premises, g.iri, d.run FROM derivations d JOIN graphs g ON g.id = d.graph
                WHERE d.s = ? AND d.p = ? AND d.o = ? ORDER BY d.id
                """, arguments: [s, p, o])
            let decoder = TermIDDecoder(db: db)
            return try rows.map { row in
                StoredDerivation(rule: row[0], premises: try decoder.triples(row[1]), graph: row[2], run: row[3])
            }
        }
    }

    /// The asserted graphs holding the fact (empty when it is only derived, or unknown).
    public func assertedGraphs(containing fact: Triple) throws -> [String] {
        let (s, p, o) = (KnowledgeStore.termID(fact.subject), KnowledgeStore.termID(fact.predicate), KnowledgeStore.termID(fact.object))
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT g.iri FROM quads q JOIN graphs g ON g.id = q.g
                WHERE q.s = ? AND q.p = ? AND q.o = ? AND g.kind = 'asserted' ORDER BY g.id
                """, arguments: [s, p, o])
        }
    }

    /// Number of derivation rows of an inferred graph.
    public func derivationCount(graphIRI: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM derivations WHERE graph = (SELECT id FROM graphs WHERE iri = ?)",
                             arguments: [graphIRI]) ?? 0
        }
    }

    /// Number of quads of an inferred graph that have no derivation row (zero after a complete materialisation).
    public func underivedFactCount(graphIRI: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM quads q WHERE q.g = (SELECT id FROM graphs WHERE iri = ?)
                AND NOT EXISTS (SELECT 1 FROM derivations d WHERE d.s = q.s AND d.p = q.p AND d.o = q.o AND d.graph = q.g)
                """, arguments: [graphIRI]) ?? 0
        }
    }
}
