import Foundation
import KnowledgeStore
import RDF

/// A rule post-check prepared once and run for many cases: the knowledge is read from the store and the rule
/// programs are built at creation; each `run` adds one case's triples in a scratch overlay, reasons, and never
/// writes to any graph.
///
/// This is `Materializer.overlay` for a service that diagnoses case after case: reading the store and hashing the
/// rule set happen once, not per case. Not safe to share between threads (built-ins may read per-case state).
public final class CaseOverlay {
    /// The graphs the knowledge came from, with their sha256, for the audit log.
    public let ontology: [OntologyVersion]
    /// The rule set's identity (see `Materializer.rulesetSHA256`).
    public let rulesetSHA256: String
    /// The rules, by id (for descriptions in explanations).
    public let rulesByID: [String: Rule]
    /// The number of knowledge triples every case starts from.
    public var knowledgeTripleCount: Int { knowledge.count }

    private let knowledge: InMemoryGraph
    private let programs: [RuleProgram]
    private let builtIns: BuiltInRegistry

    /// Reads the asserted graphs `graphIRIs` (all asserted graphs when nil) and builds the programs of `profile`,
    /// the graphs' `swrl:Imp` rules (when `includeOntologyRules`) and `rules`.
    public init(store: KnowledgeStore, graphIRIs: [String]? = nil, profile: ReasoningProfile = .none, rules: [Rule],
                includeOntologyRules: Bool = false, builtIns: BuiltInRegistry = BuiltInRegistry()) throws {
        let asserted = try store.graphs().filter { $0.kind == "asserted" && (graphIRIs?.contains($0.iri) ?? true) }
        if let graphIRIs, let missing = graphIRIs.first(where: { iri in !asserted.contains { $0.iri == iri } }) {
            throw StoreError(.notFound, "no asserted graph <\(missing)> in the store (load it first)")
        }
        let box = GraphBox()
        for graph in asserted {
            try store.forEachTriple(graphIRI: graph.iri, includeInferred: false) { box.graph.insert($0) }
        }
        let allRules = (includeOntologyRules ? try SWRLImport.rules(from: box.graph) : []) + rules
        programs = try Materializer.programs(profile: profile, rules: allRules, builtIns: builtIns)
        rulesetSHA256 = Materializer.rulesetSHA256(profile: profile, programs: programs, rules: allRules)
        ontology = asserted.map { OntologyVersion(graph: $0.iri, sha256: $0.sha256) }
        rulesByID = Dictionary(allRules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        knowledge = box.graph
        self.builtIns = builtIns
    }

    /// Reasons over the knowledge plus `caseTriples`; returns the case-dependent firings and derived facts, and the
    /// reasoner (to query the closure). Nothing is written to the store.
    public func run(caseTriples: [Triple]) throws -> (result: OverlayResult, reasoner: Reasoner) {
        let reasoner = try Reasoner(programs: programs, builtIns: builtIns)
        try reasoner.load(knowledge)
        for triple in caseTriples { reasoner.insert(triple) }
        let sink = CaseDependencySink(caseFacts: Set(caseTriples))
        _ = try reasoner.run(sink: sink)
        return (OverlayResult(firings: sink.firings, derived: sink.derived, inconsistencies: reasoner.inconsistencies, runID: nil),
                reasoner)
    }

    /// True when `triple` is one of the knowledge triples (not a case fact, not derived).
    public func isKnowledge(_ triple: Triple) -> Bool { knowledge.contains(triple) }

    /// The audit-log form of a firing.
    public static func auditRecord(_ firing: Firing) -> AuditFiring { AuditLogSink.record(firing) }
}

extension Materializer {
    /// The programs that run `rules` under `profile`: one stratified program when possible, else the profile's
    /// closure first and the rules as a second layer (when they negate predicates the profile writes).
    static func programs(profile: ReasoningProfile, rules: [Rule], builtIns: BuiltInRegistry) throws -> [RuleProgram] {
        let rulesProgram = RuleProgram(name: "rules", rules: rules)
        guard let profileProgram = try profile.program() else { return [rulesProgram] }
        do {
            _ = try Reasoner(programs: [profileProgram + rulesProgram], builtIns: builtIns)
            return [profileProgram + rulesProgram]
        } catch is RuleProgramError {
            return [profileProgram, rulesProgram]
        }
    }

    /// A rule set's identity: sha256 of the profile, then every rule id of the programs (sorted), then every
    /// rule in its canonical text, one per line.
    static func rulesetSHA256(profile: ReasoningProfile, programs: [RuleProgram], rules: [Rule]) -> String {
        let text = (["profile \(profile.rawValue)"] + programs.flatMap { $0.ruleIDs }.sorted() + rules.map(\.text)).joined(separator: "\n")
        return KnowledgeStore.sha256(of: text)
    }
}
