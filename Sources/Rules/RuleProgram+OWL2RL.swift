import RDF

/// OWL 2 RL/RDF (OWL 2 Profiles §4.3, <https://www.w3.org/TR/owl2-profiles/#OWL_2_RL>): tables 4–9 as rules.
/// Rules over RDF lists (eq-diff2/3, prp-adp, prp-spo2, prp-key, cls-int1/2, cls-uni, cls-oo, cax-adc,
/// scm-int, scm-uni) are Swift-coded (`OWL2RLListRule`). Rules with `false` heads report inconsistencies.
/// Datatypes (table 8): dt-type1 always; dt-type2, dt-eq, dt-diff and dt-not-type (`DatatypeRule`) only with
/// `datatypes: true`, since they type every literal of the data (costly on large ontologies full of labels).
extension RuleProgram {
    /// The OWL 2 RL rules; `equalityReflexivity` adds eq-ref (`?s sameAs ?s` for every term), which multiplies facts;
    /// `datatypes` adds the literal rules dt-type2, dt-eq, dt-diff and dt-not-type.
    public static func owl2RL(equalityReflexivity: Bool = false, datatypes: Bool = false) throws -> RuleProgram {
        var text = owl2RLRulesText
        if equalityReflexivity { text += owl2RLEqualityReflexivityText }
        let rules = try RuleParser(documentName: "owl2-rl.rules").parse(text)
        var native: [any NativeRule] = OWL2RLListRule.Kind.allCases.map(OWL2RLListRule.init)
        if datatypes { native += [DatatypeRule.Kind.dtType2, .dtEq, .dtDiff, .dtNotType].map(DatatypeRule.init) }
        return RuleProgram(name: "owl2-rl", rules: rules, nativeRules: native)
    }

    static let owl2RLEqualityReflexivityText = """
        [id: eq-ref] ?p(?s, ?o) -> owl:sameAs(?s, ?s) ^ owl:sameAs(?p, ?p) ^ owl:sameAs(?o, ?o)

        """

    static let owl2RLRulesText = """
        # Table 4: equality
        [id: eq-sym] owl:sameAs(?x, ?y) -> owl:sameAs(?y, ?x)
        [id: eq-trans] owl:sameAs(?x, ?y) ^ owl:sameAs(?y, ?z) -> owl:sameAs(?x, ?z)
        [id: eq-rep-s] owl:sameAs(?s, ?s2) ^ ?p(?s, ?o) -> ?p(?s2, ?o)
        [id: eq-rep-p] owl:sameAs(?p, ?p2) ^ ?p(?s, ?o) -> ?p2(?s, ?o)
        [id: eq-rep-o] owl:sameAs(?o, ?o2) ^ ?p(?s, ?o) -> ?p(?s, ?o2)
        [id: eq-diff1, severity: high] owl:sameAs(?x, ?y) ^ owl:differentFrom(?x, ?y) -> false

        # Table 5: properties
        [id: prp-ap] -> rdf:type(rdfs:label, owl:AnnotationProperty) ^ rdf:type(rdfs:comment, owl:AnnotationProperty)
            ^ rdf:type(rdfs:seeAlso, owl:AnnotationProperty) ^ rdf:type(rdfs:isDefinedBy, owl:AnnotationProperty)
            ^ rdf:type(owl:deprecated, owl:AnnotationProperty) ^ rdf:type(owl:versionInfo, owl:AnnotationProperty)
            ^ rdf:type(owl:priorVersion, owl:AnnotationProperty) ^ rdf:type(owl:backwardCompatibleWith, owl:AnnotationProperty)
            ^ rdf:type(owl:incompatibleWith, owl:AnnotationProperty)
        [id: prp-dom] rdfs:domain(?p, ?c) ^ ?p(?x, ?y) -> rdf:type(?x, ?c)
        [id: prp-rng] rdfs:range(?p, ?c) ^ ?p(?x, ?y) -> rdf:type(?y, ?c)
        [id: prp-fp] rdf:type(?p, owl:FunctionalProperty) ^ ?p(?x, ?y1) ^ ?p(?x, ?y2) ^ swrlb:notEqual(?y1, ?y2) -> owl:sameAs(?y1, ?y2)
        [id: prp-ifp] rdf:type(?p, owl:InverseFunctionalProperty) ^ ?p(?x1, ?y) ^ ?p(?x2, ?y) ^ swrlb:notEqual(?x1, ?x2) -> owl:sameAs(?x1, ?x2)
        [id: prp-irp, severity: high] rdf:type(?p, owl:IrreflexiveProperty) ^ ?p(?x, ?x) -> false
        [id: prp-symp] rdf:type(?p, owl:SymmetricProperty) ^ ?p(?x, ?y) -> ?p(?y, ?x)
        [id: prp-asyp, severity: high] rdf:type(?p, owl:AsymmetricProperty) ^ ?p(?x, ?y) ^ ?p(?y, ?x) -> false
        [id: prp-trp] rdf:type(?p, owl:TransitiveProperty) ^ ?p(?x, ?y) ^ ?p(?y, ?z) -> ?p(?x, ?z)
        [id: prp-spo1] rdfs:subPropertyOf(?p1, ?p2) ^ ?p1(?x, ?y) -> ?p2(?x, ?y)
        [id: prp-eqp1] owl:equivalentProperty(?p1, ?p2) ^ ?p1(?x, ?y) -> ?p2(?x, ?y)
        [id: prp-eqp2] owl:equivalentProperty(?p1, ?p2) ^ ?p2(?x, ?y) -> ?p1(?x, ?y)
        [id: prp-pdw, severity: high] owl:propertyDisjointWith(?p1, ?p2) ^ ?p1(?x, ?y) ^ ?p2(?x, ?y) -> false
        [id: prp-inv1] owl:inverseOf(?p1, ?p2) ^ ?p1(?x, ?y) -> ?p2(?y, ?x)
        [id: prp-inv2] owl:inverseOf(?p1, ?p2) ^ ?p2(?x, ?y) -> ?p1(?y, ?x)
        [id: prp-npa1, severity: high] owl:sourceIndividual(?x, ?i1) ^ owl:assertionProperty(?x, ?p) ^ owl:targetIndividual(?x, ?i2)
            ^ ?p(?i1, ?i2) -> false
        [id: prp-npa2, severity: high] owl:sourceIndividual(?x, ?i) ^ owl:assertionProperty(?x, ?p) ^ owl:targetValue(?x, ?lt)
            ^ ?p(?i, ?lt) -> false

        # Table 6: classes
        [id: cls-thing] -> rdf:type(owl:Thing, owl:Class)
        [id: cls-nothing1] -> rdf:type(owl:Nothing, owl:Class)
        [id: cls-nothing2, severity: high] rdf:type(?x, owl:Nothing) -> false
        [id: cls-com, severity: high] owl:complementOf(?c1, ?c2) ^ rdf:type(?x, ?c1) ^ rdf:type(?x, ?c2) -> false
        [id: cls-svf1] owl:someValuesFrom(?x, ?y) ^ owl:onProperty(?x, ?p) ^ ?p(?u, ?v) ^ rdf:type(?v, ?y) -> rdf:type(?u, ?x)
        [id: cls-svf2] owl:someValuesFrom(?x, owl:Thing) ^ owl:onProperty(?x, ?p) ^ ?p(?u, ?v) -> rdf:type(?u, ?x)
        [id: cls-avf] owl:allValuesFrom(?x, ?y) ^ owl:onProperty(?x, ?p) ^ rdf:type(?u, ?x) ^ ?p(?u, ?v) -> rdf:type(?v, ?y)
        [id: cls-hv1] owl:hasValue(?x, ?y) ^ owl:onProperty(?x, ?p) ^ rdf:type(?u, ?x) -> ?p(?u, ?y)
        [id: cls-hv2] owl:hasValue(?x, ?y) ^ owl:onProperty(?x, ?p) ^ ?p(?u, ?y) -> rdf:type(?u, ?x)
        [id: cls-maxc1, severity: high] owl:maxCardinality(?x, ?n) ^ swrlb:equal(?n, 0) ^ owl:onProperty(?x, ?p) ^ rdf:type(?u, ?x)
            ^ ?p(?u, ?y) -> false
        [id: cls-maxc2] owl:maxCardinality(?x, ?n) ^ swrlb:equal(?n, 1) ^ owl:onProperty(?x, ?p) ^ rdf:type(?u, ?x)
            ^ ?p(?u, ?y1) ^ ?p(?u, ?y2) ^ swrlb:notEqual(?y1, ?y2) -> owl:sameAs(?y1, ?y2)
        [id: cls-maxqc1, severity: high] owl:maxQualifiedCardinality(?x, ?n) ^ swrlb:equal(?n, 0) ^ owl:onProperty(?x, ?p)
            ^ owl:onClass(?x, ?c) ^ rdf:type(?u, ?x) ^ ?p(?u, ?y) ^ rdf:type(?y, ?c) -> false
        [id: cls-maxqc2, severity: high] owl:maxQualifiedCardinality(?x, ?n) ^ swrlb:equal(?n, 0) ^ owl:onProperty(?x, ?p)
            ^ owl:onClass(?x, owl:Thing) ^ rdf:type(?u, ?x) ^ ?p(?u, ?y) -> false
        [id: cls-maxqc3] owl:maxQualifiedCardinality(?x, ?n) ^ swrlb:equal(?n, 1) ^ owl:onProperty(?x, ?p) ^ owl:onClass(?x, ?c)
            ^ rdf:type(?u, ?x) ^ ?p(?u, ?y1) ^ rdf:type(?y1, ?c) ^ ?p(?u, ?y2) ^ rdf:type(?y2, ?c) ^ swrlb:notEqual(?y1, ?y2)
            -> owl:sameAs(?y1, ?y2)
        [id: cls-maxqc4] owl:maxQualifiedCardinality(?x, ?n) ^ swrlb:equal(?n, 1) ^ owl:onProperty(?x, ?p) ^ owl:onClass(?x, owl:Thing)
            ^ rdf:type(?u, ?x) ^ ?p(?u, ?y1) ^ ?p(?u, ?y2) ^ swrlb:notEqual(?y1, ?y2) -> owl:sameAs(?y1, ?y2)

        # Table 7: class axioms
        [id: cax-sco] rdfs:subClassOf(?c1, ?c2) ^ rdf:type(?x, ?c1) -> rdf:type(?x, ?c2)
        [id: cax-eqc1] owl:equivalentClass(?c1, ?c2) ^ rdf:type(?x, ?c1) -> rdf:type(?x, ?c2)
        [id: cax-eqc2] owl:equivalentClass(?c1, ?c2) ^ rdf:type(?x, ?c2) -> rdf:type(?x, ?c1)
        [id: cax-dw, severity: high] owl:disjointWith(?c1, ?c2) ^ rdf:type(?x, ?c1) ^ rdf:type(?x, ?c2) -> false

        # Table 8: datatypes (dt-type1 only)
        [id: dt-type1] -> rdf:type(rdf:PlainLiteral, rdfs:Datatype) ^ rdf:type(rdf:XMLLiteral, rdfs:Datatype)
            ^ rdf:type(rdfs:Literal, rdfs:Datatype) ^ rdf:type(xsd:decimal, rdfs:Datatype) ^ rdf:type(xsd:integer, rdfs:Datatype)
            ^ rdf:type(xsd:nonNegativeInteger, rdfs:Datatype) ^ rdf:type(xsd:nonPositiveInteger, rdfs:Datatype)
            ^ rdf:type(xsd:positiveInteger, rdfs:Datatype) ^ rdf:type(xsd:negativeInteger, rdfs:Datatype)
            ^ rdf:type(xsd:long, rdfs:Datatype) ^ rdf:type(xsd:int, rdfs:Datatype) ^ rdf:type(xsd:short, rdfs:Datatype)
            ^ rdf:type(xsd:byte, rdfs:Datatype) ^ rdf:type(xsd:unsignedLong, rdfs:Datatype) ^ rdf:type(xsd:unsignedInt, rdfs:Datatype)
            ^ rdf:type(xsd:unsignedShort, rdfs:Datatype) ^ rdf:type(xsd:unsignedByte, rdfs:Datatype)
            ^ rdf:type(xsd:float, rdfs:Datatype) ^ rdf:type(xsd:double, rdfs:Datatype) ^ rdf:type(xsd:string, rdfs:Datatype)
            ^ rdf:type(xsd:normalizedString, rdfs:Datatype) ^ rdf:type(xsd:token, rdfs:Datatype) ^ rdf:type(xsd:language, rdfs:Datatype)
            ^ rdf:type(xsd:Name, rdfs:Datatype) ^ rdf:type(xsd:NCName, rdfs:Datatype) ^ rdf:type(xsd:NMTOKEN, rdfs:Datatype)
            ^ rdf:type(xsd:boolean, rdfs:Datatype) ^ rdf:type(xsd:hexBinary, rdfs:Datatype) ^ rdf:type(xsd:base64Binary, rdfs:Datatype)
            ^ rdf:type(xsd:anyURI, rdfs:Datatype) ^ rdf:type(xsd:dateTime, rdfs:Datatype) ^ rdf:type(xsd:dateTimeStamp, rdfs:Datatype)

        # Table 9: schema vocabulary
        [id: scm-cls] rdf:type(?c, owl:Class) -> rdfs:subClassOf(?c, ?c) ^ owl:equivalentClass(?c, ?c)
            ^ rdfs:subClassOf(?c, owl:Thing) ^ rdfs:subClassOf(owl:Nothing, ?c)
        [id: scm-sco] rdfs:subClassOf(?c1, ?c2) ^ rdfs:subClassOf(?c2, ?c3) -> rdfs:subClassOf(?c1, ?c3)
        [id: scm-eqc1] owl:equivalentClass(?c1, ?c2) -> rdfs:subClassOf(?c1, ?c2) ^ rdfs:subClassOf(?c2, ?c1)
        [id: scm-eqc2] rdfs:subClassOf(?c1, ?c2) ^ rdfs:subClassOf(?c2, ?c1) -> owl:equivalentClass(?c1, ?c2)
        [id: scm-op] rdf:type(?p, owl:ObjectProperty) -> rdfs:subPropertyOf(?p, ?p) ^ owl:equivalentProperty(?p, ?p)
        [id: scm-dp] rdf:type(?p, owl:DatatypeProperty) -> rdfs:subPropertyOf(?p, ?p) ^ owl:equivalentProperty(?p, ?p)
        [id: scm-spo] rdfs:subPropertyOf(?p1, ?p2) ^ rdfs:subPropertyOf(?p2, ?p3) -> rdfs:subPropertyOf(?p1, ?p3)
        [id: scm-eqp1] owl:equivalentProperty(?p1, ?p2) -> rdfs:subPropertyOf(?p1, ?p2) ^ rdfs:subPropertyOf(?p2, ?p1)
        [id: scm-eqp2] rdfs:subPropertyOf(?p1, ?p2) ^ rdfs:subPropertyOf(?p2, ?p1) -> owl:equivalentProperty(?p1, ?p2)
        [id: scm-dom1] rdfs:domain(?p, ?c1) ^ rdfs:subClassOf(?c1, ?c2) -> rdfs:domain(?p, ?c2)
        [id: scm-dom2] rdfs:domain(?p2, ?c) ^ rdfs:subPropertyOf(?p1, ?p2) -> rdfs:domain(?p1, ?c)
        [id: scm-rng1] rdfs:range(?p, ?c1) ^ rdfs:subClassOf(?c1, ?c2) -> rdfs:range(?p, ?c2)
        [id: scm-rng2] rdfs:range(?p2, ?c) ^ rdfs:subPropertyOf(?p1, ?p2) -> rdfs:range(?p1, ?c)
        [id: scm-hv] owl:hasValue(?c1, ?i) ^ owl:onProperty(?c1, ?p1) ^ owl:hasValue(?c2, ?i) ^ owl:onProperty(?c2, ?p2)
            ^ rdfs:subPropertyOf(?p1, ?p2) -> rdfs:subClassOf(?c1, ?c2)
        [id: scm-svf1] owl:someValuesFrom(?c1, ?y1) ^ owl:onProperty(?c1, ?p) ^ owl:someValuesFrom(?c2, ?y2) ^ owl:onProperty(?c2, ?p)
            ^ rdfs:subClassOf(?y1, ?y2) -> rdfs:subClassOf(?c1, ?c2)
        [id: scm-svf2] owl:someValuesFrom(?c1, ?y) ^ owl:onProperty(?c1, ?p1) ^ owl:someValuesFrom(?c2, ?y) ^ owl:onProperty(?c2, ?p2)
            ^ rdfs:subPropertyOf(?p1, ?p2) -> rdfs:subClassOf(?c1, ?c2)
        [id: scm-avf1] owl:allValuesFrom(?c1, ?y1) ^ owl:onProperty(?c1, ?p) ^ owl:allValuesFrom(?c2, ?y2) ^ owl:onProperty(?c2, ?p)
            ^ rdfs:subClassOf(?y1, ?y2) -> rdfs:subClassOf(?c1, ?c2)
        [id: scm-avf2] owl:allValuesFrom(?c1, ?y) ^ owl:onProperty(?c1, ?p1) ^ owl:allValuesFrom(?c2, ?y) ^ owl:onProperty(?c2, ?p2)
            ^ rdfs:subPropertyOf(?p1, ?p2) -> rdfs:subClassOf(?c2, ?c1)

        """
}
