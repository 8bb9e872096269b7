import RDF
import Rules
import Testing

@Suite("Reasoner")
struct ReasonerTests {
    static let ex = "http://example.org/family#"
    func iri(_ local: String) -> Term { .iri(ReasonerTests.ex + local) }
    func type(_ subject: String, _ classLocal: String) -> Triple { Triple(iri(subject), .iri(Vocabulary.RDF.type), iri(classLocal)) }
    func fact(_ s: String, _ p: String, _ o: String) -> Triple { Triple(iri(s), iri(p), iri(o)) }
    func integer(_ value: Int) -> Term { .literal(Literal(String(value), datatype: Vocabulary.XSD.integer)) }

    func program(_ text: String, builtIns: BuiltInRegistry = BuiltInRegistry()) throws -> RuleProgram {
        RuleProgram(name: "test", rules: try RuleParser(documentName: "test.rules", defaultNamespace: ReasonerTests.ex, builtIns: builtIns).parse(text))
    }

    func run(_ programs: [RuleProgram], _ facts: [Triple], builtIns: BuiltInRegistry = BuiltInRegistry(),
             sink: (any FiringSink)? = nil) throws -> Reasoner {
        let reasoner = try Reasoner(programs: programs, builtIns: builtIns)
        try reasoner.load(InMemoryGraph(facts))
        _ = try reasoner.run(sink: sink)
        return reasoner
    }

    @Test("the uncle rule derives hasUncle and records the three premises behind it")
    func uncle() throws {
        let rules = try program("[id: uncle] Person(?p) ^ hasParent(?p, ?x) ^ hasBrother(?x, ?u) -> hasUncle(?p, ?u)")
        let reasoner = try run([rules], [type("ann", "Person"), fact("ann", "hasParent", "bob"), fact("bob", "hasBrother", "carl"),
                                         fact("dan", "hasParent", "bob")])
        let conclusion = fact("ann", "hasUncle", "carl")
        #expect(reasoner.contains(conclusion))
        #expect(!reasoner.contains(fact("dan", "hasUncle", "carl")))  // dan is not a Person
        #expect(reasoner.derivedTriples == [conclusion])
        #expect(reasoner.derivations(of: conclusion) == [Derivation(ruleID: "uncle", premises: [
            type("ann", "Person"), fact("ann", "hasParent", "bob"), fact("bob", "hasBrother", "carl")])])
        guard case .derived(let root, let branches) = reasoner.proofTree(for: conclusion) else { Issue.record("no proof tree"); return }
        #expect(root == conclusion)
        #expect(branches.count == 1)
        #expect(branches.first?.premises.map(\.fact) == [type("ann", "Person"), fact("ann", "hasParent", "bob"), fact("bob", "hasBrother", "carl")])
    }

    @Test("semi-naive evaluation finds every derivation exactly once: a chain of n gives C(n,3) for transitivity")
    func transitiveChain() throws {
        let rules = try program("[id: trans] ancestor(?x, ?y) ^ ancestor(?y, ?z) -> ancestor(?x, ?z)")
        let n = 30
        let chain = (0..<(n - 1)).map { fact("n\($0)", "ancestor", "n\($0 + 1)") }
        let reasoner = try Reasoner(programs: [rules])
        try reasoner.load(InMemoryGraph(chain))
        let summary = try reasoner.run()
        // Closure: every pair i < j; derived = n(n-1)/2 - (n-1). Derivations: one per i < k < j (the middle node).
        #expect(summary.derivedFacts == n * (n - 1) / 2 - (n - 1))
        #expect(summary.derivations == n * (n - 1) * (n - 2) / 6)
        #expect(reasoner.derivations(of: fact("n0", "ancestor", "n29")).count == 28)
        #expect(reasoner.derivations(of: fact("n0", "ancestor", "n2")) == [Derivation(ruleID: "trans", premises: [fact("n0", "ancestor", "n1"), fact("n1", "ancestor", "n2")])])
        #expect(summary.rounds <= 7)  // the path length doubles each round: ⌈log2(29)⌉ + 2
    }

    @Test("negation is stratified: Adult is complete before not(Adult(?p)) is read")
    func stratifiedNegation() throws {
        let rules = try program("""
            [id: minor] Person(?p) ^ not(Adult(?p)) -> Minor(?p)
            [id: adult] Person(?p) ^ age(?p, ?a) ^ swrlb:greaterThanOrEqual(?a, 18) -> Adult(?p)
            """)
        let reasoner = try Reasoner(programs: [rules])
        #expect(reasoner.strataCounts == [2])
        try reasoner.load(InMemoryGraph([type("ann", "Person"), Triple(iri("ann"), iri("age"), integer(40)),
                                         type("tim", "Person"), Triple(iri("tim"), iri("age"), integer(9))]))
        _ = try reasoner.run()
        #expect(reasoner.contains(type("ann", "Adult")))
        #expect(!reasoner.contains(type("ann", "Minor")))
        #expect(reasoner.contains(type("tim", "Minor")))
        #expect(!reasoner.contains(type("tim", "Adult")))
    }

    @Test("a program with negation in a cycle is rejected, naming the rules of the cycle")
    func unstratifiable() throws {
        let rules = try program("""
            [id: a] Thing(?x) ^ not(Blue(?x)) -> Red(?x)
            [id: b] Red(?x) -> Warm(?x)
            [id: c] Warm(?x) -> Blue(?x)
            [id: d] Thing(?x) -> Known(?x)
            """)
        let error = try #require(throws: RuleProgramError.self) { _ = try Reasoner(programs: [rules]) }
        #expect(Set(error.ruleIDs) == ["a", "b", "c"])
        #expect(error.message.contains("cannot be stratified"))
    }

    @Test("class-level stratification: negating one class does not clash with deriving another")
    func classLevelKeys() throws {
        let rules = try program("""
            [id: x] A(?x) ^ not(B(?x)) -> C(?x)
            [id: y] C(?x) -> D(?x)
            """)
        #expect(try Reasoner(programs: [rules]).strataCounts == [1])
    }

    @Test("arithmetic binds its first argument; string built-ins test")
    func builtIns() throws {
        let rules = try program("""
            [id: next] age(?p, ?a) ^ swrlb:add(?b, ?a, 1) -> ageNextYear(?p, ?b)
            [id: half] age(?p, ?a) ^ swrlb:divide(?h, ?a, 4) -> quarterAge(?p, ?h)
            [id: label] name(?p, ?n) ^ swrlb:stringConcat(?l, "Dr. ", ?n) ^ swrlb:startsWith(?l, "Dr. A") -> title(?p, ?l)
            [id: check] age(?p, ?a) ^ swrlb:subtract(30, ?a, 10) -> Thirty(?p)
            [id: match] name(?p, ?n) ^ swrlb:matches(?n, "^a.n$", "i") -> Matched(?p)
            """)
        let reasoner = try run([rules], [Triple(iri("ann"), iri("age"), integer(40)), Triple(iri("ann"), iri("name"), .literal(Literal("Ann"))),
                                         Triple(iri("bo"), iri("name"), .literal(Literal("Bo")))])
        #expect(reasoner.contains(Triple(iri("ann"), iri("ageNextYear"), integer(41))))
        #expect(reasoner.contains(Triple(iri("ann"), iri("quarterAge"), .literal(Literal("10.0", datatype: Vocabulary.XSD.decimal)))))
        #expect(reasoner.contains(Triple(iri("ann"), iri("title"), .literal(Literal("Dr. Ann")))))
        #expect(reasoner.triples(subject: iri("bo"), predicate: iri("title")).isEmpty)
        #expect(reasoner.contains(type("ann", "Thirty")))
        #expect(reasoner.contains(type("ann", "Matched")))
        #expect(!reasoner.contains(type("bo", "Matched")))
    }

    @Test("flag, veto and require report firings on the final closure and assert nothing")
    func actions() throws {
        let rules = try program("""
            [id: adult] age(?p, ?a) ^ swrlb:greaterThanOrEqual(?a, 18) -> Adult(?p)
            [id: flag-old, severity: low, action: flag] age(?p, ?a) ^ swrlb:greaterThan(?a, 65) -> Senior(?p)
            [id: veto-child, severity: high, action: veto] predicted(?p, ?c) ^ not(Adult(?p)) -> rejected(?p, ?c)
            [id: need-consent, action: require] Adult(?p) ^ predicted(?p, ?c) -> consented(?p, ?c)
            """)
        let collector = FiringCollector()
        let reasoner = try run([rules], [Triple(iri("ann"), iri("age"), integer(70)), Triple(iri("tim"), iri("age"), integer(9)),
                                         fact("ann", "predicted", "flu"), fact("tim", "predicted", "flu"), fact("ann", "consented", "flu")],
                               sink: collector)
        let byRule = Dictionary(grouping: reasoner.firings, by: \.ruleID)
        #expect(byRule["flag-old"]?.map(\.conclusion) == [[type("ann", "Senior")]])
        #expect(byRule["flag-old"]?.first?.severity == .low)
        #expect(!reasoner.contains(type("ann", "Senior")))
        #expect(byRule["veto-child"]?.map(\.conclusion) == [[fact("tim", "rejected", "flu")]])
        #expect(byRule["veto-child"]?.first?.action == .veto)
        #expect(byRule["veto-child"]?.first?.bindings == ["p": iri("tim"), "c": iri("flu")])
        #expect(byRule["need-consent"]?.map(\.satisfied) == [true])
        #expect(collector.firings.filter { $0.ruleID == "adult" }.count == 1)
        #expect(collector.newFacts == [type("ann", "Adult")])
        #expect(collector.firings.count == 4)
    }

    @Test("a domain built-in registered from Swift is called with the bound arguments")
    func domainBuiltIn() throws {
        let registry = BuiltInRegistry()
        registry.register("pack:peakNear") { args in
            guard case .literal(let peak) = args[0], case .literal(let target) = args[1],
                  let p = Double(peak.lexicalForm), let t = Double(target.lexicalForm) else { return false }
            return abs(p - t) <= 0.05 * t
        }
        let rules = try program("""
            [id: race] RaceFault(?f) ^ peak(?f, ?hz) ^ expected(?f, ?bpfo) ^ pack:peakNear(?hz, ?bpfo) -> Supported(?f)
            """, builtIns: registry)
        let decimal = { (text: String) in Term.literal(Literal(text, datatype: Vocabulary.XSD.decimal)) }
        let reasoner = try run([rules], [type("f1", "RaceFault"), Triple(iri("f1"), iri("peak"), decimal("160.1")), Triple(iri("f1"), iri("expected"), decimal("162.2")),
                                         type("f2", "RaceFault"), Triple(iri("f2"), iri("peak"), decimal("120.0")), Triple(iri("f2"), iri("expected"), decimal("162.2"))],
                               builtIns: registry)
        #expect(reasoner.contains(type("f1", "Supported")))
        #expect(!reasoner.contains(type("f2", "Supported")))
    }

    @Test("an unregistered built-in name in a compiled program is an error naming the rule")
    func unregisteredBuiltIn() throws {
        let registry = BuiltInRegistry()
        registry.register("pack:check") { _ in true }
        let rules = try program("[id: uses-check] A(?x) ^ pack:check(?x) -> B(?x)", builtIns: registry)
        let error = try #require(throws: RuleProgramError.self) { _ = try Reasoner(programs: [rules], builtIns: BuiltInRegistry()) }
        #expect(error.ruleIDs == ["uses-check"])
    }

    @Test("layers: a pack with negation runs on top of OWL 2 RL; in one layer it cannot be stratified")
    func layers() throws {
        let pack = try program("[id: unconfirmed] Diagnosis(?d) ^ not(Confirmed(?d)) -> Unconfirmed(?d)")
        #expect(throws: RuleProgramError.self) { _ = try Reasoner(programs: [try RuleProgram.owl2RL() + pack]) }
        let ontology = [Triple(iri("Flu"), .iri(Vocabulary.RDFS.subClassOf), iri("Diagnosis")), type("d1", "Flu"), type("d2", "Flu"), type("d2", "Confirmed")]
        let reasoner = try run([try RuleProgram.owl2RL(), pack], ontology)
        #expect(reasoner.contains(type("d1", "Unconfirmed")))
        #expect(!reasoner.contains(type("d2", "Unconfirmed")))
    }

    @Test("without variable predicates only the predicates the rules read are loaded")
    func selectiveLoad() throws {
        let rules = try program("[id: r] hasParent(?x, ?y) -> hasChild(?y, ?x)")
        let reasoner = try Reasoner(programs: [rules])
        let read = try reasoner.load(InMemoryGraph([fact("a", "hasParent", "b"), fact("a", "likes", "c"), type("a", "Person")]))
        #expect(read == 1)
        #expect(reasoner.factCount == 1)
    }
}
