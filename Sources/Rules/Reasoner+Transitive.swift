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
    ///
    /// The delta facts are taken grouped by the term the conclusions share (x for the first atom, z for the second);
    /// for each group the known conclusions are marked in an array indexed by term id, so a match whose conclusion is
    /// known costs an array read instead of a hash probe (12 million of pato-base's 12.2 million matches).
    func evaluateTransitive(_ compiled: CompiledRule, shape: TransitiveShape, deltaPosition: Int, deltaStart: Int, deltaEnd: Int) throws {
        if deltaPosition == 1 && deltaStart == 0 { return }
        let ruleNumber = ruleNumber(compiled.rule.id)
        let p = shape.predicate
        let all = facts.byPredicate[p] ?? []
        let first = FactIndex.lowerBound(all, FactID(deltaStart))
        var delta: [FactID] = []
        for position in first..<all.count {
            if Int(all[position]) >= deltaEnd { break }
            delta.append(all[position])
        }
        if delta.isEmpty { return }
        // Group key: x (the delta fact's subject) for position 0, z (its object) for position 1.
        do {
            // A copy of the column, released before facts are added (else the first insert would copy the column).
            let keyColumn = deltaPosition == 0 ? facts.subjects : facts.objects
            delta.sort { a, b in keyColumn[Int(a)] != keyColumn[Int(b)] ? keyColumn[Int(a)] < keyColumn[Int(b)] : a < b }
        }
        let termCount = dictionary.terms.count
        if markStamps.count < termCount {
            markStamps += [UInt32](repeating: 0, count: termCount - markStamps.count)
            markFacts += [FactID](repeating: -1, count: termCount - markFacts.count)
        }
        let cheapRedundant = !(sink?.recordsRedundantDerivations ?? false)
        var premises: [FactID] = [0, 0]
        var groupKey = TermID.max
        for deltaFact in delta {
            let s = facts.subjects[Int(deltaFact)], o = facts.objects[Int(deltaFact)]
            let key = deltaPosition == 0 ? s : o
            if key != groupKey {
                // Mark the known conclusions of this group: (key p ?) for position 0, (? p key) for position 1.
                groupKey = key
                markStamp &+= 1
                if markStamp == 0 { markStamps = [UInt32](repeating: 0, count: markStamps.count); markStamp = 1 }
                if deltaPosition == 0 {
                    for id in facts.byPredicateSubject[FactIndex.pair(p, key)] ?? [] {
                        let other = Int(facts.objects[Int(id)])
                        markStamps[other] = markStamp
                        markFacts[other] = id
                    }
                } else {
                    for id in facts.byPredicateObject[FactIndex.pair(p, key)] ?? [] {
                        let other = Int(facts.subjects[Int(id)])
                        markStamps[other] = markStamp
                        markFacts[other] = id
                    }
                }
            }
            if deltaPosition == 0 {
                // delta = (x p y); second atom (y p z) over [0, deltaEnd).
                guard let successors = facts.byPredicateSubject[FactIndex.pair(p, o)] else { continue }
                premises[0] = deltaFact
                for other in successors {
                    if Int(other) >= deltaEnd { break }
                    premises[1] = other
                    let z = facts.objects[Int(other)]
                    if cheapRedundant && markStamps[Int(z)] == markStamp {
                        matchesByRule[Int(ruleNumber)] += 1
                        recordDerivation(of: markFacts[Int(z)], premises: premises, ruleNumber: ruleNumber)
                        if sink != nil { unreportedFirings += 1 }
                        continue
                    }
                    let id = try fireTransitive(compiled, shape: shape, ruleNumber: ruleNumber, x: s, y: o, z: z, premises: premises)
                    markStamps[Int(z)] = markStamp
                    markFacts[Int(z)] = id
                }
            } else {
                // delta = (y p z); first atom (x p y) over [0, deltaStart).
                guard let predecessors = facts.byPredicateObject[FactIndex.pair(p, s)] else { continue }
                premises[1] = deltaFact
                for other in predecessors {
                    if Int(other) >= deltaStart { break }
                    premises[0] = other
                    let x = facts.subjects[Int(other)]
                    if cheapRedundant && markStamps[Int(x)] == markStamp {
                        matchesByRule[Int(ruleNumber)] += 1
                        recordDerivation(of: markFacts[Int(x)], premises: premises, ruleNumber: ruleNumber)
                        if sink != nil { unreportedFirings += 1 }
                        continue
                    }
                    let id = try fireTransitive(compiled, shape: shape, ruleNumber: ruleNumber, x: x, y: s, z: o, premises: premises)
                    markStamps[Int(x)] = markStamp
                    markFacts[Int(x)] = id
                }
            }
        }
    }

    /// One match of a transitive rule: as `fire`, with the bindings built only when the sink needs them.
    /// Returns the conclusion's fact id.
    @inline(__always)
    private func fireTransitive(_ compiled: CompiledRule, shape: TransitiveShape, ruleNumber: Int32, x: TermID, y: TermID, z: TermID,
                                premises: [FactID]) throws -> FactID {
        matchesByRule[Int(ruleNumber)] += 1
        if !newFactScratch.isEmpty { newFactScratch.removeAll(keepingCapacity: true) }
        let id = addDerived(x, shape.predicate, z)
        recordDerivation(of: id, premises: premises, ruleNumber: ruleNumber)
        guard let sink else { return id }
        guard !newFactScratch.isEmpty || sink.recordsRedundantDerivations else { unreportedFirings += 1; return id }
        var bindings = [TermID](repeating: Reasoner.unbound, count: compiled.variableNames.count)
        bindings[shape.x] = x
        bindings[shape.y] = y
        bindings[shape.z] = z
        try report(ruleNumber: ruleNumber, ruleID: compiled.rule.id, severity: compiled.rule.severity, variableNames: compiled.variableNames,
                   bindings: bindings, premises: premises, conclusions: [(x, shape.predicate, z)])
        return id
    }
}
