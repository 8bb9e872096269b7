import ArgumentParser
import Foundation
import KnowledgeStore
import RDF

/// `kgfuse query`: matches one triple pattern.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match a triple pattern 'S P O' against the store.",
        discussion: """
            Terms: <IRI>, prefixed names (the loaded documents' prefixes plus rdf, rdfs, owl, xsd), "literals"
            ("x"@en, "x"^^xsd:int, numbers, true/false), `a` for rdf:type, or ?variables. Examples:
              kgfuse query '?c rdfs:subClassOf <http://purl.obolibrary.org/obo/HP_0001250>'
              kgfuse query '?s rdfs:label "Seizure"'
            With variables, prints one row of bindings per match; otherwise the matching triples.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Match only in this graph.", valueName: "IRI"))
    var graph: String?

    @Option(help: "Print at most this many matches.")
    var limit: Int = 1000

    @Flag(help: "Print one JSON array of binding objects (or triples).")
    var json = false

    @Argument(help: ArgumentHelp("The triple pattern.", valueName: "'S P O'"))
    var pattern: String

    func run() throws {
        let store = try storeOptions.open()
        let prefixes = try store.prefixes()
        let parsed: TriplePattern
        do { parsed = try TriplePattern.parse(pattern, prefixes: prefixes) } catch {
            throw ValidationError("pattern '\(pattern)': \(error)")
        }
        let matches = try store.match(parsed, graphIRI: graph, limit: limit + 1)
        let shown = matches.prefix(limit)
        let variables = [parsed.subject, parsed.predicate, parsed.object].compactMap { p -> String? in
            if case .variable(let v) = p { return v } else { return nil }
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        func bindings(_ m: QuadMatch) -> [(String, Term)] {
            var out: [(String, Term)] = []
            for (position, term) in [(parsed.subject, m.triple.subject), (parsed.predicate, m.triple.predicate), (parsed.object, m.triple.object)] {
                if case .variable(let v) = position, !out.contains(where: { $0.0 == v }) { out.append((v, term)) }
            }
            return out
        }
        if json {
            let rows: [[String: String]] = shown.map { m in
                variables.isEmpty ? ["s": m.triple.subject.description, "p": m.triple.predicate.description,
                                     "o": m.triple.object.description, "graph": m.graph]
                    : Dictionary(uniqueKeysWithValues: bindings(m).map { ($0.0, $0.1.description) })
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func show(_ term: Term) -> String {
            if case .iri(let iri) = term { return KnowledgeStore.compactName(iri.value, prefixes: prefixes) }
            return term.description
        }
        if variables.isEmpty {
            for m in shown { print("\(show(m.triple.subject)) \(show(m.triple.predicate)) \(show(m.triple.object)) .") }
        } else {
            print(variables.map { "?" + $0 }.joined(separator: "\t"))
            for m in shown { print(bindings(m).map { show($0.1) }.joined(separator: "\t")) }
        }
        let more = matches.count > limit ? " (more exist: raise --limit)" : ""
        Terminal.note("\(shown.count) match\(shown.count == 1 ? "" : "es")\(more)")
    }
}
