import ArgumentParser
import Foundation
import KnowledgeStore
import RDF

/// `kgfuse audit`: lists logged rule firings; `kgfuse audit verify` checks the hash chains.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List rule firings from the audit log, or verify it (`kgfuse audit verify`).",
        discussion: """
            Firings print with their run, rule, action, bindings, premises and conclusion, terms as compact names
            with labels. Filters combine: --run ID, --rule ID, --since 2026-11-27 (runs started at or after).
            """,
        subcommands: [AuditList.self, AuditVerify.self],
        defaultSubcommand: AuditList.self)
}

/// `kgfuse audit [list]`.
struct AuditList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List firings (the default).")

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .customLong("run"), help: "Only this run.")
    var runID: Int64?

    @Option(help: "Only this rule id.")
    var rule: String?

    @Option(help: ArgumentHelp("Only runs started at or after this ISO 8601 date or time.", valueName: "DATE"))
    var since: String?

    @Option(help: "Print at most this many firings.")
    var limit: Int = 200

    @Flag(help: "Print JSON: the runs and the firings.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let prefixes = try store.prefixes()
        let runs = try store.runs(id: runID, since: since)
        let firings = try store.firings(run: runID, rule: rule, since: since, limit: limit + 1)
        let shown = firings.prefix(limit)
        if json {
            let object: [String: Any] = [
                "runs": runs.map { stored -> [String: Any] in
                    ["id": stored.id, "kind": stored.run.kind, "startedAt": stored.run.startedAt,
                     "caseSHA256": stored.run.caseSHA256 as Any? ?? NSNull(), "modelSHA256": stored.run.modelSHA256 as Any? ?? NSNull(),
                     "ontology": stored.run.ontology.map { ["graph": $0.graph, "sha256": $0.sha256 as Any? ?? NSNull()] as [String: Any] },
                     "rulesetSHA256": stored.run.rulesetSHA256 as Any? ?? NSNull(), "output": stored.run.output, "hash": stored.hash]
                },
                "firings": shown.map { stored -> [String: Any] in
                    let f = stored.firing
                    return ["id": stored.id, "run": stored.run, "rule": f.rule, "action": f.action, "severity": f.severity,
                            "bindings": f.bindings.mapValues(\.description),
                            "premises": f.premises.map { [$0.subject.description, $0.predicate.description, $0.object.description] },
                            "premiseLabels": f.premises.map { AuditDisplay.triple($0, store: store, prefixes: prefixes) },
                            "conclusion": f.conclusion.map { [$0.subject.description, $0.predicate.description, $0.object.description] },
                            "satisfied": f.satisfied as Any? ?? NSNull(), "hash": stored.hash]
                },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for stored in runs where runID != nil || firings.isEmpty {
            print("run \(stored.id) \(stored.run.kind) at \(stored.run.startedAt), ruleset \(stored.run.rulesetSHA256?.prefix(12) ?? "-"): \(stored.run.output)")
        }
        for stored in shown {
            let f = stored.firing
            let status = f.satisfied.map { $0 ? " satisfied" : " NOT satisfied" } ?? ""
            print("#\(stored.id) run \(stored.run) \(f.rule) \(f.action) [\(f.severity)]\(status)")
            if !f.bindings.isEmpty {
                print("    bindings: " + f.bindings.keys.sorted().map { "?\($0)=\(AuditDisplay.term(f.bindings[$0]!, store: store, prefixes: prefixes))" }
                    .joined(separator: ", "))
            }
            for premise in f.premises { print("    premise:    " + AuditDisplay.triple(premise, store: store, prefixes: prefixes)) }
            for conclusion in f.conclusion { print("    conclusion: " + AuditDisplay.triple(conclusion, store: store, prefixes: prefixes)) }
        }
        let more = firings.count > limit ? " (more exist: raise --limit)" : ""
        Terminal.note("\(shown.count) firing\(shown.count == 1 ? "" : "s")\(more)")
    }
}

/// `kgfuse audit verify`.
struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recompute the hash chains of runs and firings; exit 1 at the first broken row.")

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.open()
        let verification = try store.verifyAuditLog()
        print(verification.description)
        if !verification.isIntact { throw ExitCode(1) }
    }
}

/// Terms as compact names with labels, for people reading firings and proofs.
enum AuditDisplay {
    /// `prefix:local ("label")`, or the N-Triples form for blank nodes and literals.
    static func term(_ term: Term, store: KnowledgeStore, prefixes: [String: String]) -> String {
        guard case .iri(let iri) = term else { return term.description }
        let name = KnowledgeStore.compactName(iri.value, prefixes: prefixes)
        if let label = try? store.preferredLabel(of: term) { return "\(name) (\"\(label)\")" }
        return name
    }

    /// The three terms of a triple, each displayed with `term`.
    static func triple(_ triple: Triple, store: KnowledgeStore, prefixes: [String: String]) -> String {
        [triple.subject, triple.predicate, triple.object].map { term($0, store: store, prefixes: prefixes) }.joined(separator: " ")
    }
}
