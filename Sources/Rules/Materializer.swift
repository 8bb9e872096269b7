import Foundation
import KnowledgeStore
import RDF

/// The ontology rule set a materialisation runs under the SWRL and file rules.
public enum ReasoningProfile: String, CaseIterable, Sendable {
    /// RDFS entailment (rdfs1–rdfs13 without the axiomatic triples).
    case rdfs
    /// The OWL 2 RL/RDF rules.
    case owlRL = "owl-rl"
    /// No ontology rules: only SWRL rules from the ontologies and `--rules` files.
    case none

    /// The rule program of the profile, or nil for `none`.
    public func program() throws -> RuleProgram? {
        switch self {
        case .rdfs: return try .rdfs(axioms: false)
        case .owlRL: return try .owl2RL()
        case .none: return nil
        }
    }
}

/// What a materialisation did.
public struct Materialization: Sendable {
    /// The audit-log run that recorded it.
    public var runID: Int64
    /// The inferred graph the derived facts went into.
    public var graphIRI: String
    /// Distinct asserted triples read.
    public var assertedTriples: Int
    /// Triples stored in the inferred graph.
    public var inferredTriples: Int
    /// Derivations stored (every way each derived fact was derived, generalized facts included).
    public var derivations: Int
    /// Firings written to the audit log.
    public var firings: Int
    /// Derive firings not logged because they added no fact (a later derivation of a known fact); each such
    /// derivation is still stored in `derivations` unless the fact is among its own premises (e.g. prp-spo1 with
    /// p ⊑ p), which proves nothing.
    public var tautologicalFirings: Int
    /// SWRL rules read from the ontologies.
    public var ontologyRules: Int
    /// Per rule id: (firings logged, facts it added first), sorted by rule id.
    public var countsByRule: [(rule: String, firings: Int, newFacts: Int)]
    /// Inconsistencies, with the facts behind them.
    public var inconsistencies: [Firing]
    /// Firings of flag, veto and require rules.
    public var checkFirings: [Firing]
    /// Seconds spent reading the store, reasoning (including writing firings) and storing facts and derivations.
    public var seconds: (read: Double, reason: Double, store: Double)
}

/// The result of an overlay run: a case's facts reasoned over together with the store, nothing written to its graphs.
public struct OverlayResult: Sendable {
    /// Firings of flag, veto and require rules, inconsistencies, and derive firings that depend (directly or
    /// through other derived facts) on a case fact, in the order they happened.
    public var firings: [Firing]
    /// Facts derived that depend on a case fact.
    public var derived: [Triple]
    /// Inconsistencies found (also in `firings`).
    public var inconsistencies: [Firing]
    /// The audit-log run id, when the run was persisted.
    public var runID: Int64?
}

/// Runs the rule engine over the knowledge store: the profile's rules, the SWRL rules of the loaded ontologies and
/// extra rules, over every asserted graph.
///
/// `materialize` stores the closure in the inferred graph `urn:kgfuse:inferred:<profile>` (replaced on each run)
/// with every derivation, and logs each firing under one audit-log run, all in one transaction.
/// `overlay` adds a case's triples for one run only and never writes to any graph.
///
/// The profile and the rules run as one stratified program when that is possible; when the rules use `not(...)`
/// over predicates the profile writes (any predicate, for RDFS and OWL 2 RL), they run as a second layer on the
/// profile's closure (see `RuleProgram`).
public struct Materializer {
    /// The ontology rule set.
    public var profile: ReasoningProfile
    /// Rules from `--rules` files (or a domain pack).
    public var extraRules: [Rule]
    /// Read `swrl:Imp` rules from the asserted graphs.
    public var includeOntologyRules: Bool
    /// Built-ins available to the rules.
    public var builtIns: BuiltInRegistry
    /// Store at most this many derivations per derived fact (nil: all). OWL 2 RL on pato-base has 12 million
    /// derivations of 170 thousand derived facts; storing them all takes minutes and gigabytes. The first kept is the
    /// one that derived the fact, so every stored proof tree reaches asserted facts.
    public var maximumDerivationsPerFact: Int? = Materializer.defaultDerivationsPerFact

    /// The default of `maximumDerivationsPerFact` (and of `kgfuse reason --derivations-per-fact`).
    public static let defaultDerivationsPerFact = 1

    /// Creates a materializer.
    public init(profile: ReasoningProfile, extraRules: [Rule] = [], includeOntologyRules: Bool = true, builtIns: BuiltInRegistry = BuiltInRegistry()) {
        self.profile = profile
        self.extraRules = extraRules
        self.includeOntologyRules = includeOntologyRules
        self.builtIns = builtIns
    }

    /// The IRI of the inferred graph of a profile.
    public static func inferredGraphIRI(_ profile: ReasoningProfile) -> String { "urn:kgfuse:inferred:\(profile.rawValue)" }

    /// Everything a run needs, read from the store.
    struct Prepared {
        var graph: InMemoryGraph
        var ontology: [OntologyVersion]
        var rules: [Rule]
        var ontologyRules: Int
        var reasoner: Reasoner
        var rulesetSHA256: String
    }

    func prepare(_ store: KnowledgeStore, extraFacts: [Triple]) throws -> Prepared {
        let asserted = try store.graphs().filter { $0.kind == "asserted" }
        let box = GraphBox()
        try store.forEachTriple(includeInferred: false) { box.graph.insert($0) }
        var graph = box.graph
        let ontologyRules = includeOntologyRules ? try SWRLImport.rules(from: graph) : []
        for triple in extraFacts { graph.insert(triple) }
        let rules = ontologyRules + extraRules
        let programs = try Materializer.programs(profile: profile, rules: rules, builtIns: builtIns)
        let reasoner = try Reasoner(programs: programs, builtIns: builtIns)
        let rulesetSHA256 = Materializer.rulesetSHA256(profile: profile, programs: programs, rules: rules)
        return Prepared(graph: graph, ontology: asserted.map { OntologyVersion(graph: $0.iri, sha256: $0.sha256) },
                        rules: rules, ontologyRules: ontologyRules.count, reasoner: reasoner,
                        rulesetSHA256: rulesetSHA256)
    }

    /// Materialises the closure of the store's asserted graphs into the profile's inferred graph and logs the run.
    ///
    /// The engine keeps derivations as fact-id rows (at most `maximumDerivationsPerFact` per fact, never one whose
    /// conclusion is among its premises); derive firings that add a fact go to the audit log as they happen, encoded
    /// straight from term ids; then the derived facts and the derivations are written as store term-id rows.
    public func materialize(_ store: KnowledgeStore) throws -> Materialization {
        let clock = ContinuousClock()
        var trace = PhaseTrace()
        let readStart = clock.now
        let prepared = try prepare(store, extraFacts: [])
        let reasoner = prepared.reasoner
        reasoner.options.maximumDerivationsPerFact = maximumDerivationsPerFact
        trace.phase("read store, compile rules")
        try reasoner.load(prepared.graph)
        trace.phase("load facts into the engine")
        let readSeconds = (clock.now - readStart).seconds
        let graphIRI = Materializer.inferredGraphIRI(profile)
        var reasonSeconds = 0.0, storeSeconds = 0.0
        var counts: [String: (firings: Int, newFacts: Int)] = [:]
        var inferredCount = 0, derivationCount = 0, firingCount = 0
        var checkFirings: [Firing] = []
        var unlogged = 0
        let startedAt = KnowledgeStore.timestamp()
        let runID = try store.recordRun { writer in
            let reasonStart = clock.now
            try writer.reservePageCache(megabytes: 128)
            // The engine runs on a thread of its own and streams encoded firings to this thread, which owns the
            // SQLite connection and writes them (hash chain, inserts) while the engine goes on.
            // The first derivation of each new fact travels with its firing and is written at the same time.
            let graphID = try writer.replaceInferredGraph(iri: graphIRI, source: "kgfuse reason --profile \(profile.rawValue)")
            // Indexes whose keys arrive in ascending order (one run, one graph, increasing row ids) stay live: they cost
            // little per row, and the rows go in while the engine runs, so they are hidden behind it; the two with
            // scattered keys, `firings_rule` and `derivations_fact`, are built once at the end.
            try writer.suspendLogIndexes(keeping: ["firings_run", "derivations_graph"])
            let queue = FiringQueue()
            let sink = AuditLogSink(queue: queue)
            sink.attach(dictionary: reasoner.dictionary, facts: reasoner.facts)
            sink.derivationGraphID = graphID
            let engine = EngineThread<(Reasoner.Summary, Double)> {
                defer { sink.flush(); queue.finish() }
                let started = PhaseTrace.threadCPUSeconds()
                let summary = try reasoner.run(sink: sink)
                return (summary, PhaseTrace.threadCPUSeconds() - started)
            }
            engine.start()
            var loggingSeconds = 0.0
            do {
                while let batches = queue.take() {
                    let started = PhaseTrace.threadCPUSeconds()
                    for batch in batches { try sink.write(batch, to: writer) }
                    loggingSeconds += PhaseTrace.threadCPUSeconds() - started
                }
            } catch {
                queue.cancel()
                _ = try? engine.join()
                throw error
            }
            let (summary, engineSeconds) = try engine.join()
            reasonSeconds = (clock.now - reasonStart).seconds
            trace.phase("reason + log \(writer.firingCount) firings (engine thread \(String(format: "%.3f", engineSeconds)) s cpu, "
                        + "log \(String(format: "%.3f", loggingSeconds)) s cpu)")
            let storeStart = clock.now
            // The derived facts that are valid RDF (generalized triples such as literal subjects stay internal).
            var rows: [SIMD3<Int64>] = []
            let facts = reasoner.facts
            for index in 0..<facts.count where !reasoner.isAsserted[index] {
                let s = facts.subjects[index], p = facts.predicates[index]
                guard reasoner.dictionary.term(s).isResource, reasoner.dictionary.term(p).iriValue != nil else { continue }
                rows.append(SIMD3(try sink.storeID(s), try sink.storeID(p), try sink.storeID(facts.objects[index])))
            }
            for term in sink.takeNewTerms() { _ = try writer.termID(term) }
            inferredCount = try writer.storeInferredRows(rows, graphID: graphID)
            trace.phase("store \(inferredCount) inferred triples")
            // Every other kept derivation of a derived fact (generalized facts included: they can be premises): the
            // first of each fact went with its firing. Inserted in (s, p, o) order of store ids so the derivations_fact
            // index grows at its end instead of at random places.
            derivationCount = sink.streamedDerivations
            var order: [(s: Int64, p: Int64, o: Int64, k: Int)] = []
            var firstSeen = [Bool](repeating: false, count: facts.count)
            for k in 0..<reasoner.derivationFact.count {
                let fact = Int(reasoner.derivationFact[k])
                if reasoner.isAsserted[fact] { continue }
                if !firstSeen[fact] { firstSeen[fact] = true; continue }
                order.append((try sink.storeID(facts.subjects[fact]), try sink.storeID(facts.predicates[fact]), try sink.storeID(facts.objects[fact]), k))
            }
            order.sort { a, b in a.s != b.s ? a.s < b.s : (a.p != b.p ? a.p < b.p : (a.o != b.o ? a.o < b.o : a.k < b.k)) }
            for term in sink.takeNewTerms() { _ = try writer.termID(term) }
            var premisesBytes: [UInt8] = []
            for row in order {
                let premises = Int(reasoner.derivationPremiseStart[row.k])..<Int(reasoner.derivationPremiseStart[row.k + 1])
                premisesBytes.removeAll(keepingCapacity: true)
                try sink.encodeFacts(reasoner.derivationPremises[premises], into: &premisesBytes)
                try writer.addDerivation(s: row.s, p: row.p, o: row.o, rule: reasoner.ruleIDs[Int(reasoner.derivationRule[row.k])],
                                         encodedPremises: premisesBytes, graphID: graphID)
                derivationCount += 1
            }
            for term in sink.takeNewTerms() { _ = try writer.termID(term) }
            trace.phase("store \(derivationCount) derivations")
            try writer.restoreLogIndexes()
            trace.phase("firing and derivation indexes")
            storeSeconds = (clock.now - storeStart).seconds
            counts = sink.counts
            firingCount = writer.firingCount
            unlogged = reasoner.unreportedFirings
            checkFirings = reasoner.firings
            let output = """
                {"profile":\(Materializer.json(profile.rawValue)),"graph":\(Materializer.json(graphIRI)),\
                "asserted":\(summary.assertedFacts),"derived":\(summary.derivedFacts),"stored":\(inferredCount),\
                "derivations":\(derivationCount),"rounds":\(summary.rounds),"inconsistencies":\(summary.inconsistencies),\
                "checkFirings":\(summary.checkFirings),"unloggedDeriveFirings":\(unlogged),"ontologyRules":\(prepared.ontologyRules),"extraRules":\(extraRules.count)}
                """
            return AuditRun(kind: "reason", startedAt: startedAt, ontology: prepared.ontology, rulesetSHA256: prepared.rulesetSHA256,
                            output: output)
        }
        trace.phase("commit")
        return Materialization(
            runID: runID, graphIRI: graphIRI, assertedTriples: prepared.graph.count, inferredTriples: inferredCount,
            derivations: derivationCount, firings: firingCount, tautologicalFirings: unlogged, ontologyRules: prepared.ontologyRules,
            countsByRule: counts.keys.sorted().map { ($0, counts[$0]!.firings, counts[$0]!.newFacts) },
            inconsistencies: reasoner.inconsistencies, checkFirings: checkFirings,
            seconds: (readSeconds, reasonSeconds, storeSeconds))
    }

    /// Reasons over the store's asserted graphs plus `caseTriples` (a case's facts and predictions) for one run,
    /// without writing to any graph. When `run` is given, the returned firings are written to the audit log as
    /// that run (its ontology and rule-set sha256 are filled in when left empty) and the run id is returned.
    public func overlay(_ store: KnowledgeStore, caseTriples: [Triple], run: AuditRun? = nil) throws -> OverlayResult {
        let prepared = try prepare(store, extraFacts: caseTriples)
        let reasoner = prepared.reasoner
        try reasoner.load(prepared.graph)
        let sink = CaseDependencySink(caseFacts: Set(caseTriples))
        _ = try reasoner.run(sink: sink)
        var runID: Int64?
        if var run {
            if run.ontology.isEmpty { run.ontology = prepared.ontology }
            if run.rulesetSHA256 == nil { run.rulesetSHA256 = prepared.rulesetSHA256 }
            runID = try store.appendRun(run, firings: sink.firings.map(AuditLogSink.record))
        }
        return OverlayResult(firings: sink.firings, derived: sink.derived, inconsistencies: reasoner.inconsistencies, runID: runID)
    }

    static func json(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}

/// Collects the asserted triples read from the store (the store's reader hands them over one at a time).
final class GraphBox: @unchecked Sendable {
    var graph = InMemoryGraph()
}

/// Encodes every firing for the audit log as it happens (on the engine's thread) and counts firings and new facts per
/// rule; `write(_:to:)` writes the batches on the thread that owns the database.
///
/// Derive firings arrive interned (`InternedFiringSink`): their bindings, premises and conclusions are encoded
/// (`AuditEncoding`) straight from engine term ids through a per-term cache of store ids, with no `Triple` or
/// dictionary built.
/// Store ids are computed here (`KnowledgeStore.termID`, a pure function of the term); terms seen for the first time
/// travel with the batch so the database thread adds them to `terms`.
final class AuditLogSink: InternedFiringSink, @unchecked Sendable {
    private let queue: FiringQueue
    var counts: [String: (firings: Int, newFacts: Int)] = [:]
    /// Store term id per engine term id, filled on first use (`hasStoreID` tells which are filled).
    private var storeIDs: [Int64] = []
    private var hasStoreID: [Bool] = []
    private var dictionary: TermDictionary?
    private var facts: FactIndex?
    /// Per rule id: the order of its variables by name and each name as a JSON key with its colon.
    private var bindingLayouts: [String: (order: [Int], keys: [[UInt8]])] = [:]
    /// The batch being filled.
    private var batch = FiringBatch()
    /// The inferred graph the streamed derivations belong to (nil: derivations are not streamed).
    var derivationGraphID: Int64?
    /// Derivations written from the stream (one per fact a logged firing added).
    private(set) var streamedDerivations = 0
    /// Firings per batch.
    private let batchSize = 512

    init(queue: FiringQueue) { self.queue = queue }

    /// Derive firings that add no fact are not logged (their derivations are stored), so the engine need not build them.
    var recordsRedundantDerivations: Bool { false }

    static func record(_ firing: Firing) -> AuditFiring {
        AuditFiring(rule: firing.ruleID, action: firing.isInconsistency ? "inconsistency" : firing.action.rawValue,
                    severity: firing.severity.rawValue, bindings: firing.bindings, premises: firing.premises,
                    conclusion: firing.conclusion, satisfied: firing.satisfied)
    }

    /// Inconsistencies and check firings.
    func record(_ firing: Firing, newFacts: [Triple]) throws {
        enqueue(.full(AuditLogSink.record(firing)))
        count(firing.ruleID, newFacts: newFacts.count)
    }

    private func count(_ rule: String, newFacts: Int) {
        var count = counts[rule] ?? (0, 0)
        count.firings += 1
        count.newFacts += newFacts
        counts[rule] = count
    }

    private func enqueue(_ firing: QueuedFiring) {
        batch.firings.append(firing)
        if batch.firings.count >= batchSize { flush() }
    }

    /// Hands the batch being filled to the database thread.
    func flush() {
        guard !batch.firings.isEmpty || !batch.newTerms.isEmpty else { return }
        queue.push(batch)
        batch = FiringBatch()
    }

    /// The terms met since the last batch (for writes made after the run, on the database thread).
    func takeNewTerms() -> [Term] {
        defer { batch.newTerms.removeAll() }
        return batch.newTerms
    }

    /// Writes one batch: its new terms, then its firings in order. Runs on the thread that owns the database.
    func write(_ batch: FiringBatch, to writer: AuditRunWriter) throws {
        for term in batch.newTerms { _ = try writer.termID(term) }
        for firing in batch.firings {
            switch firing {
            case .encoded(let rule, let severity, let bindings, let premises, let conclusion):
                try writer.appendEncoded(rule: rule, action: RuleAction.derive.rawValue, severity: severity, bindings: bindings,
                                         premises: premises, conclusion: conclusion, satisfied: nil)
            case .full(let record):
                try writer.append(record)
            case .derivation(let s, let p, let o, let rule, let premises):
                guard let graphID = derivationGraphID else { continue }
                try writer.addDerivation(s: s, p: p, o: o, rule: rule, encodedPremises: premises, graphID: graphID)
                streamedDerivations += 1
            }
        }
    }

    /// The store id of engine term `id`; a term met for the first time joins the batch's new terms.
    func storeID(_ id: TermID) throws -> Int64 {
        let index = Int(id)
        if index < hasStoreID.count, hasStoreID[index] { return storeIDs[index] }
        guard let dictionary else { throw StoreError(.sqlite, "AuditLogSink used before the engine reported a firing") }
        if index >= hasStoreID.count {
            let size = max(index + 1, dictionary.terms.count)
            storeIDs += [Int64](repeating: 0, count: size - storeIDs.count)
            hasStoreID += [Bool](repeating: false, count: size - hasStoreID.count)
        }
        let term = dictionary.term(id)
        let value = KnowledgeStore.termID(term)
        batch.newTerms.append(term)
        storeIDs[index] = value
        hasStoreID[index] = true
        return value
    }

    /// Sets the engine structures the sink reads (before `storeID` is used outside a firing).
    func attach(dictionary: TermDictionary, facts: FactIndex) {
        self.dictionary = dictionary
        self.facts = facts
    }

    /// The store id of engine term `id` (cached).
    @inline(__always)
    private func cachedStoreID(_ id: TermID) throws -> Int64 {
        let index = Int(id)
        if index < hasStoreID.count && hasStoreID[index] { return storeIDs[index] }
        return try storeID(id)
    }

    /// Appends an `AuditEncoding` triples BLOB of store ids for engine facts.
    func encodeFacts(_ ids: ArraySlice<FactID>, into bytes: inout [UInt8]) throws {
        guard let facts else { throw StoreError(.sqlite, "AuditLogSink used before the engine reported a firing") }
        for id in ids {
            let index = Int(id)
            try encodeTriple(facts.subjects[index], facts.predicates[index], facts.objects[index], into: &bytes)
        }
    }

    private func encodeTriple(_ s: TermID, _ p: TermID, _ o: TermID, into bytes: inout [UInt8]) throws {
        AuditEncoding.appendTriple(try cachedStoreID(s), try cachedStoreID(p), try cachedStoreID(o), to: &bytes)
    }

    /// Appends the decimal digits of `value` (with a leading `-` when negative).
    static func appendDecimal(_ value: Int64, to text: inout [UInt8]) {
        if value == 0 { text.append(UInt8(ascii: "0")); return }
        var magnitude = value.magnitude
        if value < 0 { text.append(UInt8(ascii: "-")) }
        let start = text.count
        while magnitude > 0 {
            text.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        text[start...].reverse()
    }

    /// A derive firing that added facts, encoded as `AuditRunWriter.append` would encode its `Firing`.
    func recordDerive(_ firing: InternedFiring, dictionary: TermDictionary, facts: FactIndex) throws {
        self.dictionary = dictionary
        self.facts = facts
        let layout: (order: [Int], keys: [[UInt8]])
        if let known = bindingLayouts[firing.ruleID] {
            layout = known
        } else {
            let order = firing.variableNames.indices.sorted { firing.variableNames[$0] < firing.variableNames[$1] }
            layout = (order, order.map { Array((KnowledgeStore.jsonString(firing.variableNames[$0]) + ":").utf8) })
            bindingLayouts[firing.ruleID] = layout
        }
        // Bindings as a JSON object from variable name (sorted) to decimal store id, as `AuditRunWriter.append` writes them.
        var bindings: [UInt8] = [UInt8(ascii: "{")]
        bindings.reserveCapacity(layout.order.count * 28 + 2)
        for (position, variable) in layout.order.enumerated() where firing.bindings[variable] != Reasoner.unbound {
            if bindings.count > 1 { bindings.append(UInt8(ascii: ",")) }
            bindings.append(contentsOf: layout.keys[position])
            AuditLogSink.appendDecimal(try cachedStoreID(firing.bindings[variable]), to: &bindings)
        }
        bindings.append(UInt8(ascii: "}"))
        // Fresh arrays per firing: they travel to the database thread (the derivations below share `premises`).
        var premises: [UInt8] = []
        premises.reserveCapacity(firing.premises.count * 24)
        try encodeFacts(firing.premises[...], into: &premises)
        var conclusion: [UInt8] = []
        conclusion.reserveCapacity(firing.conclusions.count * 24)
        for triple in firing.conclusions { try encodeTriple(triple.0, triple.1, triple.2, into: &conclusion) }
        enqueue(.encoded(rule: firing.ruleID, severity: firing.severity.rawValue, bindings: String(decoding: bindings, as: UTF8.self),
                         premises: premises,
                         conclusion: conclusion))
        // The engine keeps each new fact's first derivation (this firing's premises): it is written with the firing.
        if derivationGraphID != nil {
            for id in firing.newFacts {
                let index = Int(id)
                enqueue(.derivation(s: try storeID(facts.subjects[index]), p: try storeID(facts.predicates[index]),
                                    o: try storeID(facts.objects[index]), rule: firing.ruleID, premises: premises))
            }
        }
        count(firing.ruleID, newFacts: firing.newFacts.count)
    }
}

/// Keeps the firings that depend on a case: check firings, inconsistencies, and derive firings with a premise that
/// is a case fact or was derived (first) by such a firing.
final class CaseDependencySink: FiringSink {
    var dependent: Set<Triple>
    var firings: [Firing] = []
    var derived: [Triple] = []

    init(caseFacts: Set<Triple>) { dependent = caseFacts }

    func record(_ firing: Firing, newFacts: [Triple]) throws {
        if firing.action != .derive || firing.isInconsistency {
            firings.append(firing)
            return
        }
        guard firing.premises.contains(where: dependent.contains) else { return }
        firings.append(firing)
        for fact in newFacts where dependent.insert(fact).inserted { derived.append(fact) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
