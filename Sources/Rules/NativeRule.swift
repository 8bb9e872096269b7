import RDF

/// A rule written in Swift, for what the rule language cannot say (OWL 2 RL rules over RDF lists).
///
/// Each round it enumerates its matches over the facts visible in that round (ids below `context.visibleEnd`)
/// and emits them with their premises; the engine drops a match whose premises all predate the round
/// (it was emitted before), which makes the naive enumeration semi-naive in effect.
/// For stratification a native rule reads and writes every predicate.
protocol NativeRule: Sendable {
    /// The rule id (e.g. `cls-int1`).
    var id: String { get }
    /// Emits every match over the visible facts.
    func evaluate(_ context: NativeRuleContext) throws
}

/// What a native rule sees: the interned facts, the visible range, and where to emit matches.
struct NativeRuleContext {
    let facts: FactIndex
    let dictionary: TermDictionary
    /// Facts with ids below this are visible in this round.
    let visibleEnd: Int
    /// Emits a match: conclusions (empty with `inconsistent`), premises, and readable bindings.
    let emit: (_ conclusions: [(TermID, TermID, TermID)], _ premises: [FactID], _ inconsistent: Bool, _ bindings: [String: TermID]) throws -> Void

    /// The id of an IRI (interned on demand).
    func id(_ iri: IRI) -> TermID { dictionary.intern(.iri(iri)) }

    /// Calls `body` for each visible fact matching the pattern.
    func forEach(_ s: TermID?, _ p: TermID?, _ o: TermID?, _ body: (FactID) throws -> Void) rethrows {
        try facts.forEach(subject: s, predicate: p, object: o, from: 0, to: visibleEnd) { id in
            try body(id)
            return true
        }
    }

    func subject(_ fact: FactID) -> TermID { facts.subjects[Int(fact)] }
    func object(_ fact: FactID) -> TermID { facts.objects[Int(fact)] }

    /// The members of the RDF list starting at `head` and the rdf:first / rdf:rest facts that make it up;
    /// nil when the list is malformed, branches or is cyclic (RDF 1.1 Semantics, collections).
    func list(_ head: TermID) -> (members: [TermID], premises: [FactID])? {
        let first = id(Vocabulary.RDF.first), rest = id(Vocabulary.RDF.rest), nilID = id(Vocabulary.RDF.nil)
        var members: [TermID] = [], premises: [FactID] = []
        var node = head
        var visited: Set<TermID> = []
        while node != nilID {
            guard visited.insert(node).inserted else { return nil }
            var firstFacts: [FactID] = [], restFacts: [FactID] = []
            forEach(node, first, nil) { firstFacts.append($0) }
            forEach(node, rest, nil) { restFacts.append($0) }
            guard firstFacts.count == 1, restFacts.count == 1 else { return nil }
            members.append(object(firstFacts[0]))
            premises.append(firstFacts[0])
            premises.append(restFacts[0])
            node = object(restFacts[0])
        }
        return (members, premises)
    }
}
