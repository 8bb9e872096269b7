import RDF

/// The OWL 2 RL datatype rules dt-type2, dt-eq, dt-diff and dt-not-type (OWL 2 Profiles §4.3 table 8) over the
/// datatypes of `DataValue.supported`, in Swift; the RDFS-D rules reuse them over the recognized datatypes.
///
/// dt-type2 types a literal with every supported datatype whose value space holds its value (`42` is an
/// xsd:integer, an xsd:decimal, an xsd:byte ...), so literal subjects appear (generalized triples).
/// dt-diff is limited to literals that occur in `owl:sameAs` facts, the only place a distinct-values fact can
/// change the closure through eq-rep-* and eq-diff1 — over all literal pairs it would be quadratic.
struct DatatypeRule: NativeRule {
    /// Which rule.
    enum Kind: String, CaseIterable, Sendable {
        case dtType2 = "dt-type2", dtEq = "dt-eq", dtDiff = "dt-diff", dtNotType = "dt-not-type"
        /// Not an OWL 2 RL rule: an ill-typed literal of a recognized datatype makes the graph D-unsatisfiable
        /// (RDF 1.1 Semantics §7.2); the RDFS rule set uses it.
        case illTyped = "ill-typed"
    }

    let kind: Kind
    let id: String
    /// The datatypes (IRIs) the rule interprets.
    let datatypes: [String]

    /// The OWL 2 RL rule of `kind` over the OWL 2 RL datatype map.
    init(_ kind: Kind) {
        self.init(kind, id: kind.rawValue, datatypes: DataValue.supported)
    }

    /// The rule of `kind` under another id, over the given recognized datatypes.
    init(_ kind: Kind, id: String, datatypes: [String]) {
        self.kind = kind
        self.id = id
        self.datatypes = datatypes
    }

    func evaluate(_ context: NativeRuleContext) throws {
        let type = context.id(Vocabulary.RDF.type)
        let sameAs = context.id(Vocabulary.OWL.sameAs)
        let dictionary = context.dictionary
        let facts = context.facts
        func isLiteral(_ id: TermID) -> Bool { if case .literal = dictionary.term(id) { return true } else { return false } }

        switch kind {
        case .dtType2, .dtEq, .illTyped:
            // Each literal with the first visible fact it occurs in.
            var occurrences: [(literal: TermID, fact: FactID)] = []
            var seen: Set<TermID> = []
            for index in 0..<context.visibleEnd {
                for term in [facts.objects[index], facts.subjects[index]] where isLiteral(term) && seen.insert(term).inserted {
                    occurrences.append((term, FactID(index)))
                }
            }
            let recognized = Set(datatypes)
            func isRecognized(_ literal: TermID) -> Bool {
                guard case .literal(let value) = dictionary.term(literal) else { return false }
                if value.language != nil {
                    return recognized.contains(Vocabulary.RDF.langString.value) || recognized.contains(Vocabulary.RDF.namespace + "PlainLiteral")
                }
                return recognized.contains(value.datatype.value)
            }
            if kind == .illTyped {
                for (literal, fact) in occurrences where isRecognized(literal) {
                    guard case .some(.none) = dictionary.dataValue(literal) else { continue }
                    try context.emit([], [fact], true, ["lt": literal])
                }
            } else if kind == .dtType2 {
                for (literal, fact) in occurrences where isRecognized(literal) {
                    guard case .some(.some(let value)) = dictionary.dataValue(literal) else { continue }
                    let types = datatypes.filter { DataValue.isInValueSpace(value, $0) }.map { (literal, type, context.id(IRI($0))) }
                    try context.emit(types, [fact], false, ["lt": literal])
                }
            } else {
                var byValue: [DataValue: [(TermID, FactID)]] = [:]
                for (literal, fact) in occurrences where isRecognized(literal) {
                    if case .some(.some(let value)) = dictionary.dataValue(literal) { byValue[value, default: []].append((literal, fact)) }
                }
                for (_, group) in byValue where group.count > 1 {
                    for a in group { for b in group where a.0 != b.0 {
                        try context.emit([(a.0, sameAs, b.0)], [a.1, b.1], false, ["lt1": a.0, "lt2": b.0])
                    } }
                }
            }
        case .dtDiff:
            var occurrences: [(literal: TermID, value: DataValue, fact: FactID)] = []
            var seen: Set<TermID> = []
            context.forEach(nil, sameAs, nil) { fact in
                for term in [context.subject(fact), context.object(fact)] where isLiteral(term) && seen.insert(term).inserted {
                    if case .some(.some(let value)) = dictionary.dataValue(term) { occurrences.append((term, value, fact)) }
                }
            }
            let differentFrom = context.id(IRI(Vocabulary.OWL.namespace + "differentFrom"))
            for a in occurrences { for b in occurrences where a.literal != b.literal && a.value != b.value {
                try context.emit([(a.literal, differentFrom, b.literal)], [a.fact, b.fact], false, ["lt1": a.literal, "lt2": b.literal])
            } }
        case .dtNotType:
            // A literal typed with a datatype whose value space does not hold it (or an ill-typed literal) → false.
            var typings: [FactID] = []
            context.forEach(nil, type, nil) { fact in if isLiteral(context.subject(fact)) { typings.append(fact) } }
            let supported = Set(datatypes)
            for fact in typings {
                guard case .iri(let datatype) = dictionary.term(context.object(fact)), supported.contains(datatype.value),
                      case .some(let value) = dictionary.dataValue(context.subject(fact)) else { continue }
                if let value, DataValue.isInValueSpace(value, datatype.value) { continue }
                try context.emit([], [fact], true, ["lt": context.subject(fact), "dt": context.object(fact)])
            }
        }
    }
}
