import ArgumentParser
import Foundation
import KnowledgeStore

/// `kgfuse stats`: the graphs in the store and the totals.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the graphs (IRI, source, triples) and the totals.")

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let store = try storeOptions.open()
        let graphs = try store.graphs()
        let totals = try store.totals()
        if json {
            let object: [String: Any] = [
                "store": store.path,
                "graphs": graphs.map { g -> [String: Any] in
                    ["iri": g.iri, "source": g.source ?? NSNull(), "sha256": g.sha256 ?? NSNull(), "loaded_at": g.loadedAt,
                     "triples": g.triples, "kind": g.kind]
                },
                "totals": ["graphs": graphs.count, "quads": totals.quads, "distinct_triples": totals.distinctTriples,
                           "terms": totals.terms],
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("store \(store.path)")
        if graphs.isEmpty { print("no graphs yet: load one with `kgfuse load FILE`") }
        for g in graphs {
            print("  \(Terminal.grouped(g.triples).leftPadded(10))  \(g.kind.padding(toLength: 8, withPad: " ", startingAt: 0))  <\(g.iri)>")
            if let source = g.source { print("              source \(source)  sha256 \(g.sha256?.prefix(16) ?? "-")…  \(g.loadedAt)") }
        }
        print("total: \(graphs.count) graphs, \(Terminal.grouped(totals.quads)) quads, " +
              "\(Terminal.grouped(totals.distinctTriples)) distinct triples, \(Terminal.grouped(totals.terms)) terms")
    }
}

extension String {
    /// Pads on the left with spaces to `width` characters.
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
