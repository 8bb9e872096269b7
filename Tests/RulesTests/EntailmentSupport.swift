import Foundation
import RDF
import Rules

/// Shared helpers of the rules tests: reading graphs and checking entailment against a closure.
enum EntailmentSupport {
    /// `Tests/Conformance`, found from this file's path.
    static let conformanceFolder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Conformance")

    /// Parses a Turtle (`.ttl`) or N-Triples (`.nt`) file.
    static func readGraph(_ url: URL, baseIRI: String) throws -> [Triple] {
        let text = try String(contentsOf: url, encoding: .utf8)
        if url.pathExtension == "nt" { return try NTriplesParser(documentName: url.lastPathComponent).triples(in: text) }
        return try TurtleParser(baseIRI: baseIRI, documentName: url.lastPathComponent).triples(in: text)
    }

    /// Runs `programs` over `premises` and returns the reasoner (for queries) after the run.
    static func close(_ premises: [Triple], programs: [RuleProgram]) throws -> Reasoner {
        let reasoner = try Reasoner(programs: programs)
        try reasoner.load(InMemoryGraph(premises))
        _ = try reasoner.run()
        return reasoner
    }

    /// True when the closure contains an instance of `conclusion`, its blank nodes read as existential variables
    /// (simple entailment of the conclusion by the closure, RDF 1.1 Semantics §5.2 interpolation lemma).
    static func entails(_ reasoner: Reasoner, _ conclusion: [Triple]) -> Bool {
        var pending = Array(Set(conclusion))
        // Ground triples first: each is a direct lookup.
        for triple in pending where !triple.subject.isBlank && !triple.predicate.isBlank && !triple.object.isBlank {
            if !reasoner.contains(triple) { return false }
        }
        pending.removeAll { !$0.subject.isBlank && !$0.predicate.isBlank && !$0.object.isBlank }
        var mapping: [BlankNode: Term] = [:]
        func resolve(_ term: Term) -> Term? {
            if case .blank(let node) = term { return mapping[node] }
            return term
        }
        func search(_ remaining: [Triple]) -> Bool {
            guard !remaining.isEmpty else { return true }
            // The triple with the most terms already known goes next.
            let index = remaining.indices.max { a, b in
                let boundA = [remaining[a].subject, remaining[a].predicate, remaining[a].object].filter { resolve($0) != nil }.count
                let boundB = [remaining[b].subject, remaining[b].predicate, remaining[b].object].filter { resolve($0) != nil }.count
                return boundA < boundB
            }!
            let triple = remaining[index]
            var rest = remaining
            rest.remove(at: index)
            for candidate in reasoner.triples(subject: resolve(triple.subject), predicate: resolve(triple.predicate), object: resolve(triple.object)) {
                var added: [BlankNode] = []
                var consistent = true
                for (pattern, value) in [(triple.subject, candidate.subject), (triple.predicate, candidate.predicate), (triple.object, candidate.object)] {
                    guard case .blank(let node) = pattern else { continue }
                    if let existing = mapping[node] {
                        if existing != value { consistent = false; break }
                    } else {
                        mapping[node] = value
                        added.append(node)
                    }
                }
                if consistent && search(rest) { return true }
                for node in added { mapping[node] = nil }
            }
            return false
        }
        return search(pending)
    }
}
