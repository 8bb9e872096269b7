import GRDB
import RDF

/// A class reached through the subclass hierarchy, with its distance in rdfs:subClassOf steps.
public struct HierarchyEntry: Sendable, Hashable {
    /// The named class.
    public var iri: IRI
    /// The number of rdfs:subClassOf steps from the start (1 for a direct superclass).
    public var depth: Int

    /// Creates an entry.
    public init(iri: IRI, depth: Int) {
        self.iri = iri
        self.depth = depth
    }
}

/// An edge of the entity graph: head —relation→ tail, all named entities.
public struct EntityEdge: Sendable, Hashable, Codable {
    public var head: String
    public var relation: String
    public var tail: String

    /// Creates an edge.
    public init(head: String, relation: String, tail: String) {
        self.head = head
        self.relation = relation
        self.tail = tail
    }
}

extension KnowledgeStore {
    /// The transitive superclasses of a class (named classes only), each at its shortest distance.
    public func superclasses(of entity: IRI) throws -> [HierarchyEntry] {
        try hierarchy(from: entity, upward: true)
    }

    /// The transitive subclasses of a class (named classes only), each at its shortest distance.
    public func subclasses(of entity: IRI) throws -> [HierarchyEntry] {
        try hierarchy(from: entity, upward: false)
    }

    private func hierarchy(from entity: IRI, upward: Bool) throws -> [HierarchyEntry] {
        let start = KnowledgeStore.termID(.iri(entity))
        let subClassOf = KnowledgeStore.termID(.iri(Vocabulary.RDFS.subClassOf))
        let (from, to) = upward ? ("s", "o") : ("o", "s")
        let sql = """
            WITH RECURSIVE closure(id, depth) AS (
                SELECT ?, 0
                UNION
                SELECT q.\(to), closure.depth + 1 FROM quads q JOIN closure ON q.\(from) = closure.id
                JOIN terms t ON t.id = q.\(to) AND t.kind = 0
                WHERE q.p = ? AND closure.depth < 200)
            SELECT t.value, min(closure.depth) FROM closure JOIN terms t ON t.id = closure.id
            WHERE closure.id != ? GROUP BY closure.id ORDER BY 2, 1
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: [start, subClassOf, start]).map {
                HierarchyEntry(iri: IRI($0[0]), depth: $0[1])
            }
        }
    }

    /// Existential restriction edges: `A rdfs:subClassOf [owl:onProperty R; owl:someValuesFrom B]` gives (A, R, B);
    /// so do restrictions inside `A owl:equivalentClass [owl:intersectionOf (...)]`, as OBO logical definitions write.
    ///
    /// - Parameters: `subject` limits to edges out of A, `object` to edges into B (nil: all edges).
    public func restrictionEdges(subject: IRI? = nil, object: IRI? = nil) throws -> [EntityEdge] {
        try read { db in try KnowledgeStore.restrictionEdges(db, subject: subject, object: object) }
    }

    static func restrictionEdges(_ db: Database, subject: IRI?, object: IRI?) throws -> [EntityEdge] {
        let ids = OntologyIDs()
        var filters: [String] = []
        var arguments: StatementArguments = [ids.subClassOf, ids.onProperty, ids.someValuesFrom,
                                             ids.equivalentClass, ids.intersectionOf, ids.rest, ids.first,
                                             ids.onProperty, ids.someValuesFrom]
        if let subject { filters.append("e.head = ?"); arguments += [KnowledgeStore.termID(.iri(subject))] }
        if let object { filters.append("e.tail = ?"); arguments += [KnowledgeStore.termID(.iri(object))] }
        let filter = filters.isEmpty ? "" : "WHERE " + filters.joined(separator: " AND ")
        let sql = """
            WITH RECURSIVE
            direct(head, relation, tail) AS (
                SELECT sc.s, op.o, sv.o FROM quads sc
                JOIN quads op ON op.s = sc.o AND op.p = ?2
                JOIN quads sv ON sv.s = sc.o AND sv.p = ?3
                WHERE sc.p = ?1),
            members(owner, node) AS (
                SELECT eq.s, io.o FROM quads eq JOIN quads io ON io.s = eq.o AND io.p = ?5 WHERE eq.p = ?4
                UNION
                SELECT members.owner, r.o FROM members JOIN quads r ON r.s = members.node AND r.p = ?6),
            defined(head, relation, tail) AS (
                SELECT members.owner, op.o, sv.o FROM members
                JOIN quads f ON f.s = members.node AND f.p = ?7
                JOIN quads op ON op.s = f.o AND op.p = ?8
                JOIN quads sv ON sv.s = f.o AND sv.p = ?9),
            edges(head, relation, tail) AS (SELECT * FROM direct UNION SELECT * FROM defined)
            SELECT DISTINCT th.value, tr.value, tt.value FROM edges e
            JOIN terms th ON th.id = e.head AND th.kind = 0
            JOIN terms tr ON tr.id = e.relation AND tr.kind = 0
            JOIN terms tt ON tt.id = e.tail AND tt.kind = 0
            \(filter)
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { EntityEdge(head: $0[0], relation: $0[1], tail: $0[2]) }
    }

    /// The entity-graph view the embeddings train on: named entities and the edges between them.
    ///
    /// Edges are: rdf:type from a named individual to a named class; rdfs:subClassOf between named classes (also the
    /// named members of an owl:intersectionOf equivalent class); object-property assertions between named
    /// entities (the property declared an owl:ObjectProperty); and existential restriction edges
    /// (see `restrictionEdges`). Deprecated classes (owl:deprecated true) are left out.
    public func entityGraph(graphIRI: String? = nil) throws -> [EntityEdge] {
        try read { db in
            let ids = OntologyIDs()
            let graphFilter = graphIRI == nil ? "" : "AND q.g = (SELECT id FROM graphs WHERE iri = :graph)"
            var arguments: [String: (any DatabaseValueConvertible)?] = [
                "type": ids.type, "subClassOf": ids.subClassOf, "objectProperty": ids.objectProperty,
                "owlClass": ids.owlClass, "equivalentClass": ids.equivalentClass, "intersectionOf": ids.intersectionOf,
                "rest": ids.rest, "first": ids.first,
            ]
            if let graphIRI { arguments["graph"] = graphIRI }
            let sql = """
                WITH RECURSIVE
                members(owner, node) AS (
                    SELECT eq.s, io.o FROM quads eq JOIN quads io ON io.s = eq.o AND io.p = :intersectionOf WHERE eq.p = :equivalentClass
                    UNION
                    SELECT members.owner, r.o FROM members JOIN quads r ON r.s = members.node AND r.p = :rest),
                edges(head, relation, tail) AS (
                    SELECT q.s, q.p, q.o FROM quads q
                    WHERE q.p = :type AND q.o IN (SELECT s FROM quads WHERE p = :type AND o = :owlClass) \(graphFilter)
                    UNION
                    SELECT q.s, q.p, q.o FROM quads q WHERE q.p = :subClassOf \(graphFilter)
                    UNION
                    SELECT q.s, q.p, q.o FROM quads q
                    WHERE q.p IN (SELECT s FROM quads WHERE p = :type AND o = :objectProperty) \(graphFilter)
                    UNION
                    SELECT members.owner, :subClassOf, f.o FROM members JOIN quads f ON f.s = members.node AND f.p = :first)
                SELECT DISTINCT th.value, tr.value, tt.value FROM edges e
                JOIN terms th ON th.id = e.head AND th.kind = 0
                JOIN terms tr ON tr.id = e.relation AND tr.kind = 0
                JOIN terms tt ON tt.id = e.tail AND tt.kind = 0
                """
            var edges = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                EntityEdge(head: $0[0], relation: $0[1], tail: $0[2])
            }
            edges += try KnowledgeStore.restrictionEdges(db, subject: nil, object: nil)
            let deprecated = Set(try String.fetchAll(db, sql: """
                SELECT ts.value FROM quads q JOIN terms ts ON ts.id = q.s JOIN terms tv ON tv.id = q.o
                WHERE q.p = ? AND tv.value IN ('true', '1')
                """, arguments: [ids.deprecated]))
            var seen = Set<EntityEdge>()
            return edges.filter { !deprecated.contains($0.head) && !deprecated.contains($0.tail) && seen.insert($0).inserted }
        }
    }
}

/// Term ids of the OWL/RDFS vocabulary the ontology queries use.
struct OntologyIDs {
    let type = KnowledgeStore.termID(.iri(Vocabulary.RDF.type))
    let first = KnowledgeStore.termID(.iri(Vocabulary.RDF.first))
    let rest = KnowledgeStore.termID(.iri(Vocabulary.RDF.rest))
    let subClassOf = KnowledgeStore.termID(.iri(Vocabulary.RDFS.subClassOf))
    let onProperty = KnowledgeStore.termID(.iri(Vocabulary.OWL.onProperty))
    let someValuesFrom = KnowledgeStore.termID(.iri(Vocabulary.OWL.someValuesFrom))
    let equivalentClass = KnowledgeStore.termID(.iri(Vocabulary.OWL.equivalentClass))
    let intersectionOf = KnowledgeStore.termID(.iri(Vocabulary.OWL.intersectionOf))
    let objectProperty = KnowledgeStore.termID(.iri(Vocabulary.OWL.objectProperty))
    let owlClass = KnowledgeStore.termID(.iri(Vocabulary.OWL.class))
    let deprecated = KnowledgeStore.termID(.iri(Vocabulary.OWL.deprecated))
}
