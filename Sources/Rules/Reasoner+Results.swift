import RDF

/// Reading the closure, the derivations and proof trees after a run.
extension Reasoner {
    /// Number of facts (asserted and derived).
    public var factCount: Int { facts.count }

    /// True when the fact is known (asserted or derived).
    public func contains(_ triple: Triple) -> Bool {
        guard let s = dictionary.id(triple.subject), let p = dictionary.id(triple.predicate), let o = dictionary.id(triple.object) else { return false }
        return facts.find(s, p, o) != nil
    }

    /// Every fact matching the pattern (nil = any), asserted and derived, in the order they became known.
    public func triples(subject: Term? = nil, predicate: Term? = nil, object: Term? = nil) -> [Triple] {
        func lookup(_ term: Term?) -> TermID?? {
            guard let term else { return .some(nil) }
            guard let id = dictionary.id(term) else { return nil }
            return .some(id)
        }
        guard let s = lookup(subject), let p = lookup(predicate), let o = lookup(object) else { return [] }
        var result: [Triple] = []
        facts.forEach(subject: s, predicate: p, object: o, from: 0, to: facts.count) { id in
            result.append(triple(id))
            return true
        }
        return result
    }

    /// The facts the run added that are valid RDF (IRI or blank subject, IRI predicate); generalized triples
    /// (a literal subject, as RDFS rules can produce) stay internal.
    public var derivedTriples: [Triple] {
        (0..<facts.count).compactMap { index -> Triple? in
            guard !isAsserted[index] else { return nil }
            let fact = triple(FactID(index))
            guard fact.subject.isResource, fact.predicate.iriValue != nil else { return nil }
            return fact
        }
    }

    /// True when the fact was asserted (loaded or inserted), false when only derived or unknown.
    public func isAssertedFact(_ triple: Triple) -> Bool {
        guard let s = dictionary.id(triple.subject), let p = dictionary.id(triple.predicate), let o = dictionary.id(triple.object),
              let id = facts.find(s, p, o) else { return false }
        return isAsserted[Int(id)]
    }

    private func derivationIndices(of id: FactID) -> [Int32] {
        if derivationsByFact == nil {
            var index: [FactID: [Int32]] = [:]
            for (k, fact) in derivationFact.enumerated() { index[fact, default: []].append(Int32(k)) }
            derivationsByFact = index
        }
        return derivationsByFact?[id] ?? []
    }

    /// Every recorded derivation of the fact (empty for asserted-only or unknown facts, or when not recording).
    public func derivations(of triple: Triple) -> [Derivation] {
        guard let s = dictionary.id(triple.subject), let p = dictionary.id(triple.predicate), let o = dictionary.id(triple.object),
              let id = facts.find(s, p, o) else { return [] }
        return derivationIndices(of: id).map { k in
            let range = Int(derivationPremiseStart[Int(k)])..<Int(derivationPremiseStart[Int(k) + 1])
            return Derivation(ruleID: ruleIDs[Int(derivationRule[Int(k)])], premises: derivationPremises[range].map { self.triple($0) })
        }
    }

    /// The proof tree of a fact: its derivations, recursively, down to asserted facts. A branch stops at
    /// `maximumDepth` or when it would revisit a fact already on the path (cycles such as `x sameAs y sameAs x`).
    public func proofTree(for triple: Triple, maximumDepth: Int = 12) -> ProofTree? {
        guard let s = dictionary.id(triple.subject), let p = dictionary.id(triple.predicate), let o = dictionary.id(triple.object),
              let id = facts.find(s, p, o) else { return nil }
        var path: Set<FactID> = []
        func build(_ id: FactID, depth: Int) -> ProofTree {
            let fact = self.triple(id)
            if isAsserted[Int(id)] || depth >= maximumDepth || path.contains(id) { return .asserted(fact) }
            path.insert(id)
            defer { path.remove(id) }
            var branches: [(ruleID: String, premises: [ProofTree])] = []
            for k in derivationIndices(of: id) {
                let range = Int(derivationPremiseStart[Int(k)])..<Int(derivationPremiseStart[Int(k) + 1])
                let premises = derivationPremises[range]
                if premises.contains(where: { path.contains($0) }) { continue }  // a cyclic derivation proves nothing new
                branches.append((ruleIDs[Int(derivationRule[Int(k)])], premises.map { build($0, depth: depth + 1) }))
            }
            return .derived(fact, branches)
        }
        return build(id, depth: 0)
    }
}
