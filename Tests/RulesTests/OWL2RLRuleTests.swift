import RDF
import Rules
import Testing

/// One OWL 2 RL rule with a premise set where it fires and one where it must not.
struct OWL2RLRuleCase: Sendable, CustomTestStringConvertible {
    /// The rule id (OWL 2 Profiles §4.3).
    let rule: String
    /// Premises (Turtle, prefixes `:`, rdf, rdfs, owl, xsd predeclared) where the rule fires.
    let fires: String
    /// The conclusion (ground Turtle), or nil for a `false` rule (an inconsistency).
    let conclusion: String?
    /// Premises where the rule must not fire.
    let silent: String
    /// What must not be concluded from `silent` (default: `conclusion`).
    var silentConclusion: String? = nil
    /// Needs the datatype rules (`owl2RL(datatypes: true)`).
    var datatypes: Bool { rule.hasPrefix("dt-") && rule != "dt-type1" }

    var testDescription: String { rule }
}

@Suite("OWL 2 RL rules, one by one")
struct OWL2RLRuleTests {
    static let prefixes = """
        @prefix : <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

        """

    /// Conclusions about literals (generalized triples) cannot be written in Turtle: `:LTn` stands for these literals.
    static let literalPlaceholders: [Term: Term] = [
        .iri("http://example.org/LT1"): .literal(Literal("42", datatype: Vocabulary.XSD.integer)),
        .iri("http://example.org/LT2"): .literal(Literal("300", datatype: IRI(Vocabulary.XSD.namespace + "byte"))),
        .iri("http://example.org/LT3"): .literal(Literal("42.0", datatype: Vocabulary.XSD.decimal)),
        .iri("http://example.org/LT4"): .literal(Literal("42.0e0", datatype: Vocabulary.XSD.double)),
        .iri("http://example.org/LT5"): .literal(Literal("43", datatype: Vocabulary.XSD.integer)),
    ]

    static let cases: [OWL2RLRuleCase] = [
        // Table 4: equality
        .init(rule: "eq-ref", fires: ":a :p :b .", conclusion: ":a owl:sameAs :a . :p owl:sameAs :p . :b owl:sameAs :b .", silent: ":c :p :b .", silentConclusion: ":a owl:sameAs :a ."),
        .init(rule: "eq-sym", fires: ":a owl:sameAs :b .", conclusion: ":b owl:sameAs :a .", silent: ":a owl:differentFrom :b ."),
        .init(rule: "eq-trans", fires: ":a owl:sameAs :b . :b owl:sameAs :c .", conclusion: ":a owl:sameAs :c .", silent: ":a owl:sameAs :b . :c owl:sameAs :d ."),
        .init(rule: "eq-rep-s", fires: ":a owl:sameAs :b . :a :p :o .", conclusion: ":b :p :o .", silent: ":a owl:differentFrom :b . :a :p :o ."),
        .init(rule: "eq-rep-p", fires: ":p owl:sameAs :q . :a :p :o .", conclusion: ":a :q :o .", silent: ":p rdfs:seeAlso :q . :a :p :o ."),
        .init(rule: "eq-rep-o", fires: ":o owl:sameAs :o2 . :a :p :o .", conclusion: ":a :p :o2 .", silent: ":o :near :o2 . :a :p :o ."),
        .init(rule: "eq-diff1", fires: ":a owl:sameAs :b . :a owl:differentFrom :b .", conclusion: nil, silent: ":a owl:sameAs :b . :a owl:differentFrom :c ."),
        .init(rule: "eq-diff2", fires: "[] a owl:AllDifferent ; owl:members (:a :b :c) . :a owl:sameAs :c .", conclusion: nil,
              silent: "[] a owl:AllDifferent ; owl:members (:a :b) . :a owl:sameAs :c ."),
        .init(rule: "eq-diff3", fires: "[] a owl:AllDifferent ; owl:distinctMembers (:a :b :c) . :b owl:sameAs :c .", conclusion: nil,
              silent: "[] a owl:AllDifferent ; owl:distinctMembers (:a :b) . :b owl:sameAs :c ."),
        // Table 5: properties
        .init(rule: "prp-ap", fires: "", conclusion: "rdfs:label a owl:AnnotationProperty . owl:deprecated a owl:AnnotationProperty .", silent: "",
              silentConclusion: "rdfs:subClassOf a owl:AnnotationProperty ."),
        .init(rule: "prp-dom", fires: ":p rdfs:domain :C . :x :p :y .", conclusion: ":x a :C .", silent: ":p rdfs:domain :C . :x :q :y ."),
        .init(rule: "prp-rng", fires: ":p rdfs:range :C . :x :p :y .", conclusion: ":y a :C .", silent: ":p rdfs:range :C . :x :q :y ."),
        .init(rule: "prp-fp", fires: ":p a owl:FunctionalProperty . :x :p :y1 , :y2 .", conclusion: ":y1 owl:sameAs :y2 .",
              silent: ":p a owl:FunctionalProperty . :x :p :y1 . :x2 :p :y2 ."),
        .init(rule: "prp-ifp", fires: ":p a owl:InverseFunctionalProperty . :x1 :p :y . :x2 :p :y .", conclusion: ":x1 owl:sameAs :x2 .",
              silent: ":p a owl:InverseFunctionalProperty . :x1 :p :y1 . :x2 :p :y2 ."),
        .init(rule: "prp-irp", fires: ":p a owl:IrreflexiveProperty . :x :p :x .", conclusion: nil, silent: ":p a owl:IrreflexiveProperty . :x :p :y ."),
        .init(rule: "prp-symp", fires: ":p a owl:SymmetricProperty . :x :p :y .", conclusion: ":y :p :x .", silent: ":p a owl:TransitiveProperty . :x :p :y ."),
        .init(rule: "prp-asyp", fires: ":p a owl:AsymmetricProperty . :x :p :y . :y :p :x .", conclusion: nil, silent: ":p a owl:AsymmetricProperty . :x :p :y ."),
        .init(rule: "prp-trp", fires: ":p a owl:TransitiveProperty . :x :p :y . :y :p :z .", conclusion: ":x :p :z .",
              silent: ":p a owl:SymmetricProperty . :x :p :y . :y :p :z ."),
        .init(rule: "prp-spo1", fires: ":p rdfs:subPropertyOf :q . :x :p :y .", conclusion: ":x :q :y .", silent: ":q rdfs:subPropertyOf :p . :x :p :y ."),
        .init(rule: "prp-spo2", fires: ":r owl:propertyChainAxiom (:p :q) . :x :p :y . :y :q :z .", conclusion: ":x :r :z .",
              silent: ":r owl:propertyChainAxiom (:p :q) . :x :p :y . :w :q :z ."),
        .init(rule: "prp-eqp1", fires: ":p owl:equivalentProperty :q . :x :p :y .", conclusion: ":x :q :y .", silent: ":p rdfs:seeAlso :q . :x :p :y ."),
        .init(rule: "prp-eqp2", fires: ":p owl:equivalentProperty :q . :x :q :y .", conclusion: ":x :p :y .", silent: ":p rdfs:seeAlso :q . :x :q :y ."),
        .init(rule: "prp-pdw", fires: ":p owl:propertyDisjointWith :q . :x :p :y . :x :q :y .", conclusion: nil,
              silent: ":p owl:propertyDisjointWith :q . :x :p :y . :x :q :z ."),
        .init(rule: "prp-adp", fires: "[] a owl:AllDisjointProperties ; owl:members (:p :q :r) . :x :p :y . :x :r :y .", conclusion: nil,
              silent: "[] a owl:AllDisjointProperties ; owl:members (:p :q :r) . :x :p :y . :x :r :z ."),
        .init(rule: "prp-inv1", fires: ":p owl:inverseOf :q . :x :p :y .", conclusion: ":y :q :x .", silent: ":p owl:inverseOf :q . :x :r :y ."),
        .init(rule: "prp-inv2", fires: ":p owl:inverseOf :q . :x :q :y .", conclusion: ":y :p :x .", silent: ":p owl:inverseOf :q . :x :r :y .",
              silentConclusion: ":y :p :x ."),
        .init(rule: "prp-key", fires: ":C owl:hasKey (:k :m) . :a a :C ; :k :v ; :m 1 . :b a :C ; :k :v ; :m 1 .", conclusion: ":a owl:sameAs :b .",
              silent: ":C owl:hasKey (:k :m) . :a a :C ; :k :v ; :m 1 . :b a :C ; :k :v ; :m 2 ."),
        .init(rule: "prp-npa1", fires: "[] owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetIndividual :b . :a :p :b .", conclusion: nil,
              silent: "[] owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetIndividual :b . :a :p :c ."),
        .init(rule: "prp-npa2", fires: "[] owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetValue 5 . :a :p 5 .", conclusion: nil,
              silent: "[] owl:sourceIndividual :a ; owl:assertionProperty :p ; owl:targetValue 5 . :a :p 6 ."),
        // Table 6: classes
        .init(rule: "cls-thing", fires: "", conclusion: "owl:Thing a owl:Class .", silent: "", silentConclusion: ":Foo a owl:Class ."),
        .init(rule: "cls-nothing1", fires: "", conclusion: "owl:Nothing a owl:Class .", silent: "", silentConclusion: ":Bar a owl:Class ."),
        .init(rule: "cls-nothing2", fires: ":x a owl:Nothing .", conclusion: nil, silent: ":x a owl:Thing ."),
        .init(rule: "cls-int1", fires: ":C owl:intersectionOf (:A :B) . :x a :A , :B .", conclusion: ":x a :C .", silent: ":C owl:intersectionOf (:A :B) . :x a :A ."),
        .init(rule: "cls-int2", fires: ":C owl:intersectionOf (:A :B) . :x a :C .", conclusion: ":x a :A , :B .", silent: ":C owl:unionOf (:A :B) . :x a :C ."),
        .init(rule: "cls-uni", fires: ":C owl:unionOf (:A :B) . :x a :B .", conclusion: ":x a :C .", silent: ":C owl:intersectionOf (:A :B) . :x a :B ."),
        .init(rule: "cls-com", fires: ":A owl:complementOf :B . :x a :A , :B .", conclusion: nil, silent: ":A owl:complementOf :B . :x a :A . :y a :B ."),
        .init(rule: "cls-svf1", fires: ":R owl:someValuesFrom :C ; owl:onProperty :p . :x :p :y . :y a :C .", conclusion: ":x a :R .",
              silent: ":R owl:someValuesFrom :C ; owl:onProperty :p . :x :p :y ."),
        .init(rule: "cls-svf2", fires: ":R owl:someValuesFrom owl:Thing ; owl:onProperty :p . :x :p :y .", conclusion: ":x a :R .",
              silent: ":R owl:someValuesFrom owl:Thing ; owl:onProperty :p . :x :q :y ."),
        .init(rule: "cls-avf", fires: ":R owl:allValuesFrom :C ; owl:onProperty :p . :x a :R ; :p :y .", conclusion: ":y a :C .",
              silent: ":R owl:allValuesFrom :C ; owl:onProperty :p . :x :p :y ."),
        .init(rule: "cls-hv1", fires: ":R owl:hasValue :v ; owl:onProperty :p . :x a :R .", conclusion: ":x :p :v .",
              silent: ":R owl:hasValue :v ; owl:onProperty :p . :x a :S ."),
        .init(rule: "cls-hv2", fires: ":R owl:hasValue :v ; owl:onProperty :p . :x :p :v .", conclusion: ":x a :R .",
              silent: ":R owl:hasValue :v ; owl:onProperty :p . :x :p :w ."),
        .init(rule: "cls-maxc1", fires: ":R owl:maxCardinality \"0\"^^xsd:nonNegativeInteger ; owl:onProperty :p . :x a :R ; :p :y .", conclusion: nil,
              silent: ":R owl:maxCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :p . :x a :R ; :p :y ."),
        .init(rule: "cls-maxc2", fires: ":R owl:maxCardinality \"1\"^^xsd:nonNegativeInteger ; owl:onProperty :p . :x a :R ; :p :y1 , :y2 .",
              conclusion: ":y1 owl:sameAs :y2 .", silent: ":R owl:maxCardinality 2 ; owl:onProperty :p . :x a :R ; :p :y1 , :y2 ."),
        .init(rule: "cls-maxqc1", fires: ":R owl:maxQualifiedCardinality 0 ; owl:onProperty :p ; owl:onClass :C . :x a :R ; :p :y . :y a :C .", conclusion: nil,
              silent: ":R owl:maxQualifiedCardinality 0 ; owl:onProperty :p ; owl:onClass :C . :x a :R ; :p :y ."),
        .init(rule: "cls-maxqc2", fires: ":R owl:maxQualifiedCardinality 0 ; owl:onProperty :p ; owl:onClass owl:Thing . :x a :R ; :p :y .", conclusion: nil,
              silent: ":R owl:maxQualifiedCardinality 0 ; owl:onProperty :p ; owl:onClass owl:Thing . :x a :R ; :q :y ."),
        .init(rule: "cls-maxqc3", fires: ":R owl:maxQualifiedCardinality 1 ; owl:onProperty :p ; owl:onClass :C . :x a :R ; :p :y1 , :y2 . :y1 a :C . :y2 a :C .",
              conclusion: ":y1 owl:sameAs :y2 .",
              silent: ":R owl:maxQualifiedCardinality 1 ; owl:onProperty :p ; owl:onClass :C . :x a :R ; :p :y1 , :y2 . :y1 a :C ."),
        .init(rule: "cls-maxqc4", fires: ":R owl:maxQualifiedCardinality 1 ; owl:onProperty :p ; owl:onClass owl:Thing . :x a :R ; :p :y1 , :y2 .",
              conclusion: ":y1 owl:sameAs :y2 .",
              silent: ":R owl:maxQualifiedCardinality 2 ; owl:onProperty :p ; owl:onClass owl:Thing . :x a :R ; :p :y1 , :y2 ."),
        .init(rule: "cls-oo", fires: ":C owl:oneOf (:a :b) .", conclusion: ":a a :C . :b a :C .", silent: ":C owl:unionOf (:a :b) ."),
        // Table 7: class axioms
        .init(rule: "cax-sco", fires: ":A rdfs:subClassOf :B . :x a :A .", conclusion: ":x a :B .", silent: ":B rdfs:subClassOf :A . :x a :A ."),
        .init(rule: "cax-eqc1", fires: ":A owl:equivalentClass :B . :x a :A .", conclusion: ":x a :B .", silent: ":A rdfs:seeAlso :B . :x a :A ."),
        .init(rule: "cax-eqc2", fires: ":A owl:equivalentClass :B . :x a :B .", conclusion: ":x a :A .", silent: ":A rdfs:seeAlso :B . :x a :B ."),
        .init(rule: "cax-dw", fires: ":A owl:disjointWith :B . :x a :A , :B .", conclusion: nil, silent: ":A owl:disjointWith :B . :x a :A . :y a :B ."),
        .init(rule: "cax-adc", fires: "[] a owl:AllDisjointClasses ; owl:members (:A :B :C) . :x a :A , :C .", conclusion: nil,
              silent: "[] a owl:AllDisjointClasses ; owl:members (:A :B :C) . :x a :A . :y a :C ."),
        // Table 8: datatypes
        .init(rule: "dt-type1", fires: "", conclusion: "xsd:integer a rdfs:Datatype . rdfs:Literal a rdfs:Datatype .", silent: "",
              silentConclusion: ":Foo a rdfs:Datatype ."),
        .init(rule: "dt-type2", fires: ":x :p 42 .", conclusion: ":LT1 a xsd:integer , xsd:decimal , xsd:byte , rdfs:Literal .",
              silent: ":x :p \"300\"^^xsd:byte .", silentConclusion: ":LT2 a xsd:byte ."),
        .init(rule: "dt-eq", fires: ":x :p 42 . :y :p 42.0 .", conclusion: ":LT1 owl:sameAs :LT3 .", silent: ":x :p 42 . :y :p 42.0e0 .",
              silentConclusion: ":LT1 owl:sameAs :LT4 ."),
        .init(rule: "dt-diff", fires: ":x owl:sameAs 42 . :y owl:sameAs 43 .", conclusion: ":LT1 owl:differentFrom :LT5 .",
              silent: ":x owl:sameAs 42 . :y owl:sameAs 42.0 .", silentConclusion: ":LT1 owl:differentFrom :LT3 ."),
        .init(rule: "dt-not-type", fires: ":p rdfs:range xsd:integer . :x :p \"abc\" .", conclusion: nil, silent: ":p rdfs:range xsd:integer . :x :p 7 ."),
        // Table 9: schema vocabulary
        .init(rule: "scm-cls", fires: ":A a owl:Class .", conclusion: ":A rdfs:subClassOf :A , owl:Thing ; owl:equivalentClass :A . owl:Nothing rdfs:subClassOf :A .",
              silent: ":A a rdfs:Class ."),
        .init(rule: "scm-sco", fires: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C .", conclusion: ":A rdfs:subClassOf :C .",
              silent: ":A rdfs:subClassOf :B . :C rdfs:subClassOf :B ."),
        .init(rule: "scm-eqc1", fires: ":A owl:equivalentClass :B .", conclusion: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :A .", silent: ":A owl:disjointWith :B ."),
        .init(rule: "scm-eqc2", fires: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :A .", conclusion: ":A owl:equivalentClass :B .", silent: ":A rdfs:subClassOf :B ."),
        .init(rule: "scm-op", fires: ":p a owl:ObjectProperty .", conclusion: ":p rdfs:subPropertyOf :p ; owl:equivalentProperty :p .", silent: ":p a rdf:Property ."),
        .init(rule: "scm-dp", fires: ":p a owl:DatatypeProperty .", conclusion: ":p rdfs:subPropertyOf :p ; owl:equivalentProperty :p .", silent: ":p a rdf:Property ."),
        .init(rule: "scm-spo", fires: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .", conclusion: ":p rdfs:subPropertyOf :r .",
              silent: ":p rdfs:subPropertyOf :q . :r rdfs:subPropertyOf :q ."),
        .init(rule: "scm-eqp1", fires: ":p owl:equivalentProperty :q .", conclusion: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p .", silent: ":p owl:inverseOf :q ."),
        .init(rule: "scm-eqp2", fires: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p .", conclusion: ":p owl:equivalentProperty :q .", silent: ":p rdfs:subPropertyOf :q ."),
        .init(rule: "scm-dom1", fires: ":p rdfs:domain :A . :A rdfs:subClassOf :B .", conclusion: ":p rdfs:domain :B .", silent: ":p rdfs:domain :A . :B rdfs:subClassOf :A ."),
        .init(rule: "scm-dom2", fires: ":q rdfs:domain :A . :p rdfs:subPropertyOf :q .", conclusion: ":p rdfs:domain :A .", silent: ":q rdfs:domain :A . :q rdfs:subPropertyOf :p ."),
        .init(rule: "scm-rng1", fires: ":p rdfs:range :A . :A rdfs:subClassOf :B .", conclusion: ":p rdfs:range :B .", silent: ":p rdfs:range :A . :B rdfs:subClassOf :A ."),
        .init(rule: "scm-rng2", fires: ":q rdfs:range :A . :p rdfs:subPropertyOf :q .", conclusion: ":p rdfs:range :A .", silent: ":q rdfs:range :A . :q rdfs:subPropertyOf :p ."),
        .init(rule: "scm-hv", fires: ":R1 owl:hasValue :v ; owl:onProperty :p . :R2 owl:hasValue :v ; owl:onProperty :q . :p rdfs:subPropertyOf :q .",
              conclusion: ":R1 rdfs:subClassOf :R2 .",
              silent: ":R1 owl:hasValue :v ; owl:onProperty :p . :R2 owl:hasValue :w ; owl:onProperty :q . :p rdfs:subPropertyOf :q ."),
        .init(rule: "scm-svf1", fires: ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :B ; owl:onProperty :p . :A rdfs:subClassOf :B .",
              conclusion: ":R1 rdfs:subClassOf :R2 .",
              silent: ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :B ; owl:onProperty :p . :B rdfs:subClassOf :A ."),
        .init(rule: "scm-svf2", fires: ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :A ; owl:onProperty :q . :p rdfs:subPropertyOf :q .",
              conclusion: ":R1 rdfs:subClassOf :R2 .",
              silent: ":R1 owl:someValuesFrom :A ; owl:onProperty :p . :R2 owl:someValuesFrom :A ; owl:onProperty :q . :q rdfs:subPropertyOf :p ."),
        .init(rule: "scm-avf1", fires: ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :B ; owl:onProperty :p . :A rdfs:subClassOf :B .",
              conclusion: ":R1 rdfs:subClassOf :R2 .",
              silent: ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :B ; owl:onProperty :p . :B rdfs:subClassOf :A ."),
        .init(rule: "scm-avf2", fires: ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :A ; owl:onProperty :q . :p rdfs:subPropertyOf :q .",
              conclusion: ":R2 rdfs:subClassOf :R1 .",
              silent: ":R1 owl:allValuesFrom :A ; owl:onProperty :p . :R2 owl:allValuesFrom :A ; owl:onProperty :q . :q rdfs:subPropertyOf :p ."),
        .init(rule: "scm-int", fires: ":C owl:intersectionOf (:A :B) .", conclusion: ":C rdfs:subClassOf :A , :B .", silent: ":C owl:unionOf (:A :B) ."),
        .init(rule: "scm-uni", fires: ":C owl:unionOf (:A :B) .", conclusion: ":A rdfs:subClassOf :C . :B rdfs:subClassOf :C .", silent: ":C owl:intersectionOf (:A :B) ."),
    ]

    func graph(_ text: String) throws -> [Triple] {
        let placeholders = OWL2RLRuleTests.literalPlaceholders
        return try TurtleParser(baseIRI: "http://example.org/", documentName: nil).triples(in: OWL2RLRuleTests.prefixes + text).map {
            Triple(placeholders[$0.subject] ?? $0.subject, $0.predicate, placeholders[$0.object] ?? $0.object)
        }
    }

    func close(_ text: String, _ testCase: OWL2RLRuleCase) throws -> Reasoner {
        try EntailmentSupport.close(try graph(text), programs: [try RuleProgram.owl2RL(equalityReflexivity: testCase.rule == "eq-ref", datatypes: testCase.datatypes)])
    }

    @Test("every OWL 2 RL rule of the engine has a case here")
    func coverage() throws {
        let covered = Set(OWL2RLRuleTests.cases.map(\.rule))
        let implemented = Set(try RuleProgram.owl2RL(equalityReflexivity: true, datatypes: true).ruleIDs)
        #expect(covered == implemented)
        #expect(implemented.count == 78)
    }

    @Test("fires on its premises, and the conclusion is derived by this rule", arguments: cases)
    func fires(_ testCase: OWL2RLRuleCase) throws {
        let reasoner = try close(testCase.fires, testCase)
        guard let conclusion = testCase.conclusion else {
            let clash = reasoner.inconsistencies.first { $0.ruleID == testCase.rule }
            #expect(clash != nil, "no inconsistency from \(testCase.rule)")
            #expect(clash.map { !$0.premises.isEmpty } ?? false, "an inconsistency must name the facts behind it")
            return
        }
        for triple in try graph(conclusion) {
            #expect(reasoner.contains(triple), "\(triple) not derived")
            #expect(reasoner.derivations(of: triple).contains { $0.ruleID == testCase.rule }, "\(triple) has no derivation by \(testCase.rule)")
        }
    }

    @Test("does not fire when a premise is missing or different", arguments: cases)
    func silent(_ testCase: OWL2RLRuleCase) throws {
        let reasoner = try close(testCase.silent, testCase)
        guard let conclusion = testCase.silentConclusion ?? testCase.conclusion else {
            #expect(!reasoner.inconsistencies.contains { $0.ruleID == testCase.rule })
            return
        }
        #expect(!EntailmentSupport.entails(reasoner, try graph(conclusion)))
    }
}
