import RDF

/// A forward-chaining rule engine: stratified, semi-naive, bottom-up evaluation over interned facts.
///
/// Use: `let reasoner = try Reasoner(programs: [.owl2RL()])`, `try reasoner.load(source)`,
/// `let summary = try reasoner.run(sink: collector)`, then query `contains`, `derivedTriples`,
/// `derivations(of:)`, `proofTree(for:)`, `inconsistencies` and `firings`.
///
/// Evaluation (Abiteboul–Hull–Vianu ch. 13): each stratum runs in rounds; in round r a rule is evaluated once
/// per positive body atom i with atom i restricted to the facts new in round r−1 (the delta), atoms before i to
/// facts older than the delta and atoms after i to all facts known at the start of round r. Every instantiation
/// of a rule body is therefore found exactly once, which is what lets every derivation be recorded.
/// Joins pick, at each step, the atom with the fewest candidate facts given the bindings so far
/// (posting lists on p, s, o, (p,s), (p,o)); built-ins run as soon as their inputs are bound; `not(...)` last.
public final class Reasoner {
    /// Engine settings.
    public struct Options: Sendable {
        /// Keep every derivation (rule + premises) in memory for `derivations(of:)` and `proofTree(for:)`.
        public var recordDerivations: Bool
        /// Stop a stratum after this many rounds (a guard against built-ins that generate new terms forever).
        public var maximumRounds: Int

        /// Creates options.
        public init(recordDerivations: Bool = true, maximumRounds: Int = 10_000) {
            self.recordDerivations = recordDerivations
            self.maximumRounds = maximumRounds
        }
    }

    /// One evaluation unit: rules and native rules of one stratum of one program.
    struct Stratum {
        var rules: [CompiledRule]
        var nativeRules: [any NativeRule]
    }

    let options: Options
    let dictionary = TermDictionary()
    let facts = FactIndex()
    var layers: [[Stratum]] = []
    /// flag / veto / require rules: evaluated once on the final closure.
    var checkRules: [CompiledRule] = []
    var readsEverything = false
    var readPredicates: Set<Term> = []
    var isAsserted: [Bool] = []
    var hasRun = false

    // Derivations, flat: derivation k concludes `derivationFact[k]` by rule `derivationRule[k]` from
    // `derivationPremises[derivationPremiseStart[k] ..< derivationPremiseStart[k + 1]]`.
    var derivationFact: [FactID] = []
    var derivationRule: [Int32] = []
    var derivationPremiseStart: [Int32] = [0]
    var derivationPremises: [FactID] = []
    var ruleIDs: [String] = []
    var derivationsByFact: [FactID: [Int32]]?

    var sink: (any FiringSink)?

    /// Inconsistencies found: firings of rules whose head is `false`, with the facts behind them.
    public internal(set) var inconsistencies: [Firing] = []
    /// Firings of `flag`, `veto` and `require` rules on the final closure.
    public internal(set) var firings: [Firing] = []

    /// Compiles and stratifies `programs` (run in order, see `RuleProgram`); throws `RuleProgramError`.
    public init(programs: [RuleProgram], builtIns: BuiltInRegistry = BuiltInRegistry(), options: Options = Options()) throws {
        self.options = options
        let typeID = dictionary.intern(.iri(Vocabulary.RDF.type))
        for program in programs {
            var derivingRules: [CompiledRule] = []
            for rule in program.rules {
                let compiled = try CompiledRule(rule, dictionary: dictionary, builtIns: builtIns)
                if rule.action == .derive { derivingRules.append(compiled) } else { checkRules.append(compiled) }
                noteReads(compiled)
            }
            if !program.nativeRules.isEmpty { readsEverything = true }
            var items = derivingRules.map {
                Stratifier.Item(id: $0.rule.id, bodyKeys: $0.bodyKeys, negatedKeys: $0.negatedKeys, headKeys: $0.headKeys,
                                readsAndWritesEverything: false)
            }
            items += program.nativeRules.map {
                Stratifier.Item(id: $0.id, bodyKeys: [], negatedKeys: [], headKeys: [], readsAndWritesEverything: true)
            }
            let numbers = try Stratifier.strata(items, typePredicate: typeID)
            var strata = [Stratum](repeating: Stratum(rules: [], nativeRules: []), count: (numbers.max() ?? -1) + 1)
            for (index, compiled) in derivingRules.enumerated() { strata[numbers[index]].rules.append(compiled) }
            for (index, native) in program.nativeRules.enumerated() { strata[numbers[derivingRules.count + index]].nativeRules.append(native) }
            layers.append(strata)
        }
        // Check rules read the final closure: they may negate anything, so they need no stratum.
        for compiled in checkRules {
            noteReads(compiled)
            // A requirement is checked against the store's facts, so its head predicates must be loaded too.
            if compiled.rule.action == .require {
                for atom in compiled.head {
                    if case .constant(let p) = atom.predicate { readPredicates.insert(dictionary.term(p)) } else { readsEverything = true }
                }
            }
        }
    }

    private func noteReads(_ compiled: CompiledRule) {
        for atom in compiled.positives + compiled.negations.flatMap(\.atoms) {
            if case .constant(let p) = atom.predicate { readPredicates.insert(dictionary.term(p)) } else { readsEverything = true }
        }
    }

    /// The number of strata per program, in program order.
    public var strataCounts: [Int] { layers.map(\.count) }

    // MARK: Facts in

    /// Adds one asserted fact.
    public func insert(_ triple: Triple) {
        let (id, isNew) = facts.insert(dictionary.intern(triple.subject), dictionary.intern(triple.predicate), dictionary.intern(triple.object))
        if isNew { isAsserted.append(true) } else { isAsserted[Int(id)] = true }
    }

    /// Loads the facts the rules can read from `source` (every triple if some rule reads a variable predicate,
    /// else one lookup per predicate the rules mention); returns the number of triples read.
    @discardableResult
    public func load(_ source: some FactSource) throws -> Int {
        var read = 0
        if readsEverything {
            try source.forEachTriple(subject: nil, predicate: nil, object: nil) { insert($0); read += 1 }
        } else {
            for predicate in readPredicates.sorted(by: { $0.description < $1.description }) {
                try source.forEachTriple(subject: nil, predicate: predicate, object: nil) { insert($0); read += 1 }
            }
        }
        return read
    }

    // MARK: Running

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        /// Facts before the run.
        public var assertedFacts: Int
        /// Facts added by the run.
        public var derivedFacts: Int
        /// Derivations recorded (one per distinct rule instantiation that concluded facts).
        public var derivations: Int
        /// Rounds over all strata.
        public var rounds: Int
        /// Inconsistencies found.
        public var inconsistencies: Int
        /// Firings of flag / veto / require rules.
        public var checkFirings: Int
    }

    /// Runs every program to its fixpoint, then the flag / veto / require rules; reports each firing to `sink`.
    /// A reasoner runs once.
    public func run(sink: (any FiringSink)? = nil) throws -> Summary {
        precondition(!hasRun, "Reasoner.run is called once per reasoner; create a new one to reason again")
        hasRun = true
        self.sink = sink
        let before = facts.count
        var rounds = 0
        for strata in layers {
            for stratum in strata {
                rounds += try runStratum(stratum)
            }
        }
        for compiled in checkRules {
            try evaluate(compiled, deltaPosition: compiled.positives.isEmpty ? nil : 0, deltaStart: 0, deltaEnd: facts.count, isCheck: true)
        }
        return Summary(assertedFacts: before, derivedFacts: facts.count - before, derivations: derivationFact.count,
                       rounds: rounds, inconsistencies: inconsistencies.count, checkFirings: firings.count)
    }

    /// Runs one stratum to its fixpoint; returns the number of rounds.
    private func runStratum(_ stratum: Stratum) throws -> Int {
        var deltaStart = 0
        var deltaEnd = facts.count
        var round = 0
        while true {
            round += 1
            for compiled in stratum.rules {
                if compiled.positives.isEmpty {
                    if round == 1 { try evaluate(compiled, deltaPosition: nil, deltaStart: 0, deltaEnd: deltaEnd, isCheck: false) }
                    continue
                }
                for position in compiled.positives.indices {
                    try evaluate(compiled, deltaPosition: position, deltaStart: deltaStart, deltaEnd: deltaEnd, isCheck: false)
                }
            }
            for native in stratum.nativeRules {
                try evaluateNative(native, deltaStart: deltaStart, deltaEnd: deltaEnd)
            }
            if facts.count == deltaEnd || round >= options.maximumRounds { return round }
            deltaStart = deltaEnd
            deltaEnd = facts.count
        }
    }

    private func evaluateNative(_ native: any NativeRule, deltaStart: Int, deltaEnd: Int) throws {
        let ruleNumber = ruleNumber(native.id)
        let context = NativeRuleContext(facts: facts, dictionary: dictionary, visibleEnd: deltaEnd) { conclusions, premises, inconsistent, bindings in
            // A match whose premises all predate the delta was emitted in an earlier round.
            guard premises.contains(where: { Int($0) >= deltaStart }) else { return }
            if inconsistent {
                self.inconsistencies.append(Firing(ruleID: native.id, action: .derive, severity: .high,
                                                   bindings: bindings.mapValues { self.dictionary.term($0) },
                                                   premises: premises.map(self.triple), conclusion: [], isInconsistency: true))
                return
            }
            try self.conclude(conclusions, premises: premises, ruleNumber: ruleNumber, ruleID: native.id,
                              bindings: { bindings.mapValues { self.dictionary.term($0) } })
        }
        try native.evaluate(context)
    }

    func ruleNumber(_ id: String) -> Int32 {
        if let index = ruleIDs.firstIndex(of: id) { return Int32(index) }
        ruleIDs.append(id)
        return Int32(ruleIDs.count - 1)
    }

    /// Adds the conclusions of one derivation, records it, and reports it to the sink.
    func conclude(_ conclusions: [(TermID, TermID, TermID)], premises: [FactID], ruleNumber: Int32, ruleID: String,
                  severity: RuleSeverity = .medium, bindings: () -> [String: Term]) throws {
        var newFacts: [Triple] = []
        for (s, p, o) in conclusions {
            let (id, isNew) = facts.insert(s, p, o)
            if isNew {
                isAsserted.append(false)
                if sink != nil { newFacts.append(triple(id)) }
            }
            if options.recordDerivations {
                derivationFact.append(id)
                derivationRule.append(ruleNumber)
                derivationPremises.append(contentsOf: premises)
                derivationPremiseStart.append(Int32(derivationPremises.count))
                derivationsByFact = nil
            }
        }
        if let sink, !newFacts.isEmpty || sink.recordsRedundantDerivations {
            let firing = Firing(ruleID: ruleID, action: .derive, severity: severity, bindings: bindings(),
                                premises: premises.map(triple), conclusion: conclusions.map { Triple(dictionary.term($0.0), dictionary.term($0.1), dictionary.term($0.2)) })
            try sink.record(firing, newFacts: newFacts)
        }
    }

    /// The triple of a fact id.
    func triple(_ id: FactID) -> Triple {
        Triple(dictionary.term(facts.subjects[Int(id)]), dictionary.term(facts.predicates[Int(id)]), dictionary.term(facts.objects[Int(id)]))
    }
}
