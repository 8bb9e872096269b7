import Foundation
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// The quads live in sorted blocks read through the virtual table `quads`; these tests check its seeks against
/// plain scans, on real ontologies, and the migration of a store written by the v2 schema.
@Suite("Knowledge store: quad blocks")
struct QuadBlockTests {
    /// The triples of every graph, read with a full scan (no term bound).
    private func scan(_ store: KnowledgeStore) throws -> [String: Set<Triple>] {
        var result: [String: Set<Triple>] = [:]
        for graph in try store.graphs() {
            result[graph.iri] = Set(try store.match(TriplePattern(.variable("s"), .variable("p"), .variable("o")),
                                                    graphIRI: graph.iri).map(\.triple))
        }
        return result
    }

    @Test("every binding of s, p and o, in one graph or all, finds exactly what a full scan holds (BFO + DO cancer slim)")
    func seeksAgreeWithScans() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: TestPaths.sharedFile("ontologies/bfo/bfo.owl").path)
        _ = try store.loadFile(at: TestPaths.sharedFile("ontologies/doid-cancer-slim/DO_cancer_slim.owl").path)
        let byGraph = try scan(store)
        #expect(byGraph.count == 2)
        let all = byGraph.values.reduce(into: Set<Triple>()) { $0.formUnion($1) }
        #expect(try store.totals().quads == byGraph.values.map(\.count).reduce(0, +))
        // Sample triples spread over both graphs; each binding pattern of each must match the scan's answer.
        let everything = byGraph.flatMap { graph, triples in triples.map { (graph, $0) } }
            .sorted { ($0.0, $0.1.description) < ($1.0, $1.1.description) }
        // Scan-side indexes, so the expected answers are cheap to compute.
        var bySubject: [Term: [Triple]] = [:], byPredicate: [Term: [Triple]] = [:], byObject: [Term: [Triple]] = [:]
        for triple in all {
            bySubject[triple.subject, default: []].append(triple)
            byPredicate[triple.predicate, default: []].append(triple)
            byObject[triple.object, default: []].append(triple)
        }
        let stride = max(1, everything.count / 60)
        var checked = 0
        for index in Swift.stride(from: 0, to: everything.count, by: stride) {
            let (graph, triple) = everything[index]
            for mask in 1..<8 {
                let subject: PatternTerm = mask & 1 != 0 ? .term(triple.subject) : .variable("s")
                let predicate: PatternTerm = mask & 2 != 0 ? .term(triple.predicate) : .variable("p")
                let object: PatternTerm = mask & 4 != 0 ? .term(triple.object) : .variable("o")
                let pattern = TriplePattern(subject, predicate, object)
                func expected(_ triples: Set<Triple>) -> Set<Triple> {
                    let candidates = mask & 1 != 0 ? bySubject[triple.subject]! : mask & 4 != 0 ? byObject[triple.object]! : byPredicate[triple.predicate]!
                    return Set(candidates.filter { candidate in
                        triples.contains(candidate)
                            && (mask & 1 == 0 || candidate.subject == triple.subject)
                            && (mask & 2 == 0 || candidate.predicate == triple.predicate)
                            && (mask & 4 == 0 || candidate.object == triple.object)
                    })
                }
                let inGraph = Set(try store.match(pattern, graphIRI: graph).map(\.triple))
                #expect(inGraph == expected(byGraph[graph]!), "pattern \(pattern) in <\(graph)>")
                let anywhere = Set(try store.match(pattern).map(\.triple))
                #expect(anywhere == expected(all), "pattern \(pattern) in all graphs")
                checked += 1
            }
        }
        #expect(checked >= 7 * 60)
        // A term that is in no graph matches nothing, in every position.
        let absent = Term.iri(IRI("http://example.org/absent"))
        #expect(try store.match(TriplePattern(.term(absent), .variable("p"), .variable("o"))).isEmpty)
        #expect(try store.match(TriplePattern(.variable("s"), .term(absent), .variable("o"))).isEmpty)
        #expect(try store.match(TriplePattern(.variable("s"), .variable("p"), .term(absent))).isEmpty)
    }

    @Test("a store written by the v2 schema (quads table) opens with the same graphs, quads and audit log")
    func migratesVersionTwoStore() throws {
        let folder = TestPaths.temporaryDirectory("migration")
        let path = folder.appendingPathComponent("store-v2.sqlite").path
        try FileManager.default.copyItem(atPath: TestPaths.tests("Fixtures/store-v2.sqlite").path, toPath: path)
        // Before opening: the v2 layout, with a real `quads` table of 330 rows.
        #expect(try SQLiteShell.run(path, "SELECT count(*) FROM quads").output.trimmingCharacters(in: .whitespacesAndNewlines) == "330")

        let store = try KnowledgeStore(path: path)
        let graphs = try store.graphs()
        #expect(graphs.map(\.iri) == ["urn:test:family", "urn:test:mini", "urn:kgfuse:inferred:owl-rl"])
        #expect(try store.totals().quads == 330)
        #expect(try SQLiteShell.run(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'quads'").output
            .trimmingCharacters(in: .whitespacesAndNewlines) == "0")

        // The asserted graphs equal fresh loads of their sources.
        let fresh = try makeStore()
        _ = try fresh.loadFile(at: TestPaths.repositoryRoot.appendingPathComponent("Ontologies/family/family.owl").path, graphIRI: "urn:test:family")
        _ = try fresh.loadFile(at: TestPaths.tests("Fixtures/mini-ontology.nt").path, format: .ntriples, graphIRI: "urn:test:mini")
        let migrated = try scan(store), loaded = try scan(fresh)
        for iri in ["urn:test:family", "urn:test:mini"] {
            // Blank nodes are scoped by graph id, which the two stores share (1 and 2).
            #expect(migrated[iri] == loaded[iri], "graph <\(iri)>")
        }
        // The inferred graph kept its 144 facts, each with its derivation, and the audit log still verifies.
        #expect(migrated["urn:kgfuse:inferred:owl-rl"]?.count == 144)
        #expect(try store.derivationCount(graphIRI: "urn:kgfuse:inferred:owl-rl") == 144)
        #expect(try store.underivedFactCount(graphIRI: "urn:kgfuse:inferred:owl-rl") == 0)
        #expect(try store.verifyAuditLog().isIntact)
    }

    @Test("a graph too large for one block is split over blocks, and replacing it leaves no block behind")
    func blocksSplitAndReplace() throws {
        let store = try makeStore()
        let path = TestPaths.sharedFile("ontologies/bfo/bfo.owl").path
        let first = try store.loadFile(at: path)
        #expect(first.triples > 2_000)
        let blockRows = { () throws -> Int in
            Int(try SQLiteShell.run(store.path, "SELECT count(*) FROM quad_blocks").output
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let rowsAfterFirst = try blockRows()
        #expect(rowsAfterFirst > 3)  // more than one block per index order
        let second = try store.loadFile(at: path)
        #expect(second.replaced)
        #expect(try blockRows() == rowsAfterFirst)
        #expect(try store.totals().quads == first.triples)
        #expect(try store.dropGraph(iri: second.graphIRI))
        #expect(try blockRows() == 0)
        #expect(try store.totals().quads == 0)
    }
}
