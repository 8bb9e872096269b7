import Foundation
import KnowledgeStore
import RDF
import Rules
import Testing

/// Every fact a run stores has a stored derivation, and the proof rebuilt from the store reaches asserted facts.
@Suite("Derivation completeness on a real ontology")
struct DerivationCompletenessTests {
    typealias S = StoreReasoningSupport

    @Test("wine.rdf under RDFS and OWL 2 RL: every inferred fact rebuilds from asserted facts", arguments: [ReasoningProfile.rdfs, .owlRL])
    func wine(profile: ReasoningProfile) throws {
        let path = S.shared.appendingPathComponent("ontologies/wine/wine.rdf").path
        try #require(FileManager.default.fileExists(atPath: path), "wine.rdf not found at \(path)")
        let store = try S.temporaryStore("wine-\(profile.rawValue)")
        _ = try store.loadFile(at: path)
        let result = try Materializer(profile: profile).materialize(store)
        #expect(result.inferredTriples > 1_000)
        #expect(try store.underivedFactCount(graphIRI: result.graphIRI) == 0)
        let box = LineBox()
        let factsBox = GraphCollector()
        try store.forEachTriple(graphIRI: result.graphIRI) { factsBox.insert($0) }
        _ = box
        #expect(factsBox.graph.count == result.inferredTriples)
        // Walk the first stored derivation of each fact (the one that derived it first, so its premises were known
        // earlier): it must bottom out in asserted facts without revisiting a fact.
        var grounded: [Triple: Bool] = [:]
        func ground(_ fact: Triple, path: inout Set<Triple>) throws -> Bool {
            if let known = grounded[fact] { return known }
            if try !store.assertedGraphs(containing: fact).isEmpty { grounded[fact] = true; return true }
            guard path.insert(fact).inserted else { return false }
            defer { path.remove(fact) }
            guard let first = try store.derivations(of: fact).first else { grounded[fact] = false; return false }
            var ok = true
            for premise in first.premises where try !ground(premise, path: &path) { ok = false; break }
            grounded[fact] = ok
            return ok
        }
        var failures: [Triple] = []
        for fact in factsBox.graph.triples {
            var path: Set<Triple> = []
            if try !ground(fact, path: &path) { failures.append(fact) }
        }
        #expect(failures.isEmpty, "\(failures.count) facts do not rebuild, e.g. \(failures.prefix(3))")
        // Each fact is also explained by StoredProof with at least one derivation.
        for fact in factsBox.graph.triples.prefix(200) {
            guard case .derived(_, let branches) = try StoredProof.tree(for: fact, in: store, maximumDepth: 2) else {
                Issue.record("no proof tree for \(fact)"); continue
            }
            #expect(!branches.isEmpty)
        }
        // Every firing of the run is in the log, and every stored derivation's rule fired in it.
        let logged = try store.firings(run: result.runID)
        #expect(logged.count == result.firings)
        #expect(Set(result.countsByRule.map(\.rule)) == Set(logged.map(\.firing.rule)))
        #expect(try store.verifyAuditLog().isIntact)
    }
}
