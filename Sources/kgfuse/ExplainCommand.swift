import ArgumentParser
import Foundation
import KnowledgeStore
import RDF
import Rules

/// `kgfuse explain`: the proof tree of a fact, from the derivations `kgfuse reason` stored.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why a fact holds: its proof tree down to asserted facts, every derivation.",
        discussion: """
            The fact is 'S P O' with the terms `kgfuse query` takes (prefixed names, <IRI>, literals, `a`).
            Each derived fact lists every stored derivation (rule and premises); each asserted fact names its
            source graph. `kgfuse reason` stores the first derivation of each fact by default, every one with
            --derivations-per-fact all. Branches stop at --depth, or where a derivation would reuse a fact on its own path.
              kgfuse explain 'fam:ann fam:hasUncle fam:carl'
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Expand derived facts down to this depth (the fact itself is depth 0).")
    var depth: Int = 6

    @Argument(help: ArgumentHelp("The fact.", valueName: "'S P O'"))
    var fact: String

    func run() throws {
        let store = try storeOptions.open()
        let prefixes = try store.prefixes()
        let pattern: TriplePattern
        do { pattern = try TriplePattern.parse(fact, prefixes: prefixes) } catch {
            throw ValidationError("fact '\(fact)': \(error)")
        }
        guard case .term(let s) = pattern.subject, case .term(let p) = pattern.predicate, case .term(let o) = pattern.object else {
            throw ValidationError("fact '\(fact)': explain takes a fact without variables")
        }
        let triple = Triple(s, p, o)
        guard let tree = try StoredProof.tree(for: triple, in: store, maximumDepth: depth) else {
            throw ValidationError("\(AuditDisplay.triple(triple, store: store, prefixes: prefixes)) is neither asserted nor derived "
                                  + "in \(store.path) (run `kgfuse reason` first)")
        }
        var lines: [String] = []
        func render(_ node: ProofTree, indent: String, depth: Int) throws {
            let text = AuditDisplay.triple(node.fact, store: store, prefixes: prefixes)
            switch node {
            case .asserted(let fact):
                let note: String
                switch try StoredProof.leaf(fact, in: store, depth: depth, maximumDepth: self.depth) {
                case .asserted(let graphs): note = "[asserted in " + graphs.map { "<\($0)>" }.joined(separator: ", ") + "]"
                case .depthLimit: note = "[derived; not expanded: --depth \(self.depth)]"
                case .cycle: note = "[derived; every derivation reuses a fact above it]"
                case .unknown: note = "[unknown]"
                }
                lines.append("\(indent)\(text)  \(note)")
            case .derived(_, let branches):
                lines.append("\(indent)\(text)  [derived, \(branches.count) derivation\(branches.count == 1 ? "" : "s")]")
                for (index, branch) in branches.enumerated() {
                    lines.append("\(indent)  \(index + 1). by \(branch.ruleID):")
                    for premise in branch.premises { try render(premise, indent: indent + "     ", depth: depth + 1) }
                }
            }
        }
        try render(tree, indent: "", depth: 0)
        print(lines.joined(separator: "\n"))
        Terminal.note("derivations are those `kgfuse reason` stored: by default the first one per fact "
                      + "(`kgfuse reason --derivations-per-fact all` stores every one)")
    }
}
