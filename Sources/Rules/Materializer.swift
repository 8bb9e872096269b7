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
    /// Store at most this many derivations per derived fact (nil: all). OWL 2 RL on pato-base records 12 million
    /// derivations for 170 thousand derived facts; storing them all takes minutes and gigabytes.
    public var maximumDerivationsPerFact: Int?

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
    public func materialize(_ store: KnowledgeStore) throws -> Materialization {
        let clock = ContinuousClock()
        let readStart = clock.now
        let prepared = try prepare(store, extraFacts: [])
        let reasoner = prepared.reasoner
        try reasoner.load(prepared.graph)
        let readSeconds = (clock.now - readStart).seconds
        let graphIRI = Materializer.inferredGraphIRI(profile)
        var reasonSeconds = 0.0, storeSeconds = 0.0
        var counts: [String: (firings: Int, newFacts: Int)] = [:]
        var inferredCount = 0, derivationCount = 0, firingCount = 0
        var checkFirings: [Firing] = []
        var tautologies = 0
        let startedAt = KnowledgeStore.timestamp()
        let runID = try store.recordRun { writer in
            let reasonStart = clock.now
            let sink = AuditLogSink(writer: writer)
            let summary = try reasoner.run(sink: sink)
            reasonSeconds = (clock.now - reasonStart).seconds
            let storeStart = clock.now
            let graphID = try writer.replaceInferredGraph(iri: graphIRI, source: "kgfuse reason --profile \(profile.rawValue)")
            let derived = reasoner.derivedTriples
            try writer.storeInferredTriples(derived, graphID: graphID)
            inferredCount = Set(derived).count
            for fact in reasoner.triples() where !reasoner.isAssertedFact(fact) {
                // A derivation with the fact among its premises (prp-spo1 with p ⊑ p, cax-sco with C ⊑ C, ...) proves nothing.
                var stored = 0
                for derivation in reasoner.derivations(of: fact) where !derivation.premises.contains(fact) {
                    if let limit = maximumDerivationsPerFact, stored >= limit { break }
                    stored += 1
                    try writer.addDerivation(fact: fact, rule: derivation.ruleID, premises: derivation.premises, graphID: graphID)
                    derivationCount += 1
                }
            }
            storeSeconds = (clock.now - storeStart).seconds
            counts = sink.counts
            firingCount = writer.firingCount
            tautologies = sink.tautologies
            checkFirings = reasoner.firings
            let output = """
                {"profile":\(Materializer.json(profile.rawValue)),"graph":\(Materializer.json(graphIRI)),\
                "asserted":\(summary.assertedFacts),"derived":\(summary.derivedFacts),"stored":\(inferredCount),\
                "derivations":\(derivationCount),"rounds":\(summary.rounds),"inconsistencies":\(summary.inconsistencies),\
                "checkFirings":\(summary.checkFirings),"unloggedDeriveFirings":\(sink.tautologies),"ontologyRules":\(prepared.ontologyRules),"extraRules":\(extraRules.count)}
                """
            return AuditRun(kind: "reason", startedAt: startedAt, ontology: prepared.ontology, rulesetSHA256: prepared.rulesetSHA256,
                            output: output)
        }
        return Materialization(
            runID: runID, graphIRI: graphIRI, assertedTriples: prepared.graph.count, inferredTriples: inferredCount,
            derivations: derivationCount, firings: firingCount, tautologicalFirings: tautologies, ontologyRules: prepared.ontologyRules,
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

/// Writes every firing to the audit log as it happens and counts firings and new facts per rule.
final class AuditLogSink: FiringSink {
    let writer: AuditRunWriter
    var counts: [String: (firings: Int, newFacts: Int)] = [:]

    init(writer: AuditRunWriter) { self.writer = writer }

    /// Derive firings that add no fact are not logged (their derivations are stored), so the engine need not build them.
    var recordsRedundantDerivations: Bool { false }

    static func record(_ firing: Firing) -> AuditFiring {
        AuditFiring(rule: firing.ruleID, action: firing.isInconsistency ? "inconsistency" : firing.action.rawValue,
                    severity: firing.severity.rawValue, bindings: firing.bindings, premises: firing.premises,
                    conclusion: firing.conclusion, satisfied: firing.satisfied)
    }

    /// Derive firings not logged: those that added no fact (their derivations are in `derivations`).
    var tautologies = 0

    func record(_ firing: Firing, newFacts: [Triple]) throws {
        if firing.action == .derive, !firing.isInconsistency, newFacts.isEmpty {
            tautologies += 1
            return
        }
        try writer.append(AuditLogSink.record(firing))
        var count = counts[firing.ruleID] ?? (0, 0)
        count.firings += 1
        count.newFacts += newFacts.count
        counts[firing.ruleID] = count
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
