import RDF
import Rules
import Testing

@Suite("Rule parser")
struct RuleParserTests {
    let ex = "http://example.org/family#"

    @Test("the Protégé uncle rule parses into a class atom, property atoms and a head")
    func protegeRule() throws {
        let rules = try RuleParser(documentName: "family.rules", defaultNamespace: ex)
            .parse("Person(?p) ^ hasParent(?p, ?x) ^ hasBrother(?x, ?u) -> hasUncle(?p, ?u)")
        let rule = try #require(rules.first)
        #expect(rules.count == 1)
        #expect(rule.id == "family.rules#1")
        #expect(rule.action == .derive)
        #expect(rule.body == [
            .triple(TripleAtom(.variable("p"), .constant(.iri(Vocabulary.RDF.type)), .constant(.iri(ex + "Person")))),
            .triple(TripleAtom(.variable("p"), .constant(.iri(ex + "hasParent")), .variable("x"))),
            .triple(TripleAtom(.variable("x"), .constant(.iri(ex + "hasBrother")), .variable("u"))),
        ])
        #expect(rule.head == [TripleAtom(.variable("p"), .constant(.iri(ex + "hasUncle")), .variable("u"))])
    }

    @Test("prefixes, comments, headers, literals, built-ins, sameAs and differentFrom")
    func fullSyntax() throws {
        let text = """
            # family rules
            @prefix ex: <http://example.org/family#> .
            prefix x: <http://example.org/other#>
            [id: adult, description: "18 or older", severity: low, action: flag]
            ex:Person(?p) ^ ex:age(?p, ?a) ^ swrlb:greaterThanOrEqual(?a, 18) ^ ex:name(?p, "Ann"@en)
                ^ ex:score(?p, "2.5"^^xsd:decimal) ^ ex:ok(?p, true) ^ sameAs(?p, ?q) ^ differentFrom(?q, x:b)
                -> ex:Adult(?p) .
            [id:r2,severity:high] -> ex:Thing(<http://example.org/a>)
            """
        let rules = try RuleParser(documentName: "f.rules").parse(text)
        #expect(rules.map(\.id) == ["adult", "r2"])
        let rule = rules[0]
        #expect(rule.description == "18 or older")
        #expect(rule.severity == .low)
        #expect(rule.action == .flag)
        #expect(rule.location == SourceLocation(file: "f.rules", line: 4, column: 1))
        #expect(rule.body.count == 8)
        #expect(rule.body[2] == .builtIn(name: SWRLVocabulary.builtInNamespace + "greaterThanOrEqual",
                                         arguments: [.variable("a"), .constant(.literal(Literal("18", datatype: Vocabulary.XSD.integer)))]))
        #expect(rule.body[3] == .triple(TripleAtom(.variable("p"), .constant(.iri(ex + "name")), .constant(.literal(Literal("Ann", language: "en"))))))
        #expect(rule.body[4] == .triple(TripleAtom(.variable("p"), .constant(.iri(ex + "score")), .constant(.literal(Literal("2.5", datatype: Vocabulary.XSD.decimal))))))
        #expect(rule.body[5] == .triple(TripleAtom(.variable("p"), .constant(.iri(ex + "ok")), .constant(.literal(Literal("true", datatype: Vocabulary.XSD.boolean))))))
        #expect(rule.body[6] == .triple(TripleAtom(.variable("p"), .constant(.iri(Vocabulary.OWL.sameAs)), .variable("q"))))
        #expect(rule.body[7] == .triple(TripleAtom(.variable("q"), .constant(.iri(Vocabulary.OWL.namespace + "differentFrom")), .constant(.iri("http://example.org/other#b")))))
        #expect(rules[1].body.isEmpty)
        #expect(rules[1].severity == .high)
        #expect(rules[1].head == [TripleAtom(.constant(.iri("http://example.org/a")), .constant(.iri(Vocabulary.RDF.type)), .constant(.iri(ex + "Thing")))])
    }

    @Test("not(...), variable predicates and a false head")
    func extensions() throws {
        let rules = try RuleParser(defaultNamespace: ex).parse("""
            Person(?p) ^ not(Adult(?p) ^ hasGuardian(?p, ?g)) -> Minor(?p)
            rdfs:subPropertyOf(?a, ?b) ^ ?a(?x, ?y) -> ?b(?x, ?y)
            Adult(?p) ^ Minor(?p) -> false
            """)
        #expect(rules.count == 3)
        guard case .negation(let inner) = rules[0].body[1] else { Issue.record("expected not(...)"); return }
        #expect(inner.count == 2)
        #expect(rules[1].head == [TripleAtom(.variable("x"), .variable("b"), .variable("y"))])
        #expect(rules[2].concludesFalse)
        #expect(rules[2].head.isEmpty)
    }

    @Test("a built-in registered by a pack is called by its name, without declaring the prefix")
    func packBuiltIn() throws {
        let registry = BuiltInRegistry()
        registry.register("pack:peakNear") { _ in true }
        let rules = try RuleParser(defaultNamespace: ex, builtIns: registry).parse("Fault(?f) ^ pack:peakNear(?f, 162.2) -> Confirmed(?f)")
        #expect(rules[0].body[1] == .builtIn(name: "pack:peakNear", arguments: [.variable("f"), .constant(.literal(Literal("162.2", datatype: Vocabulary.XSD.decimal)))]))
    }

    struct BadRule: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { message }
    }

    static let badRules: [BadRule] = [
        BadRule(text: "A(?x) ^ B(?x) C(?x)", line: 1, column: 15, message: "expected '->'"),
        BadRule(text: "A(?x)\n  -> foo:B(?x)", line: 2, column: 6, message: "undefined prefix 'foo:'"),
        BadRule(text: "A(?x) ^ swrlb:bigger(?x, 3) -> B(?x)", line: 1, column: 9, message: "unknown built-in 'swrlb:bigger'"),
        BadRule(text: "[id: r1, colour: red] A(?x) -> B(?x)", line: 1, column: 10, message: "unknown header key 'colour'"),
        BadRule(text: "[severity: extreme] A(?x) -> B(?x)", line: 1, column: 12, message: "unknown severity 'extreme'"),
        BadRule(text: "[id: r1] A(?x) -> B(?x)\n[id: r1] A(?x) -> C(?x)", line: 2, column: 1, message: "duplicate rule id 'r1'"),
        BadRule(text: "A(?x) -> B(?x, \"unterminated)", line: 1, column: 16, message: "unterminated string literal"),
        BadRule(text: "A(?x, ?y, ?z) -> B(?x)", line: 1, column: 1, message: "has 3 arguments"),
        BadRule(text: "A(?x) ^ $ -> B(?x)", line: 1, column: 9, message: "unexpected character '$'"),
    ]

    @Test("syntax errors carry file, line, column and say what is wrong", arguments: badRules)
    func syntaxErrors(_ bad: BadRule) throws {
        let error = try #require(throws: RuleSyntaxError.self) {
            _ = try RuleParser(documentName: "bad.rules", defaultNamespace: ex).parse(bad.text)
        }
        #expect(error.file == "bad.rules")
        #expect(error.line == bad.line)
        #expect(error.column == bad.column)
        #expect(error.message.contains(bad.message), "\(error)")
    }

    @Test("a head variable that the body does not bind is rejected")
    func unsafeHead() throws {
        let error = try #require(throws: RuleProgramError.self) {
            _ = try RuleParser(documentName: "u.rules", defaultNamespace: ex).parse("[id: leak] A(?x) -> R(?x, ?y)")
        }
        #expect(error.ruleIDs == ["leak"])
        #expect(error.message.contains("?y"))
        #expect(error.location?.line == 1)
    }
}
