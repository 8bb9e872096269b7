import RDF

/// The OWL 2 RL rules whose premises include an RDF list (OWL 2 Profiles §4.3, tables 4–7 and 9), in Swift.
/// The list's rdf:first / rdf:rest facts are part of each match's premises.
struct OWL2RLListRule: NativeRule {
    /// Which rule.
    enum Kind: String, CaseIterable, Sendable {
        case eqDiff2 = "eq-diff2", eqDiff3 = "eq-diff3", prpAdp = "prp-adp", prpSpo2 = "prp-spo2", prpKey = "prp-key"
        case clsInt1 = "cls-int1", clsInt2 = "cls-int2", clsUni = "cls-uni", clsOO = "cls-oo", caxAdc = "cax-adc"
        case scmInt = "scm-int", scmUni = "scm-uni"
    }

    let kind: Kind
    var id: String { kind.rawValue }

    init(_ kind: Kind) { self.kind = kind }

    func evaluate(_ context: NativeRuleContext) throws {
        let type = context.id(Vocabulary.RDF.type)
        let owl = Vocabulary.OWL.namespace
        let sameAs = context.id(Vocabulary.OWL.sameAs)
        let subClassOf = context.id(Vocabulary.RDFS.subClassOf)
        /// Calls `body(axiom fact, subject, members, list premises)` for each `?x predicate (list)`.
        func forEachListAxiom(_ predicate: String, _ body: (FactID, TermID, [TermID], [FactID]) throws -> Void) throws {
            var axioms: [FactID] = []
            context.forEach(nil, context.id(IRI(owl + predicate)), nil) { axioms.append($0) }
            for axiom in axioms {
                guard let (members, listPremises) = context.list(context.object(axiom)) else { continue }
                try body(axiom, context.subject(axiom), members, listPremises)
            }
        }
        /// Like `forEachListAxiom`, for `?x rdf:type owl:<typeName>` and `?x owl:<listPredicate> (list)`.
        func forEachTypedListAxiom(_ typeName: String, _ listPredicate: String, _ body: (TermID, [TermID], [FactID]) throws -> Void) throws {
            var typed: [FactID] = []
            context.forEach(nil, type, context.id(IRI(owl + typeName))) { typed.append($0) }
            for typeFact in typed {
                let node = context.subject(typeFact)
                var listFacts: [FactID] = []
                context.forEach(node, context.id(IRI(owl + listPredicate)), nil) { listFacts.append($0) }
                for listFact in listFacts {
                    guard let (members, listPremises) = context.list(context.object(listFact)) else { continue }
                    try body(node, members, [typeFact, listFact] + listPremises)
                }
            }
        }
        func facts(_ s: TermID?, _ p: TermID?, _ o: TermID?) -> [FactID] {
            var result: [FactID] = []
            context.forEach(s, p, o) { result.append($0) }
            return result
        }
        func find(_ s: TermID, _ p: TermID, _ o: TermID) -> FactID? {
            guard let id = context.facts.find(s, p, o), Int(id) < context.visibleEnd else { return nil }
            return id
        }

        switch kind {
        case .eqDiff2, .eqDiff3:
            // eq-diff2/3: ?x a owl:AllDifferent ; owl:members|owl:distinctMembers (z1 ... zn), zi sameAs zj (i ≠ j) → false
            try forEachTypedListAxiom("AllDifferent", kind == .eqDiff2 ? "members" : "distinctMembers") { _, members, premises in
                for i in members.indices { for j in members.indices where i < j {
                    guard let same = find(members[i], sameAs, members[j]) else { continue }
                    try context.emit([], premises + [same], true, ["zi": members[i], "zj": members[j]])
                } }
            }
        case .prpAdp:
            // prp-adp: ?x a owl:AllDisjointProperties ; owl:members (p1 ... pn), ?u pi ?v, ?u pj ?v (i ≠ j) → false
            try forEachTypedListAxiom("AllDisjointProperties", "members") { _, members, premises in
                for i in members.indices { for j in members.indices where i < j {
                    for fact in facts(nil, members[i], nil) {
                        guard let other = find(context.subject(fact), members[j], context.object(fact)) else { continue }
                        try context.emit([], premises + [fact, other], true, ["pi": members[i], "pj": members[j], "u": context.subject(fact), "v": context.object(fact)])
                    }
                } }
            }
        case .caxAdc:
            // cax-adc: ?x a owl:AllDisjointClasses ; owl:members (c1 ... cn), ?z a ci, ?z a cj (i ≠ j) → false
            try forEachTypedListAxiom("AllDisjointClasses", "members") { _, members, premises in
                for i in members.indices { for j in members.indices where i < j {
                    for fact in facts(nil, type, members[i]) {
                        guard let other = find(context.subject(fact), type, members[j]) else { continue }
                        try context.emit([], premises + [fact, other], true, ["ci": members[i], "cj": members[j], "z": context.subject(fact)])
                    }
                } }
            }
        case .prpSpo2:
            // prp-spo2: ?p owl:propertyChainAxiom (p1 ... pn), ?u1 p1 ?u2 ... ?un pn ?un+1 → ?u1 ?p ?un+1
            try forEachListAxiom("propertyChainAxiom") { axiom, property, chain, listPremises in
                guard !chain.isEmpty else { return }
                var path: [FactID] = []
                func extend(_ node: TermID, _ step: Int, _ start: TermID) throws {
                    if step == chain.count {
                        try context.emit([(start, property, node)], [axiom] + listPremises + path, false, ["p": property])
                        return
                    }
                    for fact in facts(node, chain[step], nil) {
                        path.append(fact)
                        try extend(context.object(fact), step + 1, start)
                        path.removeLast()
                    }
                }
                for fact in facts(nil, chain[0], nil) {
                    path = [fact]
                    try extend(context.object(fact), 1, context.subject(fact))
                }
            }
        case .prpKey:
            // prp-key: ?c owl:hasKey (p1 ... pn), ?x a ?c, ?x pi ?zi, ?y a ?c, ?y pi ?zi → ?x sameAs ?y
            try forEachListAxiom("hasKey") { axiom, keyedClass, properties, listPremises in
                guard !properties.isEmpty else { return }
                // Every key tuple of every instance, with the facts giving it.
                var byKey: [[TermID]: [(instance: TermID, facts: [FactID])]] = [:]
                for typeFact in facts(nil, type, keyedClass) {
                    let instance = context.subject(typeFact)
                    var tuples: [([TermID], [FactID])] = [([], [typeFact])]
                    for property in properties {
                        var next: [([TermID], [FactID])] = []
                        for valueFact in facts(instance, property, nil) {
                            for (values, premises) in tuples { next.append((values + [context.object(valueFact)], premises + [valueFact])) }
                        }
                        tuples = next
                        if tuples.isEmpty { break }
                    }
                    for (values, premises) in tuples { byKey[values, default: []].append((instance, premises)) }
                }
                for (_, instances) in byKey where instances.count > 1 {
                    for a in instances { for b in instances where a.instance != b.instance {
                        try context.emit([(a.instance, sameAs, b.instance)], [axiom] + listPremises + a.facts + b.facts, false,
                                         ["x": a.instance, "y": b.instance, "c": keyedClass])
                    } }
                }
            }
        case .clsInt1:
            // cls-int1: ?c owl:intersectionOf (c1 ... cn), ?y a c1 ... ?y a cn → ?y a ?c
            try forEachListAxiom("intersectionOf") { axiom, intersection, classes, listPremises in
                guard let firstClass = classes.first else { return }
                for typeFact in facts(nil, type, firstClass) {
                    let instance = context.subject(typeFact)
                    var premises = [axiom] + listPremises + [typeFact]
                    var all = true
                    for other in classes.dropFirst() {
                        guard let fact = find(instance, type, other) else { all = false; break }
                        premises.append(fact)
                    }
                    if all { try context.emit([(instance, type, intersection)], premises, false, ["y": instance, "c": intersection]) }
                }
            }
        case .clsInt2:
            // cls-int2: ?c owl:intersectionOf (c1 ... cn), ?y a ?c → ?y a ci
            try forEachListAxiom("intersectionOf") { axiom, intersection, classes, listPremises in
                for typeFact in facts(nil, type, intersection) {
                    let instance = context.subject(typeFact)
                    try context.emit(classes.map { (instance, type, $0) }, [axiom] + listPremises + [typeFact], false, ["y": instance, "c": intersection])
                }
            }
        case .clsUni:
            // cls-uni: ?c owl:unionOf (c1 ... cn), ?y a ci → ?y a ?c
            try forEachListAxiom("unionOf") { axiom, union, classes, listPremises in
                for member in classes {
                    for typeFact in facts(nil, type, member) {
                        try context.emit([(context.subject(typeFact), type, union)], [axiom] + listPremises + [typeFact], false,
                                         ["y": context.subject(typeFact), "c": union])
                    }
                }
            }
        case .clsOO:
            // cls-oo: ?c owl:oneOf (y1 ... yn) → yi a ?c
            try forEachListAxiom("oneOf") { axiom, enumeration, individuals, listPremises in
                guard !individuals.isEmpty else { return }
                try context.emit(individuals.map { ($0, type, enumeration) }, [axiom] + listPremises, false, ["c": enumeration])
            }
        case .scmInt:
            // scm-int: ?c owl:intersectionOf (c1 ... cn) → ?c rdfs:subClassOf ci
            try forEachListAxiom("intersectionOf") { axiom, intersection, classes, listPremises in
                guard !classes.isEmpty else { return }
                try context.emit(classes.map { (intersection, subClassOf, $0) }, [axiom] + listPremises, false, ["c": intersection])
            }
        case .scmUni:
            // scm-uni: ?c owl:unionOf (c1 ... cn) → ci rdfs:subClassOf ?c
            try forEachListAxiom("unionOf") { axiom, union, classes, listPremises in
                guard !classes.isEmpty else { return }
                try context.emit(classes.map { ($0, subClassOf, union) }, [axiom] + listPremises, false, ["c": union])
            }
        }
    }
}
