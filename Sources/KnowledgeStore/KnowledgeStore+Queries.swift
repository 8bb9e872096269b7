import GRDB
import RDF

/// A match of a triple pattern: the triple and the graph it is in.
public struct QuadMatch: Sendable, Hashable {
    /// The matching triple.
    public var triple: Triple
    /// The IRI of the graph holding it.
    public var graph: String
}

extension KnowledgeStore {
    /// The store id of a term (a content hash, see `StoredTerm.id`); blank nodes use their stored label.
    public static func termID(_ term: Term) -> Int64 { StoredTerm(queryTerm: term).id }

    /// Decodes a `terms` row read as (kind, value, datatype, lang) starting at column `offset`.
    static func decodeTerm(_ row: Row, _ offset: Int) -> Term {
        StoredTerm(kind: row[offset], value: row[offset + 1], datatype: row[offset + 2], language: row[offset + 3]).term
    }

    /// The triples matching `pattern`, in all graphs or in the graph `graphIRI`, at most `limit` of them.
    ///
    /// A variable used twice (`?x p ?x`) must bind the same term in both places.
    public func match(_ pattern: TriplePattern, graphIRI: String? = nil, limit: Int = Int.max) throws -> [QuadMatch] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        for (column, position) in [("q.s", pattern.subject), ("q.p", pattern.predicate), ("q.o", pattern.object)] {
            if case .term(let term) = position {
                conditions.append("\(column) = ?")
                arguments.append(KnowledgeStore.termID(term))
            }
        }
        // Repeated variables become equality constraints.
        let positions = [("q.s", pattern.subject), ("q.p", pattern.predicate), ("q.o", pattern.object)]
        for i in 0..<3 {
            for j in (i + 1)..<3 {
                if case .variable(let a) = positions[i].1, case .variable(let b) = positions[j].1, a == b {
                    conditions.append("\(positions[i].0) = \(positions[j].0)")
                }
            }
        }
        if let graphIRI {
            conditions.append("q.g = (SELECT id FROM graphs WHERE iri = ?)")
            arguments.append(graphIRI)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT ts.kind, ts.value, ts.datatype, ts.lang, tp.kind, tp.value, tp.datatype, tp.lang,
                   tobj.kind, tobj.value, tobj.datatype, tobj.lang, g.iri
            FROM quads q
            JOIN terms ts ON ts.id = q.s JOIN terms tp ON tp.id = q.p JOIN terms tobj ON tobj.id = q.o
            JOIN graphs g ON g.id = q.g
            \(whereClause) LIMIT ?
            """
        arguments.append(limit == Int.max ? -1 : limit)
        let statementArguments = StatementArguments(arguments.map { $0 as (any DatabaseValueConvertible)? })
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                QuadMatch(triple: Triple(KnowledgeStore.decodeTerm(row, 0), KnowledgeStore.decodeTerm(row, 4), KnowledgeStore.decodeTerm(row, 8)),
                          graph: row[12])
            }
        }
    }

    /// Streams the distinct triples of one graph, or of every graph, to `body`, in store order.
    ///
    /// - Parameter includeInferred: when false and no graph is named, graphs of kind `inferred` are left out.
    public func forEachTriple(graphIRI: String? = nil, includeInferred: Bool = true, _ body: @escaping @Sendable (Triple) throws -> Void) throws {
        // One graph's quads are distinct triples already; across graphs they need DISTINCT.
        var triples = "SELECT DISTINCT q.s, q.p, q.o FROM quads q"
        var filterArguments: StatementArguments = []
        if let graphIRI {
            triples = "SELECT q.s, q.p, q.o FROM quads q WHERE q.g = (SELECT id FROM graphs WHERE iri = ?)"
            filterArguments = [graphIRI]
        } else if !includeInferred {
            triples += " WHERE q.g IN (SELECT id FROM graphs WHERE kind = 'asserted')"
        }
        let arguments = filterArguments
        let sql = """
            SELECT ts.kind, ts.value, ts.datatype, ts.lang, tp.kind, tp.value, tp.datatype, tp.lang,
                   tobj.kind, tobj.value, tobj.datatype, tobj.lang
            FROM (\(triples)) d
            JOIN terms ts ON ts.id = d.s JOIN terms tp ON tp.id = d.p JOIN terms tobj ON tobj.id = d.o
            """
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                try body(Triple(KnowledgeStore.decodeTerm(row, 0), KnowledgeStore.decodeTerm(row, 4), KnowledgeStore.decodeTerm(row, 8)))
            }
        }
    }
}

/// A label of an entity and where it comes from.
public struct EntityLabel: Sendable, Hashable, Codable {
    /// The annotation property: rdfs:label, skos:prefLabel, or an oboInOwl synonym property.
    public var property: String
    /// The label text.
    public var text: String
    /// Its language tag, if any.
    public var language: String?
}

/// The properties that give names to entities, best first.
public let labelProperties: [IRI] = [
    Vocabulary.RDFS.label, Vocabulary.SKOS.prefLabel, Vocabulary.SKOS.altLabel,
    Vocabulary.OBOInOWL.hasExactSynonym, Vocabulary.OBOInOWL.hasRelatedSynonym,
    Vocabulary.OBOInOWL.hasBroadSynonym, Vocabulary.OBOInOWL.hasNarrowSynonym,
]

extension KnowledgeStore {
    /// All labels and synonyms of an entity (rdfs:label, skos:prefLabel/altLabel, oboInOwl synonyms), best first.
    public func labels(of entity: Term) throws -> [EntityLabel] {
        let id = KnowledgeStore.termID(entity)
        let rank = Dictionary(uniqueKeysWithValues: labelProperties.enumerated().map { (KnowledgeStore.termID(.iri($0.element)), $0.offset) })
        let ids = labelProperties.map { KnowledgeStore.termID(.iri($0)) }
        let placeholders = ids.map { _ in "?" }.joined(separator: ",")
        var labelArguments: StatementArguments = [id]
        for pid in ids { labelArguments += [pid] }
        let arguments = labelArguments
        let rows = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT DISTINCT q.p, t.value, t.lang FROM quads q JOIN terms t ON t.id = q.o
                WHERE q.s = ? AND q.p IN (\(placeholders)) AND t.kind = 2
                """, arguments: arguments).map { ($0[0] as Int64, $0[1] as String, $0[2] as String?) }
        }
        return rows.sorted { (rank[$0.0] ?? 99, $0.1) < (rank[$1.0] ?? 99, $1.1) }.map {
            EntityLabel(property: labelProperties[rank[$0.0] ?? 0].value, text: $0.1, language: $0.2)
        }
    }

    /// The preferred display label of an entity: an English or untagged rdfs:label/skos:prefLabel, else nil.
    public func preferredLabel(of entity: Term) throws -> String? {
        let labels = try labels(of: entity).filter {
            $0.property == Vocabulary.RDFS.label.value || $0.property == Vocabulary.SKOS.prefLabel.value
        }
        return (labels.first { $0.language == nil || $0.language == "en" } ?? labels.first)?.text
    }

    /// Preferred labels for many entities in one read (entities without one are absent from the result).
    public func preferredLabels(of entities: [IRI]) throws -> [IRI: String] {
        var result: [IRI: String] = [:]
        for entity in entities where result[entity] == nil {
            if let label = try preferredLabel(of: .iri(entity)) { result[entity] = label }
        }
        return result
    }

    /// Finds entities whose label or synonym equals `text` (case-insensitive), for looking terms up by name.
    public func entities(labelled text: String, limit: Int = 20) throws -> [IRI] {
        let ids = labelProperties.map { KnowledgeStore.termID(.iri($0)) }
        let placeholders = ids.map { _ in "?" }.joined(separator: ",")
        var lookupArguments: StatementArguments = [text]
        for pid in ids { lookupArguments += [pid] }
        lookupArguments += [limit]
        let arguments = lookupArguments
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT ts.value FROM terms t JOIN quads q ON q.o = t.id JOIN terms ts ON ts.id = q.s
                WHERE t.kind = 2 AND t.value = ? COLLATE NOCASE AND q.p IN (\(placeholders)) AND ts.kind = 0 LIMIT ?
                """, arguments: arguments).map { IRI($0) }
        }
    }
}
