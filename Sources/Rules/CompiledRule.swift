import RDF

/// A position of a compiled atom: an interned constant or a variable number.
enum Slot: Equatable {
    case constant(TermID)
    case variable(Int)
}

/// A triple pattern over slots.
struct CompiledAtom {
    var subject: Slot
    var predicate: Slot
    var object: Slot
}

/// A built-in call over slots.
struct CompiledBuiltIn {
    var name: String
    var implementation: BuiltInRegistry.Implementation
    var arguments: [Slot]

    /// Slots that must be bound before the call: all for a test, arguments 2...n for a function.
    var inputs: ArraySlice<Slot> {
        if case .function = implementation { return arguments.dropFirst() }
        return arguments[...]
    }
}

/// A `not(...)` conjunction: its triple atoms and built-ins share the rule's variable numbering.
struct CompiledNegation {
    var atoms: [CompiledAtom]
    var builtIns: [CompiledBuiltIn]
}

/// What a rule reads or writes, for stratification: a predicate (nil = any) and, for `rdf:type`, the class (nil = any).
struct PredicateKey: Hashable {
    var predicate: TermID?
    var typeObject: TermID?

    /// True when a fact matching one key could match the other.
    func overlaps(_ other: PredicateKey, typePredicate: TermID) -> Bool {
        guard let a = predicate, let b = other.predicate else { return true }
        if a != b { return false }
        if a != typePredicate { return true }
        guard let x = typeObject, let y = other.typeObject else { return true }
        return x == y
    }
}

/// A rule with interned constants and numbered variables, ready for joining.
final class CompiledRule {
    let rule: Rule
    let variableNames: [String]
    let positives: [CompiledAtom]
    let builtIns: [CompiledBuiltIn]
    let negations: [CompiledNegation]
    let head: [CompiledAtom]
    let bodyKeys: [PredicateKey]
    let negatedKeys: [PredicateKey]
    let headKeys: [PredicateKey]

    init(_ rule: Rule, dictionary: TermDictionary, builtIns registry: BuiltInRegistry) throws {
        self.rule = rule
        var names: [String] = []
        var numbers: [String: Int] = [:]
        func slot(_ term: RuleTerm) -> Slot {
            switch term {
            case .constant(let constant): return .constant(dictionary.intern(constant))
            case .variable(let name):
                if let number = numbers[name] { return .variable(number) }
                numbers[name] = names.count
                names.append(name)
                return .variable(names.count - 1)
            }
        }
        func atom(_ triple: TripleAtom) -> CompiledAtom {
            CompiledAtom(subject: slot(triple.subject), predicate: slot(triple.predicate), object: slot(triple.object))
        }
        func builtIn(_ name: String, _ arguments: [RuleTerm]) throws -> CompiledBuiltIn {
            guard let implementation = registry.implementation(name) else {
                throw RuleProgramError(ruleIDs: [rule.id], location: rule.location, message: "rule \(rule.id): built-in \(name) is not registered")
            }
            return CompiledBuiltIn(name: name, implementation: implementation, arguments: arguments.map(slot))
        }
        var positives: [CompiledAtom] = [], builtIns: [CompiledBuiltIn] = [], negations: [CompiledNegation] = []
        // Positive atoms first, so variables are numbered in body order.
        for element in rule.body { if case .triple(let triple) = element { positives.append(atom(triple)) } }
        for element in rule.body {
            switch element {
            case .triple: break
            case .builtIn(let name, let arguments): builtIns.append(try builtIn(name, arguments))
            case .negation(let inner):
                var negation = CompiledNegation(atoms: [], builtIns: [])
                for innerElement in inner {
                    switch innerElement {
                    case .triple(let triple): negation.atoms.append(atom(triple))
                    case .builtIn(let name, let arguments): negation.builtIns.append(try builtIn(name, arguments))
                    case .negation: break
                    }
                }
                negations.append(negation)
            }
        }
        // The join tracks pending atoms and built-ins in 64-bit masks.
        guard positives.count < 64, builtIns.count < 64, negations.allSatisfy({ $0.atoms.count < 64 && $0.builtIns.count < 64 }) else {
            throw RuleProgramError(ruleIDs: [rule.id], location: rule.location,
                                   message: "rule \(rule.id) has more than 63 triple atoms or built-ins; split it into several rules")
        }
        self.positives = positives
        self.builtIns = builtIns
        self.negations = negations
        self.head = rule.head.map(atom)
        self.variableNames = names
        let typeID = dictionary.intern(.iri(Vocabulary.RDF.type))
        func key(_ atom: CompiledAtom) -> PredicateKey {
            guard case .constant(let p) = atom.predicate else { return PredicateKey(predicate: nil, typeObject: nil) }
            if p == typeID, case .constant(let o) = atom.object { return PredicateKey(predicate: p, typeObject: o) }
            return PredicateKey(predicate: p, typeObject: nil)
        }
        bodyKeys = positives.map(key)
        negatedKeys = negations.flatMap { $0.atoms.map(key) }
        headKeys = (rule.action == .derive && !rule.concludesFalse) ? head.map(key) : []
        try checkBuiltInOrder()
    }

    /// Every built-in must become evaluable: its inputs bound by positive atoms or earlier function results.
    private func checkBuiltInOrder() throws {
        var bound = Set<Int>()
        for atom in positives {
            for slot in [atom.subject, atom.predicate, atom.object] { if case .variable(let v) = slot { bound.insert(v) } }
        }
        var pending = builtIns
        while !pending.isEmpty {
            guard let ready = pending.firstIndex(where: { call in
                call.inputs.allSatisfy { if case .variable(let v) = $0 { return bound.contains(v) } else { return true } }
            }) else {
                let call = pending[0]
                let unbound = call.inputs.compactMap { slot -> String? in
                    if case .variable(let v) = slot, !bound.contains(v) { return "?" + variableNames[v] } else { return nil }
                }
                throw RuleProgramError(ruleIDs: [rule.id], location: rule.location,
                                       message: "rule \(rule.id): \(call.name) needs \(unbound.joined(separator: ", ")) bound, but no positive atom binds it")
            }
            if case .variable(let v) = pending[ready].arguments.first { bound.insert(v) }
            pending.remove(at: ready)
        }
    }
}
