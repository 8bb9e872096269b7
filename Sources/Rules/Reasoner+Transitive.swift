import RDF

/// Transitive rules (`p(?x, ?y) ^ p(?y, ?z) -> p(?x, ?z)` for a constant p: scm-sco, scm-spo, eq-trans) evaluated by
/// a dedicated loop instead of the general join.
///
/// They are most of the work on real ontologies: on pato-base, scm-sco has 12.2 million body matches (every
/// intermediate class of every derived subclass pair, and groups of equivalent restrictions make that cubic) out of
/// 12.3 million. The loop enumerates exactly the matches the general join would (same semi-naive split, same
/// premises, same order of conclusions per delta fact), with two posting-list walks and one hash probe per match.
extension Reasoner {
    /// The shape of a transitive rule: its predicate and the variable numbers of ?x, ?y, ?z.
    struct TransitiveShape {
        var predicate: TermID
        var x: Int, y: Int, z: Int
    }

    /// The transitive shape of a derive rule, or nil when it has another shape.
    static func transitiveShape(_ compiled: CompiledRule) -> TransitiveShape? {
        guard compiled.rule.action == .derive, !compiled.rule.concludesFalse, compiled.positives.count == 2, compiled.head.count == 1,
              compiled.builtIns.isEmpty, compiled.negations.isEmpty else { return nil }
        let first = compiled.positives[0], second = compiled.positives[1], head = compiled.head[0]
        guard case .constant(let p) = first.predicate, second.predicate == first.predicate, head.predicate == first.predicate,
              case .variable(let x) = first.subject, case .variable(let y) = first.object, case .variable(let z) = second.object,
              second.subject == first.object, head.subject == first.subject, head.object == second.object,
              x != y, y != z, x != z else { return nil }
        return TransitiveShape(predicate: p, x: x, y: y, z: z)
    }

    /// Evaluates a transitive rule with body atom `deltaPosition` restricted to facts `[deltaStart, deltaEnd)`, the
    /// first atom to `[0, deltaStart)` when the delta is the second, and the second to `[0, deltaEnd)` otherwise.
    func evaluateTransitive(_ compiled: CompiledRule, shape: TransitiveShape, deltaPosition: Int, deltaStart: Int, deltaEnd: Int) throws {
        if deltaPosition == 1 && deltaStart == 0 { return }
        let ruleNumber = ruleNumber(compiled.rule.id)
        let p = shape.predicate
        let deltaFacts = facts.byPredicate[p] ?? []
        var position = FactIndex.lowerBound(deltaFacts, FactID(deltaStart))
        var premises: [FactID] = [0, 0]
        while position < deltaFacts.count {
            let delta = deltaFacts[position]
            position += 1
            if Int(delta) >= deltaEnd { break }
            let s = facts.subjects[Int(delta)], o = facts.objects[Int(delta)]
            if deltaPosition == 0 {
                // delta = (x p y); second atom (y p z) over [0, deltaEnd).
                guard let successors = facts.byPredicateSubject[FactIndex.pair(p, o)] else { continue }
                premises[0] = delta
                for other in successors {
                    if Int(other) >= deltaEnd { break }
                    premises[1] = other
                    try fireTransitive(compiled, shape: shape, ruleNumber: ruleNumber, x: s, y: o, z: facts.objects[Int(other)], premises: premises)
                }
            } else {
                // delta = (y p z); first atom (x p y) over [0, deltaStart).
                guard let predecessors = facts.byPredicateObject[FactIndex.pair(p, s)] else { continue }
                premises[1] = delta
                for other in predecessors {
                    if Int(other) >= deltaStart { break }
                    premises[0] = other
                    try fireTransitive(compiled, shape: shape, ruleNumber: ruleNumber, x: facts.subjects[Int(other)], y: s, z: o, premises: premises)
                }
            }
        }
    }

    /// One match of a transitive rule: as `fire`, with the bindings built only when the sink needs them.
    @inline(__always)
    private func fireTransitive(_ compiled: CompiledRule, shape: TransitiveShape, ruleNumber: Int32, x: TermID, y: TermID, z: TermID,
                                premises: [FactID]) throws {
        matchesByRule[Int(ruleNumber)] += 1
        if !newFactScratch.isEmpty { newFactScratch.removeAll(keepingCapacity: true) }
        let id = addDerived(x, shape.predicate, z)
        recordDerivation(of: id, premises: premises, ruleNumber: ruleNumber)
        guard let sink else { return }
        guard !newFactScratch.isEmpty || sink.recordsRedundantDerivations else { unreportedFirings += 1; return }
        var bindings = [TermID](repeating: Reasoner.unbound, count: compiled.variableNames.count)
        bindings[shape.x] = x
        bindings[shape.y] = y
        bindings[shape.z] = z
        try report(ruleNumber: ruleNumber, ruleID: compiled.rule.id, severity: compiled.rule.severity, variableNames: compiled.variableNames,
                   bindings: bindings, premises: premises, conclusions: [(x, shape.predicate, z)])
    }
}
