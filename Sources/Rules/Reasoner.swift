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
        /// Keep at most this many derivations per fact (nil: all). The first kept is the one that derived the fact,
        /// whose premises are all older than the fact, so a proof tree built from kept derivations always reaches
        /// asserted facts. OWL 2 RL on pato-base finds 12 million derivations of 170 thousand facts.
        public var maximumDerivationsPerFact: Int?

        /// Creates options.
        public init(recordDerivations: Bool = true, maximumRounds: Int = 10_000, maximumDerivationsPerFact: Int? = nil) {
            self.recordDerivations = recordDerivations
            self.maximumRounds = maximumRounds
            self.maximumDerivationsPerFact = maximumDerivationsPerFact
        }
    }

    /// One evaluation unit: rules and native rules of one stratum of one program.
    struct Stratum {
        var rules: [CompiledRule]
        var nativeRules: [any NativeRule]
        /// Per rule: its transitive shape, when it has one (evaluated by `evaluateTransitive`).
        var transitiveShapes: [TransitiveShape?] = []
    }

    /// Engine settings; may be changed until `run` is called.
    @exclusivity(unchecked) public var options: Options
    let dictionary = TermDictionary()
    let facts = FactIndex()
    var layers: [[Stratum]] = []
    /// flag / veto / require rules: evaluated once on the final closure.
    var checkRules: [CompiledRule] = []
    var readsEverything = false
    var readPredicates: Set<Term> = []
    @exclusivity(unchecked) var isAsserted: [Bool] = []
    /// Derivations kept per fact (parallel to the facts), for `Options.maximumDerivationsPerFact`.
    @exclusivity(unchecked) var derivationCounts: [UInt32] = []
    var hasRun = false

    // The engine's hot state opts out of dynamic exclusivity checks (see `FactIndex`): single-threaded, no access
    // is held across a mutation. Derivations, flat: derivation k concludes `derivationFact[k]` by rule `derivationRule[k]` from
    // `derivationPremises[derivationPremiseStart[k] ..< derivationPremiseStart[k + 1]]`.
    @exclusivity(unchecked) var derivationFact: [FactID] = []
    @exclusivity(unchecked) var derivationRule: [Int32] = []
    @exclusivity(unchecked) var derivationPremiseStart: [Int32] = [0]
    @exclusivity(unchecked) var derivationPremises: [FactID] = []
    var ruleIDs: [String] = []
    @exclusivity(unchecked) var derivationsByFact: [FactID: [Int32]]?
    /// Body matches per rule number (every instantiation, redundant ones included).
    @exclusivity(unchecked) var matchesByRule: [Int] = []
    /// Derive firings not reported to the sink because they added no fact and the sink does not want those.
    @exclusivity(unchecked) var unreportedFirings = 0
    /// Per term id: the stamp of the last group that marked it and the fact it marked (`evaluateTransitive`).
    @exclusivity(unchecked) var markStamps: [UInt32] = []
    @exclusivity(unchecked) var markFacts: [FactID] = []
    @exclusivity(unchecked) var markStamp: UInt32 = 0
    /// The facts the current firing added (reused to avoid an allocation per firing).
    @exclusivity(unchecked) var newFactScratch: [FactID] = []

    @exclusivity(unchecked) var sink: (any FiringSink)?
    /// The sink's interned fast path, when it has one (no `Firing` values are built for derive firings).
    @exclusivity(unchecked) var internedSink: (any InternedFiringSink)?

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
            for (index, compiled) in derivingRules.enumerated() {
                strata[numbers[index]].rules.append(compiled)
                strata[numbers[index]].transitiveShapes.append(Reasoner.transitiveShape(compiled))
            }
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
        if isNew { isAsserted.append(true); derivationCounts.append(0) } else { isAsserted[Int(id)] = true }
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
        internedSink = sink as? any InternedFiringSink
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
            for (index, compiled) in stratum.rules.enumerated() {
                if compiled.positives.isEmpty {
                    if round == 1 { try evaluate(compiled, deltaPosition: nil, deltaStart: 0, deltaEnd: deltaEnd, isCheck: false) }
                    continue
                }
                if let shape = stratum.transitiveShapes[index] {
                    for position in 0..<2 {
                        try evaluateTransitive(compiled, shape: shape, deltaPosition: position, deltaStart: deltaStart, deltaEnd: deltaEnd)
                    }
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
            let names = bindings.keys.sorted()
            try self.conclude(conclusions, premises: premises, ruleNumber: ruleNumber, ruleID: native.id,
                              variableNames: names, bindings: names.map { bindings[$0]! })
        }
        try native.evaluate(context)
    }

    func ruleNumber(_ id: String) -> Int32 {
        if let index = ruleIDs.firstIndex(of: id) { return Int32(index) }
        ruleIDs.append(id)
        matchesByRule.append(0)
        return Int32(ruleIDs.count - 1)
    }

    /// Adds the conclusions of one derivation, records it, and reports it to the sink (derive firings that add no
    /// fact only when the sink asks for them). `bindings` are the rule's variable names and their values.
    func conclude(_ conclusions: [(TermID, TermID, TermID)], premises: [FactID], ruleNumber: Int32, ruleID: String,
                  severity: RuleSeverity = .medium, variableNames: [String], bindings: [TermID]) throws {
        matchesByRule[Int(ruleNumber)] += 1
        newFactScratch.removeAll(keepingCapacity: true)
        for (s, p, o) in conclusions {
            let id = addDerived(s, p, o)
            recordDerivation(of: id, premises: premises, ruleNumber: ruleNumber)
        }
        try report(ruleNumber: ruleNumber, ruleID: ruleID, severity: severity, variableNames: variableNames, bindings: bindings,
                   premises: premises, conclusions: conclusions)
    }

    /// Adds a derived fact (noting it in `newFactScratch` when new) and returns its id.
    @inline(__always)
    func addDerived(_ s: TermID, _ p: TermID, _ o: TermID) -> FactID {
        let (id, isNew) = facts.insert(s, p, o)
        if isNew {
            isAsserted.append(false)
            derivationCounts.append(0)
            newFactScratch.append(id)
        }
        return id
    }

    /// Keeps one derivation of fact `id`, unless derivations are not recorded, the fact has its quota, or the fact is
    /// among its own premises (prp-spo1 with p ⊑ p, cax-sco with C ⊑ C, ...: such a derivation proves nothing).
    @inline(__always)
    func recordDerivation(of id: FactID, premises: [FactID], ruleNumber: Int32) {
        guard options.recordDerivations else { return }
        let index = Int(id)
        if let limit = options.maximumDerivationsPerFact, derivationCounts[index] >= limit { return }
        if premises.contains(id) { return }
        derivationCounts[index] += 1
        derivationFact.append(id)
        derivationRule.append(ruleNumber)
        derivationPremises.append(contentsOf: premises)
        derivationPremiseStart.append(Int32(derivationPremises.count))
        derivationsByFact = nil
    }

    /// Reports a derive firing to the sink: through the interned fast path when the sink has one, else as a `Firing`.
    /// The new facts are those in `newFactScratch`.
    func report(ruleNumber: Int32, ruleID: String, severity: RuleSeverity, variableNames: [String], bindings: [TermID],
                premises: [FactID], conclusions: [(TermID, TermID, TermID)]) throws {
        guard let sink else { return }
        guard !newFactScratch.isEmpty || sink.recordsRedundantDerivations else { unreportedFirings += 1; return }
        if let internedSink {
            try internedSink.recordDerive(InternedFiring(ruleID: ruleID, severity: severity, variableNames: variableNames, bindings: bindings,
                                                         premises: premises, conclusions: conclusions, newFacts: newFactScratch),
                                          dictionary: dictionary, facts: facts)
            return
        }
        var named: [String: Term] = [:]
        for (index, name) in variableNames.enumerated() where bindings[index] != Reasoner.unbound {
            named[name] = dictionary.term(bindings[index])
        }
        let firing = Firing(ruleID: ruleID, action: .derive, severity: severity, bindings: named, premises: premises.map(triple),
                            conclusion: conclusions.map { Triple(dictionary.term($0.0), dictionary.term($0.1), dictionary.term($0.2)) })
        try sink.record(firing, newFacts: newFactScratch.map(triple))
    }

    /// Body matches per rule id after a run (every instantiation found, including those that added nothing), for
    /// finding where the time goes.
    public var matchesPerRule: [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(ruleIDs, matchesByRule))
    }

    /// The triple of a fact id.
    func triple(_ id: FactID) -> Triple {
        Triple(dictionary.term(facts.subjects[Int(id)]), dictionary.term(facts.predicates[Int(id)]), dictionary.term(facts.objects[Int(id)]))
    }
}
