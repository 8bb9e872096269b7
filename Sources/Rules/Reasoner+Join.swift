import RDF

/// The join: matching a rule body against the facts, one atom at a time.
extension Reasoner {
    static let unbound = TermID.max

    /// Evaluates `compiled` with atom `deltaPosition` restricted to facts `[deltaStart, deltaEnd)`, the atoms before it
    /// to `[0, deltaStart)` and those after it to `[0, deltaEnd)` (nil: no delta, all atoms see `[0, deltaEnd)`).
    func evaluate(_ compiled: CompiledRule, deltaPosition: Int?, deltaStart: Int, deltaEnd: Int, isCheck: Bool) throws {
        let atomCount = compiled.positives.count
        var limits = [(from: Int, to: Int)](repeating: (0, deltaEnd), count: atomCount)
        if let position = deltaPosition {
            if position > 0 && deltaStart == 0 { return }  // atoms before the delta atom would see no facts
            limits[position] = (deltaStart, deltaEnd)
            for earlier in 0..<position { limits[earlier] = (0, deltaStart) }
        }
        var bindings = [TermID](repeating: Reasoner.unbound, count: compiled.variableNames.count)
        var premises = [FactID](repeating: -1, count: atomCount)
        let atomMask: UInt64 = atomCount == 64 ? .max : (1 << UInt64(atomCount)) - 1
        let builtInMask: UInt64 = (1 << UInt64(compiled.builtIns.count)) - 1
        let ruleNumber = ruleNumber(compiled.rule.id)
        var search = JoinSearch(atoms: compiled.positives, builtIns: compiled.builtIns, limits: limits, first: deltaPosition)
        // Without negations a complete match goes straight to `fire` (the last atom's loop calls it, no closure).
        if compiled.negations.isEmpty && !isCheck { search.leafRuleNumber = ruleNumber }
        _ = try search.solve(self, compiled: compiled, atomMask: atomMask, builtInMask: builtInMask, bindings: &bindings, premises: &premises) { bindings, premises in
            // Negation as failure: each not(...) must have no solution over all facts.
            for negation in compiled.negations {
                let inner = JoinSearch(atoms: negation.atoms, builtIns: negation.builtIns,
                                       limits: [(from: Int, to: Int)](repeating: (0, self.facts.count), count: negation.atoms.count), first: nil)
                var innerPremises = [FactID](repeating: -1, count: negation.atoms.count)
                var found = false
                let innerAtoms: UInt64 = (1 << UInt64(negation.atoms.count)) - 1
                let innerBuiltIns: UInt64 = (1 << UInt64(negation.builtIns.count)) - 1
                _ = try inner.solve(self, compiled: compiled, atomMask: innerAtoms, builtInMask: innerBuiltIns, bindings: &bindings, premises: &innerPremises) { _, _ in
                    found = true
                    return false
                }
                if found { return true }
            }
            try self.fire(compiled, ruleNumber: ruleNumber, bindings: bindings, premises: premises, isCheck: isCheck)
            return true
        }
    }

    /// The value of a slot under `bindings` (`unbound` for an unbound variable).
    @inline(__always)
    static func value(_ slot: Slot, _ bindings: [TermID]) -> TermID {
        switch slot {
        case .constant(let id): return id
        case .variable(let v): return bindings[v]
        }
    }

    /// Acts on one complete match of a rule body.
    func fire(_ compiled: CompiledRule, ruleNumber: Int32, bindings: [TermID], premises: [FactID], isCheck: Bool) throws {
        let rule = compiled.rule
        matchesByRule[Int(ruleNumber)] += 1
        if !rule.concludesFalse && !isCheck {
            // The hot path (millions of times on a large ontology): add the head facts, keep the derivation, and
            // build nothing more unless the firing added a fact or the sink wants every firing.
            if !newFactScratch.isEmpty { newFactScratch.removeAll(keepingCapacity: true) }
            for atom in compiled.head {
                let id = addDerived(Reasoner.value(atom.subject, bindings), Reasoner.value(atom.predicate, bindings),
                                    Reasoner.value(atom.object, bindings))
                recordDerivation(of: id, premises: premises, ruleNumber: ruleNumber)
            }
            guard let sink else { return }
            guard !newFactScratch.isEmpty || sink.recordsRedundantDerivations else { unreportedFirings += 1; return }
            let conclusions = compiled.head.map {
                (Reasoner.value($0.subject, bindings), Reasoner.value($0.predicate, bindings), Reasoner.value($0.object, bindings))
            }
            try report(ruleNumber: ruleNumber, ruleID: rule.id, severity: rule.severity, variableNames: compiled.variableNames,
                       bindings: bindings, premises: premises, conclusions: conclusions)
            return
        }
        func namedBindings() -> [String: Term] {
            var result: [String: Term] = [:]
            for (index, name) in compiled.variableNames.enumerated() where bindings[index] != Reasoner.unbound {
                result[name] = dictionary.term(bindings[index])
            }
            return result
        }
        if rule.concludesFalse {
            let firing = Firing(ruleID: rule.id, action: rule.action, severity: rule.severity, bindings: namedBindings(),
                                premises: premises.map(triple), conclusion: [], isInconsistency: true)
            inconsistencies.append(firing)
            try sink?.record(firing, newFacts: [])
            return
        }
        let conclusions = compiled.head.map {
            (Reasoner.value($0.subject, bindings), Reasoner.value($0.predicate, bindings), Reasoner.value($0.object, bindings))
        }
        let conclusionTriples = conclusions.map { Triple(dictionary.term($0.0), dictionary.term($0.1), dictionary.term($0.2)) }
        let satisfied: Bool? = rule.action == .require ? conclusions.allSatisfy { facts.find($0.0, $0.1, $0.2) != nil } : nil
        let firing = Firing(ruleID: rule.id, action: rule.action, severity: rule.severity, bindings: namedBindings(),
                            premises: premises.map(triple), conclusion: conclusionTriples, satisfied: satisfied)
        firings.append(firing)
        try sink?.record(firing, newFacts: [])
    }
}

/// One backtracking search over a conjunction of triple atoms and built-ins.
struct JoinSearch {
    let atoms: [CompiledAtom]
    let builtIns: [CompiledBuiltIn]
    let limits: [(from: Int, to: Int)]
    /// The atom to match first (the delta atom), if any.
    var first: Int?
    /// When set, a complete match of a derive rule without negations is fired directly under this rule number
    /// instead of going through `emit`.
    var leafRuleNumber: Int32?

    init(atoms: [CompiledAtom], builtIns: [CompiledBuiltIn], limits: [(from: Int, to: Int)], first: Int?) {
        self.atoms = atoms
        self.builtIns = builtIns
        self.limits = limits
        self.first = first
    }

    /// Finds every solution, calling `emit` for each; `emit` returns false to stop. Returns false when stopped.
    func solve(_ reasoner: Reasoner, compiled: CompiledRule, atomMask: UInt64, builtInMask: UInt64,
                        bindings: inout [TermID], premises: inout [FactID],
                        emit: (inout [TermID], [FactID]) throws -> Bool) throws -> Bool {
        // 1. A built-in whose inputs are bound runs now: it filters (test) or binds its first argument (function).
        if builtInMask != 0 {
            var mask = builtInMask
            while mask != 0 {
                let index = mask.trailingZeroBitCount
                mask &= mask - 1
                let call = builtIns[index]
                guard call.inputs.allSatisfy({ Reasoner.value($0, bindings) != Reasoner.unbound }) else { continue }
                let rest = builtInMask & ~(1 << UInt64(index))
                let dictionary = reasoner.dictionary
                let inputs = call.inputs.map { dictionary.term(Reasoner.value($0, bindings)) }
                do {
                    switch call.implementation {
                    case .test(let test):
                        guard try test(inputs) else { return true }
                        return try solve(reasoner, compiled: compiled, atomMask: atomMask, builtInMask: rest, bindings: &bindings, premises: &premises, emit: emit)
                    case .function(let function):
                        guard let result = try function(inputs), let target = call.arguments.first else { return true }
                        let current = Reasoner.value(target, bindings)
                        if current != Reasoner.unbound {
                            guard BuiltInRegistry.valueEquals(dictionary.term(current), result) else { return true }
                            return try solve(reasoner, compiled: compiled, atomMask: atomMask, builtInMask: rest, bindings: &bindings, premises: &premises, emit: emit)
                        }
                        guard case .variable(let variable) = target else { return true }
                        bindings[variable] = dictionary.intern(result)
                        let keepGoing = try solve(reasoner, compiled: compiled, atomMask: atomMask, builtInMask: rest, bindings: &bindings, premises: &premises, emit: emit)
                        bindings[variable] = Reasoner.unbound
                        return keepGoing
                    }
                } catch let error as BuiltInError {
                    throw RuleProgramError(ruleIDs: [compiled.rule.id], location: compiled.rule.location,
                                           message: "rule \(compiled.rule.id): \(call.name): \(error.message)")
                }
            }
        }
        if atomMask == 0 {
            guard builtInMask == 0 else { return true }  // unreachable: CompiledRule checks built-in order
            return try emit(&bindings, premises)
        }
        // 2. The next atom: the delta atom first, then the one with the fewest candidates under the bindings.
        let facts = reasoner.facts
        var chosen = -1
        if let first, atomMask & (1 << UInt64(first)) != 0 {
            chosen = first
        } else {
            var best = Int.max
            var mask = atomMask
            while mask != 0 {
                let index = mask.trailingZeroBitCount
                mask &= mask - 1
                let atom = atoms[index]
                let s = Reasoner.value(atom.subject, bindings), p = Reasoner.value(atom.predicate, bindings), o = Reasoner.value(atom.object, bindings)
                let estimate = facts.estimate(subject: s == Reasoner.unbound ? nil : s, predicate: p == Reasoner.unbound ? nil : p,
                                              object: o == Reasoner.unbound ? nil : o)
                if estimate < best { best = estimate; chosen = index }
                if estimate <= 1 { break }
            }
        }
        let atom = atoms[chosen]
        let rest = atomMask & ~(1 << UInt64(chosen))
        let limit = limits[chosen]
        if limit.from >= limit.to { return true }
        let s = Reasoner.value(atom.subject, bindings), p = Reasoner.value(atom.predicate, bindings), o = Reasoner.value(atom.object, bindings)
        if rest == 0 && builtInMask == 0, let leafRuleNumber {
            try fireEachMatch(reasoner, compiled: compiled, position: chosen, ruleNumber: leafRuleNumber, bindings: &bindings, premises: &premises)
            return true
        }
        // The last atom of a derive rule without negations or built-ins: its matches are fired by a plain loop, with no
        // recursive call and no closure per match (this runs once per derivation, millions of times on a large ontology).
        let lastAtom = rest.trailingZeroBitCount
        let lastIsLeaf = rest != 0 && rest & (rest - 1) == 0 && builtInMask == 0 && leafRuleNumber != nil
        var keepGoing = true
        var failure: (any Error)?
        facts.forEach(subject: s == Reasoner.unbound ? nil : s, predicate: p == Reasoner.unbound ? nil : p,
                      object: o == Reasoner.unbound ? nil : o, from: limit.from, to: limit.to) { id in
            // Bind the unbound variables; a variable repeated in the atom must match the same term.
            var newlyBound = (-1, -1, -1)
            var matches = true
            if case .variable(let v) = atom.subject {
                let value = facts.subjects[Int(id)]
                if bindings[v] == Reasoner.unbound { bindings[v] = value; newlyBound.0 = v } else if bindings[v] != value { matches = false }
            }
            if matches, case .variable(let v) = atom.predicate {
                let value = facts.predicates[Int(id)]
                if bindings[v] == Reasoner.unbound { bindings[v] = value; newlyBound.1 = v } else if bindings[v] != value { matches = false }
            }
            if matches, case .variable(let v) = atom.object {
                let value = facts.objects[Int(id)]
                if bindings[v] == Reasoner.unbound { bindings[v] = value; newlyBound.2 = v } else if bindings[v] != value { matches = false }
            }
            if matches {
                premises[chosen] = id
                do {
                    if lastIsLeaf, let leafRuleNumber {
                        try self.fireEachMatch(reasoner, compiled: compiled, position: lastAtom, ruleNumber: leafRuleNumber,
                                               bindings: &bindings, premises: &premises)
                    } else {
                        keepGoing = try self.solve(reasoner, compiled: compiled, atomMask: rest, builtInMask: builtInMask,
                                               bindings: &bindings, premises: &premises, emit: emit)
                    }
                } catch {
                    failure = error
                    keepGoing = false
                }
            }
            if newlyBound.0 >= 0 { bindings[newlyBound.0] = Reasoner.unbound }
            if newlyBound.1 >= 0 { bindings[newlyBound.1] = Reasoner.unbound }
            if newlyBound.2 >= 0 { bindings[newlyBound.2] = Reasoner.unbound }
            return keepGoing
        }
        if let failure { throw failure }
        return keepGoing
    }

    /// Fires `compiled` (a derive rule without negations, whose built-ins are done) for every fact matching atom
    /// `position` under `bindings` within its limits: the last step of `solve`, as a plain loop.
    func fireEachMatch(_ reasoner: Reasoner, compiled: CompiledRule, position: Int, ruleNumber: Int32,
                       bindings: inout [TermID], premises: inout [FactID]) throws {
        let limit = limits[position]
        if limit.from >= limit.to { return }
        let atom = atoms[position]
        let facts = reasoner.facts
        let s = Reasoner.value(atom.subject, bindings), p = Reasoner.value(atom.predicate, bindings), o = Reasoner.value(atom.object, bindings)
        let unbound = Reasoner.unbound
        if s != unbound && p != unbound && o != unbound {
            if let id = facts.find(s, p, o), Int(id) >= limit.from, Int(id) < limit.to {
                premises[position] = id
                try reasoner.fire(compiled, ruleNumber: ruleNumber, bindings: bindings, premises: premises, isCheck: false)
            }
            return
        }
        // The atom's variables still unbound (bound per fact), and those bound, or repeated in the atom (checked).
        var subjectVariable = -1, predicateVariable = -1, objectVariable = -1
        if case .variable(let v) = atom.subject, s == unbound { subjectVariable = v }
        if case .variable(let v) = atom.predicate, p == unbound { predicateVariable = v }
        if case .variable(let v) = atom.object, o == unbound { objectVariable = v }
        let list = facts.candidates(subject: s == unbound ? nil : s, predicate: p == unbound ? nil : p, object: o == unbound ? nil : o)
        let count = list?.count ?? limit.to
        var cursor = list == nil ? limit.from : (limit.from == 0 ? 0 : FactIndex.lowerBound(list!, FactID(limit.from)))
        while cursor < count {
            let id = list?[cursor] ?? FactID(cursor)
            cursor += 1
            let index = Int(id)
            if index >= limit.to { return }
            let factSubject = facts.subjects[index], factPredicate = facts.predicates[index], factObject = facts.objects[index]
            if s != unbound && factSubject != s || p != unbound && factPredicate != p || o != unbound && factObject != o { continue }
            // Bind the unbound variables; a variable repeated in the atom must match the same term.
            if subjectVariable >= 0 { bindings[subjectVariable] = factSubject }
            var matches = true
            if predicateVariable >= 0 {
                if bindings[predicateVariable] == unbound { bindings[predicateVariable] = factPredicate } else if bindings[predicateVariable] != factPredicate { matches = false }
            }
            if matches && objectVariable >= 0 {
                if bindings[objectVariable] == unbound { bindings[objectVariable] = factObject } else if bindings[objectVariable] != factObject { matches = false }
            }
            if matches {
                premises[position] = id
                try reasoner.fire(compiled, ruleNumber: ruleNumber, bindings: bindings, premises: premises, isCheck: false)
            }
            if subjectVariable >= 0 { bindings[subjectVariable] = unbound }
            if predicateVariable >= 0 { bindings[predicateVariable] = unbound }
            if objectVariable >= 0 { bindings[objectVariable] = unbound }
        }
    }
}
