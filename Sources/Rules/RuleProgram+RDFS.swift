import RDF

/// RDFS entailment (RDF 1.1 Semantics §9.2, <https://www.w3.org/TR/rdf11-mt/#rdfs-entailment>) as rules:
/// rdfD2 and rdfs1–rdfs13, plus the RDF and RDFS axiomatic triples (§8.1, §9.1); the infinitely many
/// `rdf:_n` axioms are added for the `rdf:_n` that occur in the data.
extension RuleProgram {
    /// The RDFS entailment rules; `axioms: false` leaves out the axiomatic triples and rdfs4a/4b (`rdfs:Resource`).
    ///
    /// `recognizedDatatypes` turns RDFS into RDFS-D entailment (RDF 1.1 Semantics §7, §9) for those of
    /// `DataValue`'s datatypes (plus rdf:langString): rdfD1 types each literal of a recognized datatype with every
    /// recognized datatype whose value space holds its value; an ill-typed literal (`rdfD-ill-typed`) and a literal
    /// typed with a recognized datatype that cannot hold its value (`rdfD-value-clash`) are inconsistencies.
    public static func rdfs(axioms: Bool = true, recognizedDatatypes: [IRI] = []) throws -> RuleProgram {
        var text = rdfsRulesText
        if axioms { text += rdfsAxiomsText }
        var native: [any NativeRule] = []
        if !recognizedDatatypes.isEmpty {
            let datatypes = recognizedDatatypes.map(\.value)
            native = [DatatypeRule(.dtType2, id: "rdfD1", datatypes: datatypes),
                      DatatypeRule(.illTyped, id: "rdfD-ill-typed", datatypes: datatypes),
                      DatatypeRule(.dtNotType, id: "rdfD-value-clash", datatypes: datatypes)]
        }
        return RuleProgram(name: "rdfs", rules: try RuleParser(documentName: "rdfs.rules").parse(text), nativeRules: native)
    }

    static let rdfsRulesText = """
        prefix kgfuse: <urn:kgfuse:rules#>
        [id: rdfD2, description: "every predicate is a property"]
            ?p(?x, ?y) -> rdf:type(?p, rdf:Property)
        [id: rdfs1, description: "the recognized datatypes (xsd:string and rdf:langString) are datatypes"]
            -> rdf:type(xsd:string, rdfs:Datatype) ^ rdf:type(rdf:langString, rdfs:Datatype)
        [id: rdfs2, description: "domain"]
            rdfs:domain(?a, ?x) ^ ?a(?u, ?y) -> rdf:type(?u, ?x)
        [id: rdfs3, description: "range"]
            rdfs:range(?a, ?x) ^ ?a(?u, ?v) -> rdf:type(?v, ?x)
        [id: rdfs5, description: "subPropertyOf is transitive"]
            rdfs:subPropertyOf(?u, ?v) ^ rdfs:subPropertyOf(?v, ?x) -> rdfs:subPropertyOf(?u, ?x)
        [id: rdfs6, description: "every property is a subproperty of itself"]
            rdf:type(?u, rdf:Property) -> rdfs:subPropertyOf(?u, ?u)
        [id: rdfs7, description: "subproperty inheritance"]
            rdfs:subPropertyOf(?a, ?b) ^ ?a(?u, ?y) -> ?b(?u, ?y)
        [id: rdfs8, description: "every class is a subclass of rdfs:Resource"]
            rdf:type(?u, rdfs:Class) -> rdfs:subClassOf(?u, rdfs:Resource)
        [id: rdfs9, description: "subclass membership"]
            rdfs:subClassOf(?u, ?x) ^ rdf:type(?v, ?u) -> rdf:type(?v, ?x)
        [id: rdfs10, description: "every class is a subclass of itself"]
            rdf:type(?u, rdfs:Class) -> rdfs:subClassOf(?u, ?u)
        [id: rdfs11, description: "subClassOf is transitive"]
            rdfs:subClassOf(?u, ?v) ^ rdfs:subClassOf(?v, ?x) -> rdfs:subClassOf(?u, ?x)
        [id: rdfs12, description: "container membership properties are subproperties of rdfs:member"]
            rdf:type(?u, rdfs:ContainerMembershipProperty) -> rdfs:subPropertyOf(?u, rdfs:member)
        [id: rdfs13, description: "every datatype is a subclass of rdfs:Literal"]
            rdf:type(?u, rdfs:Datatype) -> rdfs:subClassOf(?u, rdfs:Literal)

        """

    static let rdfsAxiomsText = """
        [id: rdfs4a, description: "every subject is a resource"]
            ?a(?u, ?x) -> rdf:type(?u, rdfs:Resource)
        [id: rdfs4b, description: "every object is a resource"]
            ?a(?u, ?x) -> rdf:type(?x, rdfs:Resource)
        [id: rdf-axioms, description: "RDF axiomatic triples (RDF 1.1 Semantics 8.1)"]
            -> rdf:type(rdf:type, rdf:Property) ^ rdf:type(rdf:subject, rdf:Property) ^ rdf:type(rdf:predicate, rdf:Property)
             ^ rdf:type(rdf:object, rdf:Property) ^ rdf:type(rdf:first, rdf:Property) ^ rdf:type(rdf:rest, rdf:Property)
             ^ rdf:type(rdf:value, rdf:Property) ^ rdf:type(rdf:nil, rdf:List)
        [id: rdf-axioms-cmp-s, description: "rdf:_n is a container membership property (as subject)"]
            ?p(?s, ?o) ^ kgfuse:isContainerMembershipProperty(?s) -> rdf:type(?s, rdfs:ContainerMembershipProperty)
        [id: rdf-axioms-cmp-p, description: "rdf:_n is a container membership property (as predicate)"]
            ?p(?s, ?o) ^ kgfuse:isContainerMembershipProperty(?p) -> rdf:type(?p, rdfs:ContainerMembershipProperty)
        [id: rdf-axioms-cmp-o, description: "rdf:_n is a container membership property (as object)"]
            ?p(?s, ?o) ^ kgfuse:isContainerMembershipProperty(?o) -> rdf:type(?o, rdfs:ContainerMembershipProperty)
        [id: rdfs-axioms-cmp, description: "RDFS axioms of rdf:_n"]
            rdf:type(?p, rdfs:ContainerMembershipProperty) -> rdf:type(?p, rdf:Property) ^ rdfs:domain(?p, rdfs:Resource) ^ rdfs:range(?p, rdfs:Resource)
        [id: rdfs-axioms, description: "RDFS axiomatic triples (RDF 1.1 Semantics 9.1)"]
            -> rdfs:domain(rdf:type, rdfs:Resource) ^ rdfs:domain(rdfs:domain, rdf:Property) ^ rdfs:domain(rdfs:range, rdf:Property)
             ^ rdfs:domain(rdfs:subPropertyOf, rdf:Property) ^ rdfs:domain(rdfs:subClassOf, rdfs:Class)
             ^ rdfs:domain(rdf:subject, rdf:Statement) ^ rdfs:domain(rdf:predicate, rdf:Statement) ^ rdfs:domain(rdf:object, rdf:Statement)
             ^ rdfs:domain(rdfs:member, rdfs:Resource) ^ rdfs:domain(rdf:first, rdf:List) ^ rdfs:domain(rdf:rest, rdf:List)
             ^ rdfs:domain(rdfs:seeAlso, rdfs:Resource) ^ rdfs:domain(rdfs:isDefinedBy, rdfs:Resource)
             ^ rdfs:domain(rdfs:comment, rdfs:Resource) ^ rdfs:domain(rdfs:label, rdfs:Resource) ^ rdfs:domain(rdf:value, rdfs:Resource)
             ^ rdfs:range(rdf:type, rdfs:Class) ^ rdfs:range(rdfs:domain, rdfs:Class) ^ rdfs:range(rdfs:range, rdfs:Class)
             ^ rdfs:range(rdfs:subPropertyOf, rdf:Property) ^ rdfs:range(rdfs:subClassOf, rdfs:Class)
             ^ rdfs:range(rdf:subject, rdfs:Resource) ^ rdfs:range(rdf:predicate, rdfs:Resource) ^ rdfs:range(rdf:object, rdfs:Resource)
             ^ rdfs:range(rdfs:member, rdfs:Resource) ^ rdfs:range(rdf:first, rdfs:Resource) ^ rdfs:range(rdf:rest, rdf:List)
             ^ rdfs:range(rdfs:seeAlso, rdfs:Resource) ^ rdfs:range(rdfs:isDefinedBy, rdfs:Resource)
             ^ rdfs:range(rdfs:comment, rdfs:Literal) ^ rdfs:range(rdfs:label, rdfs:Literal) ^ rdfs:range(rdf:value, rdfs:Resource)
             ^ rdfs:subClassOf(rdf:Alt, rdfs:Container) ^ rdfs:subClassOf(rdf:Bag, rdfs:Container) ^ rdfs:subClassOf(rdf:Seq, rdfs:Container)
             ^ rdfs:subClassOf(rdfs:ContainerMembershipProperty, rdf:Property) ^ rdfs:subPropertyOf(rdfs:isDefinedBy, rdfs:seeAlso)
             ^ rdfs:subClassOf(rdfs:Datatype, rdfs:Class)

        """
}
