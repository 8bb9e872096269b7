import Foundation
import KnowledgeStore
import RDF
import Rules
import Testing

/// The family ontology (Ontologies/family/family.owl): SWRL rules read from RDF/XML, materialised into the store,
/// explained from stored derivations.
@Suite("Family ontology reasoning on the store")
struct FamilyReasoningTests {
    typealias S = StoreReasoningSupport

    func loadedStore(_ label: String) throws -> KnowledgeStore {
        let store = try S.temporaryStore(label)
        _ = try store.loadFile(at: S.familyOntology)
        return store
    }

    @Test("the three swrl:Imp rules are read from the RDF/XML, with differentFrom, a data property and a built-in")
    func importsRules() throws {
        let store = try loadedStore("family-import")
        let box = GraphCollector()
        try store.forEachTriple(includeInferred: false) { box.insert($0) }
        let rules = try SWRLImport.rules(from: box.graph)
        #expect(rules.map(\.id) == ["adultRule", "siblingRule", "uncleRule"])
        let uncle = try #require(rules.first { $0.id == "uncleRule" })
        let differentFrom = Term.iri(Vocabulary.OWL.namespace + "differentFrom")
        #expect(uncle.body.count == 5)
        #expect(uncle.body.last == .triple(TripleAtom(.variable("x"), .constant(differentFrom), .variable("u"))))
        #expect(uncle.head == [TripleAtom(.variable("p"), .constant(S.fam("hasUncle")), .variable("u"))])
        #expect(uncle.description == "uncle: The brother of a parent is an uncle.")
        let adult = try #require(rules.first { $0.id == "adultRule" })
        let eighteen = Term.literal(Literal("18", datatype: Vocabulary.XSD.integer))
        #expect(adult.body.last == .builtIn(name: SWRLVocabulary.builtInNamespace + "greaterThanOrEqual",
                                             arguments: [.variable("a"), .constant(eighteen)]))
    }

    @Test("reason stores hasUncle(ann, carl) and Adult(bob), and not what the rules must not derive")
    func materialises() throws {
        let store = try loadedStore("family-reason")
        let result = try Materializer(profile: .owlRL).materialize(store)
        #expect(result.ontologyRules == 3)
        #expect(result.inconsistencies.isEmpty)
        func holds(_ s: String, _ p: Term, _ o: Term) throws -> Bool {
            !(try store.match(TriplePattern(.term(S.fam(s)), .term(p), .term(o)), graphIRI: result.graphIRI)).isEmpty
        }
        #expect(try holds("ann", S.fam("hasUncle"), S.fam("carl")))
        #expect(try !holds("ann", S.fam("hasUncle"), S.fam("dora")))  // dora is not a Man
        #expect(try !holds("ann", S.fam("hasUncle"), S.fam("bob")))   // bob differentFrom bob is not asserted
        #expect(try holds("bob", S.type, S.fam("Adult")))
        #expect(try !holds("ann", S.type, S.fam("Adult")))            // 12 < 18
        let perRule = Dictionary(uniqueKeysWithValues: result.countsByRule.map { ($0.rule, $0.newFacts) })
        #expect(perRule["uncleRule"] == 1)
        #expect(perRule["adultRule"] == 1)
        #expect(try store.underivedFactCount(graphIRI: result.graphIRI) == 0)
        // The export without --asserted includes the inferred graph; with it, not.
        let everything = LineBox(), asserted = LineBox()
        try store.forEachTriple(includeInferred: true) { everything.append(NTriplesWriter.line($0)) }
        try store.forEachTriple(includeInferred: false) { asserted.append(NTriplesWriter.line($0)) }
        let uncleLine = NTriplesWriter.line(Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl")))
        #expect(everything.lines.contains(uncleLine))
        #expect(!asserted.lines.contains(uncleLine))
        #expect(everything.lines.count == asserted.lines.count + result.inferredTriples)
    }

    @Test("explain: hasUncle(ann, carl) by uncleRule, Person(ann) by prp-dom, hasSibling(bob, carl) two ways")
    func proofTree() throws {
        let store = try loadedStore("family-explain")
        // Keep every derivation (the default keeps the first one per fact).
        var materializer = Materializer(profile: .owlRL)
        materializer.maximumDerivationsPerFact = nil
        _ = try materializer.materialize(store)
        let uncle = Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl"))
        guard case .derived(let root, let branches) = try StoredProof.tree(for: uncle, in: store, maximumDepth: 6) else {
            Issue.record("hasUncle(ann, carl) has no stored derivation"); return
        }
        #expect(root == uncle)
        #expect(branches.map(\.ruleID) == ["uncleRule"])
        let premises = try #require(branches.first).premises
        #expect(premises.map(\.fact) == [
            Triple(S.fam("ann"), S.type, S.fam("Person")), Triple(S.fam("ann"), S.fam("hasParent"), S.fam("bob")),
            Triple(S.fam("bob"), S.fam("hasSibling"), S.fam("carl")), Triple(S.fam("carl"), S.type, S.fam("Man")),
            Triple(S.fam("bob"), .iri(Vocabulary.OWL.namespace + "differentFrom"), S.fam("carl")),
        ])
        // Person(ann): derived from the domain of hasParent.
        guard case .derived(_, let personBranches) = premises[0] else { Issue.record("Person(ann) is not derived"); return }
        #expect(personBranches.map(\.ruleID) == ["prp-dom"])
        #expect(personBranches[0].premises.allSatisfy { if case .asserted = $0 { return true } else { return false } })
        // hasSibling(bob, carl): every derivation, the SWRL rule's and the symmetric property's.
        guard case .derived(_, let siblingBranches) = premises[2] else { Issue.record("hasSibling(bob, carl) is not derived"); return }
        #expect(Set(siblingBranches.map(\.ruleID)) == ["siblingRule", "prp-symp"])
        // The other premises are asserted, in the family graph.
        for index in [1, 3, 4] {
            guard case .asserted(let fact) = premises[index] else { Issue.record("premise \(index) is not a leaf"); continue }
            #expect(try StoredProof.leaf(fact, in: store, depth: 1, maximumDepth: 6)
                    == .asserted(graphs: [KnowledgeStore.defaultGraphIRI(forPath: S.familyOntology)]))
        }
        // A depth limit of 1 cuts Person(ann) to a leaf that is derived, not asserted.
        guard case .derived(_, let shallow) = try StoredProof.tree(for: uncle, in: store, maximumDepth: 1) else { Issue.record("no tree"); return }
        guard case .asserted(let cut) = shallow[0].premises[0] else { Issue.record("depth 1 expanded Person(ann)"); return }
        #expect(try StoredProof.leaf(cut, in: store, depth: 1, maximumDepth: 1) == .depthLimit)
        #expect(try StoredProof.tree(for: Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("dora")), in: store) == nil)
    }

    @Test("a second reason run replaces the inferred graph: same facts, derivations not duplicated")
    func rerun() throws {
        let store = try loadedStore("family-rerun")
        let first = try Materializer(profile: .owlRL).materialize(store)
        let derivationsAfterFirst = try store.derivationCount(graphIRI: first.graphIRI)
        let second = try Materializer(profile: .owlRL).materialize(store)
        #expect(second.runID == first.runID + 1)
        #expect(second.inferredTriples == first.inferredTriples)
        #expect(try store.derivationCount(graphIRI: second.graphIRI) == derivationsAfterFirst)
        // uncleRule only, from run 2 only: the cyclic prp-spo1 / prp-eqp1 / prp-eqp2 derivations (hasUncle ⊑ hasUncle,
        // ≡ hasUncle) have the fact itself as a premise, and the materialiser does not store self-premised derivations.
        let uncleDerivations = try store.derivations(of: Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl")))
        #expect(uncleDerivations.map(\.run) == [second.runID])
        #expect(uncleDerivations.map(\.rule) == ["uncleRule"])
    }

    @Test("overlay: a case's facts and a flag rule reason with the store; asserted graphs stay byte-identical")
    func overlay() throws {
        let store = try loadedStore("family-overlay")
        let before = try S.assertedLines(store)
        let graphsBefore = try store.graphs()
        let rules = try RuleParser(documentName: "case.rules", defaultNamespace: S.family).parse("""
            [id: minor, action: flag, severity: high] Person(?p) ^ hasAge(?p, ?a) ^ swrlb:lessThan(?a, 18) -> Minor(?p)
            [id: needs-person, action: require] Patient(?p) -> Person(?p)
            [id: needs-adult, action: require, severity: critical] Patient(?p) -> Adult(?p)
            """)
        let eve = S.fam("eve")
        let caseTriples = [Triple(eve, S.fam("hasParent"), S.fam("bob")),
                           Triple(eve, S.fam("hasAge"), .literal(Literal("9", datatype: Vocabulary.XSD.integer))),
                           Triple(eve, S.type, S.fam("Patient"))]
        let run = AuditRun(kind: "diagnose", caseSHA256: KnowledgeStore.sha256(of: "eve"), modelSHA256: KnowledgeStore.sha256(of: "model"),
                           ontology: [], rulesetSHA256: nil, output: "{\"answer\":\"none\"}")
        let result = try Materializer(profile: .owlRL, extraRules: rules).overlay(store, caseTriples: caseTriples, run: run)
        #expect(result.derived.contains(Triple(eve, S.fam("hasUncle"), S.fam("carl"))))
        #expect(!result.derived.contains(Triple(S.fam("ann"), S.fam("hasUncle"), S.fam("carl"))))  // not case-dependent
        let flagged = Set(result.firings.filter { $0.ruleID == "minor" }.flatMap(\.conclusion).map(\.subject))
        #expect(flagged == [eve, S.fam("ann")])
        #expect(result.firings.filter { $0.ruleID == "needs-person" }.map(\.satisfied) == [true])  // by the domain of hasParent
        #expect(result.firings.filter { $0.ruleID == "needs-adult" }.map(\.satisfied) == [false])
        #expect(try S.assertedLines(store) == before)
        #expect(try store.graphs() == graphsBefore)
        #expect(try store.match(TriplePattern(.term(eve), .variable("p"), .variable("o"))).isEmpty)
        let runID = try #require(result.runID)
        let stored = try #require(try store.runs(id: runID).first)
        #expect(stored.run.kind == "diagnose")
        #expect(stored.run.ontology.map(\.graph) == graphsBefore.map(\.iri))
        #expect(stored.run.rulesetSHA256?.count == 64)
        #expect(try store.firings(run: runID).count == result.firings.count)
        #expect(try store.verifyAuditLog() == .intact(runs: 1, firings: result.firings.count))
    }
}

/// Collects triples from the store's reader into an in-memory graph.
final class GraphCollector: @unchecked Sendable {
    var graph = InMemoryGraph()
    func insert(_ triple: Triple) { graph.insert(triple) }
}
