import ArgumentParser
import Foundation
import KnowledgeStore
import RDF

/// `kgfuse describe`: what the store knows about one entity.
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show an entity's labels, superclasses (transitive) and restriction edges in and out.",
        discussion: """
            TERM is <IRI>, a prefixed name, an OBO identifier such as HP:0001250, or an exact label such as Seizure.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    @Argument(help: ArgumentHelp("The entity to describe.", valueName: "TERM"))
    var term: String

    func run() throws {
        let store = try storeOptions.open()
        let entity: Term
        do { entity = try store.resolveEntity(term) } catch { throw ValidationError("\(term): \(error)") }
        guard case .iri(let iri) = entity else { throw ValidationError("\(term) is not an IRI") }
        let prefixes = try store.prefixes()
        let labels = try store.labels(of: entity)
        let superclasses = try store.superclasses(of: iri)
        let edgesOut = try store.restrictionEdges(subject: iri)
        let edgesIn = try store.restrictionEdges(object: iri)
        let mentioned = superclasses.map(\.iri) + edgesOut.flatMap { [IRI($0.relation), IRI($0.tail)] }
            + edgesIn.flatMap { [IRI($0.relation), IRI($0.head)] }
        let names = try store.preferredLabels(of: mentioned)
        func named(_ value: String) -> String {
            let compact = KnowledgeStore.compactName(value, prefixes: prefixes)
            if let label = names[IRI(value)] { return "\(compact) (\(label))" }
            return compact
        }
        let facts = try store.match(TriplePattern(.term(entity), .variable("p"), .variable("o")), limit: 1)
        if facts.isEmpty && labels.isEmpty && edgesIn.isEmpty {
            throw ValidationError("the store has no triples about <\(iri.value)>")
        }
        if json {
            let object: [String: Any] = [
                "iri": iri.value,
                "labels": labels.map { ["property": $0.property, "text": $0.text, "language": ($0.language as Any?) ?? NSNull()] as [String: Any] },
                "superclasses": superclasses.map { ["iri": $0.iri.value, "depth": $0.depth, "label": (names[$0.iri] as Any?) ?? NSNull()] as [String: Any] },
                "restrictions_out": edgesOut.map { ["relation": $0.relation, "target": $0.tail] },
                "restrictions_in": edgesIn.map { ["relation": $0.relation, "source": $0.head] },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(KnowledgeStore.compactName(iri.value, prefixes: prefixes))  <\(iri.value)>")
        print("labels:")
        if labels.isEmpty { print("  (none)") }
        for label in labels {
            let kind = KnowledgeStore.compactName(label.property, prefixes: prefixes)
            print("  \"\(label.text)\"\(label.language.map { "@" + $0 } ?? "")  \(kind)")
        }
        print("superclasses (transitive, by distance):")
        if superclasses.isEmpty { print("  (none)") }
        for entry in superclasses { print("  \(entry.depth)  \(named(entry.iri.value))") }
        print("restriction edges out (this SubClassOf R some X):")
        if edgesOut.isEmpty { print("  (none)") }
        for edge in edgesOut { print("  \(named(edge.relation)) → \(named(edge.tail))") }
        print("restriction edges in (X SubClassOf R some this):")
        if edgesIn.isEmpty { print("  (none)") }
        for edge in edgesIn { print("  \(named(edge.head)) —\(named(edge.relation))→") }
    }
}
