import ArgumentParser
import Foundation
import KnowledgeStore
import Rules

/// `kgfuse reason`: materialises the closure of the asserted graphs and logs the run.
struct Reason: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Materialise the closure of the asserted graphs under a profile and the SWRL and file rules.",
        discussion: """
            Reads every asserted graph, runs the profile (rdfs, owl-rl or none) together with the swrl:Imp rules
            found in the loaded ontologies and any --rules files, and stores the derived facts in the graph
            urn:kgfuse:inferred:<profile> (replaced on each run) with every derivation. Each rule firing goes to the
            audit log under one run id (`kgfuse audit --run ID`). Prints the firings and new facts per rule and
            any inconsistency with the facts behind it.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The ontology rule set: rdfs, owl-rl or none.")
    var profile: String = "owl-rl"

    @Option(name: .long, help: ArgumentHelp("A rules file in the kgfuse rule language (repeatable).", valueName: "FILE"))
    var rules: [String] = []

    @Flag(help: "Ignore the swrl:Imp rules of the loaded ontologies.")
    var noOntologyRules = false

    @Option(help: ArgumentHelp("Store at most N derivations per derived fact, or 'all' (the first is the one that derived it; "
                               + "OWL 2 RL on pato-base has 12 million derivations of 170 thousand facts).", valueName: "N|all"))
    var derivationsPerFact: String = String(Materializer.defaultDerivationsPerFact)

    @Flag(help: "End with one JSON line of counts and seconds (for benchmarks).")
    var json = false

    func validate() throws {
        if derivationsPerFact != "all" && (Int(derivationsPerFact) ?? 0) < 1 {
            throw ValidationError("--derivations-per-fact: '\(derivationsPerFact)' is not a positive number or 'all'")
        }
        if ReasoningProfile(rawValue: profile) == nil {
            throw ValidationError("--profile: '\(profile)' is not one of \(ReasoningProfile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let store = try storeOptions.open()
        var extraRules: [Rule] = []
        for path in rules {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("--rules: cannot read \(path)")
            }
            do { extraRules += try RuleParser(documentName: path).parse(text) } catch {
                throw ValidationError("\(error)")
            }
        }
        var materializer = Materializer(profile: ReasoningProfile(rawValue: profile)!, extraRules: extraRules,
                                        includeOntologyRules: !noOntologyRules)
        materializer.maximumDerivationsPerFact = derivationsPerFact == "all" ? nil : Int(derivationsPerFact)
        let result: Materialization
        do { result = try materializer.materialize(store) } catch let error as RuleProgramError {
            throw ValidationError("\(error)")
        } catch let error as SWRLImportError {
            throw ValidationError("\(error)")
        }
        let prefixes = try store.prefixes()
        let width = max(4, result.countsByRule.map(\.rule.count).max() ?? 4)
        print("rule".padding(toLength: width, withPad: " ", startingAt: 0) + "  firings  new facts")
        for entry in result.countsByRule {
            let firings = Terminal.grouped(entry.firings), newFacts = Terminal.grouped(entry.newFacts)
            print(entry.rule.padding(toLength: width, withPad: " ", startingAt: 0)
                  + "  " + String(repeating: " ", count: max(0, 7 - firings.count)) + firings
                  + "  " + String(repeating: " ", count: max(0, 9 - newFacts.count)) + newFacts)
        }
        for firing in result.checkFirings where !firing.isInconsistency {
            let status = firing.satisfied.map { $0 ? " (satisfied)" : " (NOT satisfied)" } ?? ""
            print("\(firing.action.rawValue) [\(firing.severity.rawValue)] \(firing.ruleID)\(status): "
                  + firing.conclusion.map { AuditDisplay.triple($0, store: store, prefixes: prefixes) }.joined(separator: "; "))
        }
        for inconsistency in result.inconsistencies {
            print("INCONSISTENT (\(inconsistency.ruleID)):")
            for premise in inconsistency.premises { print("    " + AuditDisplay.triple(premise, store: store, prefixes: prefixes)) }
        }
        Terminal.note(String(format: "run %lld: %@ asserted triples, %@ inferred triples in <%@>, %@ derivations, %@ firings, "
                             + "%d ontology SWRL rules, %d inconsistencies (read %.2f s, reason %.2f s, store %.2f s)",
                             result.runID, Terminal.grouped(result.assertedTriples), Terminal.grouped(result.inferredTriples), result.graphIRI,
                             Terminal.grouped(result.derivations), Terminal.grouped(result.firings), result.ontologyRules,
                             result.inconsistencies.count, result.seconds.read, result.seconds.reason, result.seconds.store))
        if json {
            print(String(format: "{\"run\":%lld,\"asserted\":%d,\"inferred\":%d,\"derivations\":%d,\"firings\":%d,\"inconsistencies\":%d,"
                         + "\"read_seconds\":%.3f,\"reason_seconds\":%.3f,\"store_seconds\":%.3f}",
                         result.runID, result.assertedTriples, result.inferredTriples, result.derivations, result.firings,
                         result.inconsistencies.count, result.seconds.read, result.seconds.reason, result.seconds.store))
        }
    }
}
