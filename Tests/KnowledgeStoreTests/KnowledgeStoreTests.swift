import Foundation
import Hashing
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// Opens a store in a fresh temporary folder.
func makeStore() throws -> KnowledgeStore {
    try KnowledgeStore(path: TestPaths.temporaryDirectory("store").appendingPathComponent("kgfuse.sqlite").path)
}

let miniOntology = TestPaths.tests("Fixtures/mini-ontology.nt").path
let mini = "http://example.org/mini#"

@Suite("Knowledge store: loading")
struct LoadingTests {
    @Test("a load stores distinct triples with provenance, and loading again replaces the graph")
    func loadAndReplace() throws {
        let store = try makeStore()
        let first = try store.loadFile(at: miniOntology)
        #expect(first.triples == 33)
        #expect(first.replaced == false)
        let graphs = try store.graphs()
        #expect(graphs.count == 1)
        #expect(graphs[0].sha256 == (try SHA256.hex(ofFileAt: miniOntology)))
        #expect(graphs[0].source == miniOntology)
        #expect(graphs[0].iri == KnowledgeStore.defaultGraphIRI(forPath: miniOntology))

        let second = try store.loadFile(at: miniOntology)
        #expect(second.replaced)
        #expect(try store.totals().quads == 33)
        #expect(try store.graphs().count == 1)
    }

    @Test("the store file is in WAL mode")
    func walMode() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        #expect(FileManager.default.fileExists(atPath: store.path + "-wal"))
    }

    @Test("a document that fails to parse leaves the store exactly as it was")
    func failedLoadChangesNothing() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let before = try exportAll(store)
        let graphsBefore = try store.graphs()

        // A corrupted copy loaded into the same graph, and into a new one.
        var text = try String(contentsOfFile: miniOntology, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"Inner race fault\"@en .", with: "\"Inner race fault @en .")
        let broken = TestPaths.temporaryDirectory().appendingPathComponent("broken.nt").path
        try text.write(toFile: broken, atomically: true, encoding: .utf8)
        for graph in [KnowledgeStore.defaultGraphIRI(forPath: miniOntology), "http://example.org/other"] {
            do {
                _ = try store.loadFile(at: broken, graphIRI: graph)
                Issue.record("a corrupted document must not load")
            } catch let error as LoadError {
                let syntax = try #require(error.cause as? RDFSyntaxError)
                #expect(syntax.file == broken)
                #expect(syntax.line == 8)
                #expect("\(error)".contains("nothing was changed"))
            }
        }
        #expect(try exportAll(store) == before)
        #expect(try store.graphs() == graphsBefore)
    }

    @Test("readers keep reading the committed state while a large load runs")
    func readersDuringLoad() async throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let big = try bigDocument()
        let loader = Task.detached { try store.loadFile(at: big, graphIRI: "http://example.org/big") }
        var observed: Set<Int> = []
        var reads = 0
        while true {
            observed.insert(try store.totals().quads)
            reads += 1
            if reads > 3, await loaderFinished(loader) { break }
        }
        let summary = try await loader.value
        #expect(reads > 3)
        // Every read saw either the state before the load or after it: never a partial graph.
        #expect(observed.isSubset(of: [33, 33 + summary.triples]))
        #expect(try store.totals().quads == 33 + summary.triples)
    }
}

/// True once the task has completed (polls without blocking the reader for long).
func loaderFinished(_ task: Task<LoadSummary, any Error>) async -> Bool {
    try? await Task.sleep(nanoseconds: 2_000_000)
    return await withTaskGroup(of: Bool.self) { group in
        group.addTask { _ = try? await task.value; return true }
        group.addTask { try? await Task.sleep(nanoseconds: 1_000_000); return false }
        let first = await group.next() ?? false
        group.cancelAll()
        return first
    }
}

/// A 60,000-triple N-Triples document, written once per run.
func bigDocument() throws -> String {
    let path = TestPaths.temporaryDirectory().appendingPathComponent("big.nt").path
    var text = ""
    text.reserveCapacity(6_000_000)
    for i in 0..<20_000 {
        text += "<http://example.org/e\(i)> <http://www.w3.org/2000/01/rdf-schema#label> \"entity \(i)\" .\n"
        text += "<http://example.org/e\(i)> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://example.org/e\(i / 2)> .\n"
        text += "<http://example.org/e\(i)> <http://example.org/weight> \"\(i)\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// All stored triples as sorted N-Triples lines.
func exportAll(_ store: KnowledgeStore) throws -> [String] {
    let lines = LineCollector()
    try store.forEachTriple { lines.append(NTriplesWriter.line($0)) }
    return lines.sorted()
}

final class LineCollector: @unchecked Sendable {
    private var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
    func sorted() -> [String] { lines.sorted() }
}

@Suite("Knowledge store: queries")
struct QueryTests {
    @Test("triple patterns with constants, variables and a repeated variable")
    func patterns() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let prefixes = ["mini": mini].merging(Vocabulary.standardPrefixes) { a, _ in a }
        let subclasses = try store.match(TriplePattern.parse("?c rdfs:subClassOf mini:Fault", prefixes: prefixes))
        #expect(Set(subclasses.map(\.triple.subject)) == [.iri(mini + "BearingFault"), .iri(mini + "OldFault")])
        let typed = try store.match(TriplePattern.parse("mini:bearing6205 a ?class .", prefixes: prefixes))
        #expect(typed.map(\.triple.object) == [.iri(mini + "Bearing")])
        let integer = try store.match(TriplePattern.parse("?s mini:ballCount 9", prefixes: prefixes))
        #expect(integer.count == 1)
        let labelled = try store.match(TriplePattern.parse("?s rdfs:label \"Fault\"@en", prefixes: prefixes))
        #expect(labelled.map(\.triple.subject) == [.iri(mini + "Fault")])
        let selfLoops = try store.match(TriplePattern.parse("?x ?p ?x", prefixes: prefixes))
        #expect(selfLoops.isEmpty)
        #expect(throws: StoreError.self) { try TriplePattern.parse("?s nope:x ?o", prefixes: prefixes) }
        #expect(throws: StoreError.self) { try TriplePattern.parse("?s ?p", prefixes: prefixes) }
        #expect(throws: StoreError.self) { try TriplePattern.parse("?s \"lit\" ?o", prefixes: prefixes) }
    }

    @Test("labels, synonyms and the transitive subclass closure")
    func labelsAndHierarchy() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let labels = try store.labels(of: .iri(mini + "InnerRaceFault"))
        #expect(labels.map(\.text) == ["Inner race fault", "BPFI defect"])
        #expect(try store.preferredLabel(of: .iri(mini + "InnerRace")) == "inner race")
        let ancestors = try store.superclasses(of: IRI(mini + "InnerRaceFault"))
        #expect(ancestors == [HierarchyEntry(iri: IRI(mini + "BearingFault"), depth: 1), HierarchyEntry(iri: IRI(mini + "Fault"), depth: 2)])
        let descendants = try store.subclasses(of: IRI(mini + "Fault"))
        #expect(Set(descendants.map(\.iri.value)) == [mini + "BearingFault", mini + "InnerRaceFault", mini + "OldFault"])
        #expect(try store.resolveEntity("BPFI defect") == .iri(mini + "InnerRaceFault"))
    }

    @Test("the entity graph holds types, named subclass links, property assertions and restriction edges")
    func entityGraph() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology)
        let edges = Set(try store.entityGraph().map { "\($0.head.dropFirst(mini.count)) \($0.relation.split(separator: "#").last!) \($0.tail.dropFirst(mini.count))" })
        #expect(edges == [
            "BearingFault subClassOf Fault",
            "InnerRaceFault subClassOf BearingFault",
            "InnerRaceFault locatedIn InnerRace",
            "OuterRaceFault subClassOf BearingFault",
            "OuterRaceFault locatedIn OuterRace",
            "bearing6205 type Bearing",
            "bearing6205 locatedIn driveEnd",
        ])
        let incoming = try store.restrictionEdges(object: IRI(mini + "OuterRace"))
        #expect(incoming == [EntityEdge(head: mini + "OuterRaceFault", relation: mini + "locatedIn", tail: mini + "OuterRace")])
    }

    @Test("blank nodes of two documents stay apart")
    func blankNodeScoping() throws {
        let store = try makeStore()
        _ = try store.loadFile(at: miniOntology, graphIRI: "http://example.org/a")
        _ = try store.loadFile(at: miniOntology, graphIRI: "http://example.org/b")
        let restrictions = try store.match(TriplePattern(.variable("r"), .term(.iri(Vocabulary.OWL.onProperty)), .variable("p")))
        #expect(Set(restrictions.map(\.triple.subject)).count == 4)
        // 21 ground triples are shared; the 12 triples with blank nodes exist once per graph.
        #expect(try store.totals().distinctTriples == 21 + 2 * 12)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 test vectors")
    func vectors() {
        #expect(SHA256.hex(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
